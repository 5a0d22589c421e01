#!/usr/bin/env python3
"""Generate the RDKit reference fixture for the Chemistry tests.

What it does
    Parses SMILES with RDKit (``Chem.MolFromSmiles`` with default sanitisation) and
    records, for each one, whether RDKit accepts it and, if so, the values the Swift
    Chemistry target must reproduce:

        formula      rdMolDescriptors.CalcMolFormula(mol)   (default arguments)
        heavy_atoms  mol.GetNumHeavyAtoms()
        mol_wt       Descriptors.MolWt(mol)
        rings        Descriptors.RingCount(mol)   (RDKit's symmetrised SSSR)
        donors       Descriptors.NumHDonors(mol)
        csp3         rdMolDescriptors.CalcFractionCSP3(mol)
        charge       Chem.GetFormalCharge(mol)
        exact_wt     Descriptors.ExactMolWt(mol)

    The SMILES come from three places:

    1. ``../shared/data/molecules/chembl_samples.csv`` (column ``smiles``, 2,000 rows);
    2. ``../shared/data/molecules/freesolv.csv`` (column ``smiles``);
    3. the hand-written edge cases below (charges, isotopes, aromatic heterocycles,
       ``[nH]``, fragments, metals, ``*``, stereo marks, ``%nn`` ring bonds, and input
       RDKit rejects), plus a fixed-seed set of randomly corrupted ChEMBL SMILES, most
       of which RDKit rejects.

    Paths are relative to the repository root. The output is a tab-separated file,
    ``Tests/ChemistryTests/Fixtures/rdkit_reference.tsv``, with the columns
    ``smiles ok formula heavy_atoms mol_wt rings donors csp3 charge exact_wt`` (``ok``
    is 1 or 0; the other columns are empty when RDKit rejects the SMILES). Lines
    starting with ``#`` are comments.

    Inputs where the Swift parser deliberately differs from RDKit are not written here;
    they are listed and tested in ``Tests/ChemistryTests/RDKitDifferenceTests.swift``.

How to run (from the repository root)
    python3 -m venv .venv
    .venv/bin/pip install rdkit
    .venv/bin/python scripts/reference/chemistry_reference.py

    The script is deterministic for a given RDKit version; commit the regenerated
    fixture together with any change to the edge cases.
"""

import csv
import random
from pathlib import Path

from rdkit import Chem, RDLogger, rdBase
from rdkit.Chem import Descriptors, rdMolDescriptors

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "molecules"
OUTPUT = ROOT / "Tests" / "ChemistryTests" / "Fixtures" / "rdkit_reference.tsv"
CORRUPTED_COUNT = 3000
CORRUPTED_SEED = 20240917

EDGE_CASES = [
    # Organic subset and implicit hydrogens.
    "C", "CC", "C=C", "C#C", "CCO", "C(C)(C)(C)C", "B", "BF", "N", "O", "P", "S",
    "F", "Cl", "Br", "I", "ClCCBr", "CS(C)(=O)=O", "OS(=O)(=O)O", "OP(=O)(O)O",
    "CP(C)(C)(C)C", "CS(C)(C)(C)(C)C", "IC(=O)", "C(=O)=O", "C$C", "[C]$[C]",
    # Bracket atoms: isotopes, charges, hydrogens, classes.
    "[13CH4]", "[13C]C", "[2H]C", "[2H][2H]", "[3H]O[3H]", "[H]C([H])([H])[H]",
    "[H][H]", "[H]", "[H-]", "[HH]", "[2H+]", "[18F]c1ccccc1", "[1000C]",
    "[NH4+]", "[O-]", "[O--]", "[O-2]", "[OH-]", "[OH3+]", "[CH2+]", "[CH3-]",
    "[CH2--]", "[C+3]", "[C+0]", "[C-0]", "[C+15]", "[Fe+2]", "[Fe+3]", "[Fe+10]",
    "[Cu+]", "[Zn+2]", "[Mg+2]", "[Al]", "[AlH4-]", "[BH4-]", "[B-](F)(F)(F)F",
    "[PH4+]", "[P-](F)(F)(F)(F)(F)F", "[S-]", "[S+](C)(C)C", "[Cl-]", "[Cl+]",
    "[I+](C)C", "C[N+](C)(C)C", "C[N-]C", "[NH2-]", "[CH3:1]", "[C:0]",
    "[C:99999]", "[CH4:7]", "[FeH9]", "[FeH12]", "[U]", "[Og]", "[Ts]", "[Uuo]",
    "[Xe](F)F", "[He]", "[Ar]", "[Si](C)(C)(C)C", "[Se]", "[Te]", "[Na]", "[Na+]",
    # Aromatic rings and heteroatoms.
    "c1ccccc1", "c1ccncc1", "c1cc[nH]c1", "[nH]1cccc1", "o1cccc1", "c1ccsc1",
    "s1cccc1", "c1cnc[nH]1", "c1ncc[nH]1", "c1cscn1", "c1ncsc1", "Cn1cccc1",
    "c1ccn2cncc2c1", "O=c1ccs(=O)cc1", "C1ccccC1", "c1cc[cH-]c1", "[cH-]1cccc1",
    "c1cc[o+]cc1", "[o+]1ccccc1", "c1ccc2ccccc2c1", "c1ccc2c(c1)[nH]c1ccccc12",
    "O=c1[nH]cccc1", "O=c1cccc[nH]1", "[nH+]1ccccc1", "c1cc[nH+]cc1",
    "c1ccc[n-]1", "c1cc2cccc2c1", "C1=CC=CC=C1", "[c]1ccccc1", "c1cc[pH]c1",
    "[se]1ccnc1", "c1ccc2[se]ccc2c1", "c1cc[te]c1", "[si]1ccccc1", "[as]1ccccc1",
    "c1ccccc1[n+]1ccccc1", "c1cc[n+]([O-])cc1", "O=n1ccccc1", "[n+]1ccccc1",
    "[nH0]1ccccc1", "c1ccccc1c1ccccc1", "c1ccccc1-c1ccccc1", "c1ccccc1:c1ccccc1",
    "c1=cc=cc=c1", "c1ccccc-1", "c:1ccccc1", "c1ccccc:1", "c1cccc/c1",
    "[13c]1ccccc1", "c1ccc#cc1", "Cc1ccc(C)n1C", "c1ccc(cc1)P(c1ccccc1)c1ccccc1",
    "C:C", "C:1CC1", "C1CC:1",
    # Wildcards.
    "*", "[*]", "[13*]", "*C", "*CN", "*C(Cl)N", "[Na+].[Cl-].*", "*1ccccc1",
    "c1cc*cc1", "c1ccc*1", "*c1ccccc1", "n1c*cc1", "*1****1", "C1=CC=C*1",
    # Fragments and salts.
    "[Na+].[Cl-]", "CS(=O)(=O)[O-].[Na+]", "c1ccccc1.c1ccccc1", "C1.C1",
    "C(C.C)C", "O.O.O", "[K+].[K+].[O-]S(=O)(=O)[O-]",
    # Metals and dative bonds.
    "[Na]C", "[Li]C", "[Zn](C)C", "[Fe](Cl)(Cl)Cl", "c1ccccc1[Fe]", "CN(C)(C)[Fe]",
    "c1cccc[n+]1[Fe]", "[Pt](N)(N)(Cl)Cl", "C->[Fe]", "C->C", "C<-C", "C->1CC1",
    # Stereo marks.
    "F/C=C/F", "F/C=C\\F", "C/C=C\\C", "[C@@H](F)(Cl)Br", "[C@](F)(Cl)(Br)I",
    "C[C@@](F)(Cl)Br", "N[C@@H](C)C(=O)O", "[C@H]1CCCC1", "[C@TH1](F)(Cl)Br",
    "[C@AL1](F)(Cl)Br", "[C@SP1](F)(Cl)(Br)I", "[C@TB5]", "[C@OH30]", "[C@TH]",
    "[C@H2]", "[13C@H+:2]", "[C@H-:1]", "[C@H2+1:1]", "C\\\\C",
    # Ring bonds.
    "C1CC1", "C%10CC%10", "C%(10)CC%10", "C%10CC%(10)", "C1CC1%11CC%11",
    "C%(100)CC%(100)", "C%(99999)CC%(99999)", "C%(00000)CC%(0)", "C%99CC%99",
    "C0CC0", "C=1CC1", "C1CC=1", "C=1CC=1", "C=1CC#1", "C#1CC=1", "C-1CC=1",
    "C(C)1CC1", "C(=O)1CC1", "C1(C)CC1", "C12CC1C2",
    # Normalised charge-separated groups.
    "CN(=O)=O", "CN=N#N", "C=P(=O)C", "CC=P(=O)(C)", "Cl(=O)(=O)(=O)O",
    "[N+](=O)[O-]", "C=[N+]=[N-]",
    # Whitespace and titles.
    "CCO ethanol", "CCO\tethanol", " CCO", "CCO ", "C C", "C1CC1 C",
    # Input RDKit rejects.
    "C(", "C)", "C()", "(C)C", "C((C))", "C=(O)C", "C-(C)C", "C(.C)C", "C.1CC1",
    ".C", "C.", "C..C", "C1CC1.", "C=", "C=.C", "C-=C", "C//C", "C/\\C", "C:=C",
    "C-->C", "C1CC", "C1CC C1", "C11", "C1C1", "C12CC12", "[H]1[H]1", "C%00CC%00",
    "C%01CC%01", "C%05CC%05", "%10C", "1CC", "C(1)CC1", "C%(100000)CC%(100000)",
    "C%()C", "C%(1", "C%1", "C%(99999)", "c1cccc1", "cc", "c", "n1cccc1",
    "[n]1cccc1", "c1ccc2c(c1)ccc2", "c1ccccc1=O", "c1ccp(C)cc1", "[si]1cccc1",
    "[as]1cccc1", "[b]1cccc1", "c1ccccc1[13cH]", "c1ccccc1=c1ccccc1",
    "[CH5]", "[NH4]", "C(C)(C)(C)(C)C", "[C](C)(C)(C)(C)C", "CS(C)(C)(C)(C)(C)C",
    "Cl(=O)(=O)=O", "C=P(=O)(C)C", "[He]C", "[HeH]", "[HH2]", "[2H]1CC1",
    "[C+++]", "[Fe+++]", "[CH10]", "[Xx]", "[cl]", "CL", "Bl", "[se]", "[sb]",
    "c1ccsec1", "[D]", "[T]", "[Uue]", "[013C]", "[C:00]", "[C:0012]", "[Fe:01]",
    "[C:]", "[C:a]", "[CH4:01]", "[FeH012]", "[C+02]", "[C++2]", "[C-+]", "[C+-1]",
    "[CH+-]", "[C-1-]", "[Fe+2+]", "[C-H]", "[C+H]", "[13C@H:2+]", "[C@+H]",
    "[n+H]1ccccc1", "[C@@@H]", "[C@TH3]", "[C@SP4]", "[C@TB21]", "[C@OH31]",
    "[C@XX]", "[C@@TH1]", "[C@TB05]", "[C@TH12]", "[H@]", "[H2]", "[CHH]",
    "[C H]", "[C]H", "[]", "[+]", "[13]", "C[", "C[C", "C]", "[C", "CC(=O",
    "C(C)C)", "C(C(C)", "C(C)(", "[999999999999C]", "[4294967296C]",
    "[C:2147483648]", "[C+2147483648]", "CCO |foo|", "CCO |garbage", "Na", "H",
    "c1ccc(cc#cc#1)O", "CC(C)(C)(C)(C)",
]


def load_smiles(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return [row["smiles"] for row in csv.DictReader(handle)]


def corrupt(smiles: str, rng: random.Random) -> str:
    """Applies one or two random edits: delete, insert, replace, swap or repeat."""
    alphabet = list("CNOSPFIBrlcnops()[]=#-+123456789%@H.\\/:*0") + [
        "Cl", "Br", "[nH]", "[O-]", "[N+]", "c1", "(=O)"]
    for _ in range(rng.randint(1, 2)):
        if not smiles:
            smiles = "C"
        i = rng.randrange(len(smiles))
        edit = rng.randrange(5)
        if edit == 0:
            smiles = smiles[:i] + smiles[i + 1:]
        elif edit == 1:
            smiles = smiles[:i] + rng.choice(alphabet) + smiles[i:]
        elif edit == 2:
            smiles = smiles[:i] + rng.choice(alphabet) + smiles[i + 1:]
        elif edit == 3 and i + 1 < len(smiles):
            smiles = smiles[:i] + smiles[i + 1] + smiles[i] + smiles[i + 2:]
        else:
            j = rng.randrange(len(smiles))
            low, high = min(i, j), max(i, j)
            smiles = smiles[:high] + smiles[low:high] + smiles[high:]
    return smiles


def reference_row(smiles: str) -> str:
    assert "\n" not in smiles and "\r" not in smiles, smiles
    mol = Chem.MolFromSmiles(smiles)
    escaped = smiles.replace("\\", "\\\\").replace("\t", "\\t")
    if mol is None:
        return f"{escaped}\t0" + "\t" * 8
    formula = rdMolDescriptors.CalcMolFormula(mol)
    fields = [
        formula,
        str(mol.GetNumHeavyAtoms()),
        f"{Descriptors.MolWt(mol):.6f}",
        str(Descriptors.RingCount(mol)),
        str(Descriptors.NumHDonors(mol)),
        f"{rdMolDescriptors.CalcFractionCSP3(mol):.9f}",
        str(Chem.GetFormalCharge(mol)),
        f"{Descriptors.ExactMolWt(mol):.6f}",
    ]
    return f"{escaped}\t1\t" + "\t".join(fields)


def main() -> None:
    RDLogger.DisableLog("rdApp.*")
    chembl = load_smiles(SHARED / "chembl_samples.csv")
    freesolv = load_smiles(SHARED / "freesolv.csv")
    rng = random.Random(CORRUPTED_SEED)
    corrupted = [corrupt(rng.choice(chembl), rng) for _ in range(CORRUPTED_COUNT)]
    # Empty strings are a deliberate difference (RDKit returns an empty molecule).
    corrupted = [smiles for smiles in corrupted if smiles.strip()]

    lines = [
        f"# RDKit {rdBase.rdkitVersion} reference values; generated by scripts/reference/chemistry_reference.py",
        "# Backslashes and tabs inside SMILES are escaped as \\\\ and \\t.",
        "smiles\tok\tformula\theavy_atoms\tmol_wt\trings\tdonors\tcsp3\tcharge\texact_wt",
    ]
    for smiles in chembl + freesolv + EDGE_CASES + corrupted:
        lines.append(reference_row(smiles))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n")
    accepted = sum(1 for line in lines[3:] if line.split("\t")[1] == "1")
    print(f"wrote {OUTPUT} ({len(lines) - 3} SMILES, {accepted} accepted by RDKit)")


if __name__ == "__main__":
    main()

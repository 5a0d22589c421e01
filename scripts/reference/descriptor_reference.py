#!/usr/bin/env python3
"""Generate the RDKit descriptor and randomised-SMILES fixtures for the Chemistry tests.

What it does
    Parses SMILES with RDKit (``Chem.MolFromSmiles`` with default sanitisation) and
    records, for every molecule RDKit accepts, the values the Swift Chemistry target
    must reproduce. Every value comes from RDKit called with default arguments:

        MolWt                 Descriptors.MolWt(mol)
        ExactMolWt            Descriptors.ExactMolWt(mol)
        HeavyAtomCount        mol.GetNumHeavyAtoms()
        NumHDonors            Descriptors.NumHDonors(mol)
        NumHAcceptors         Descriptors.NumHAcceptors(mol)
        NumRotatableBonds     Descriptors.NumRotatableBonds(mol)
        RingCount             Descriptors.RingCount(mol)
        NumAromaticRings      Descriptors.NumAromaticRings(mol)
        FractionCSP3          Descriptors.FractionCSP3(mol)
        TPSA                  Descriptors.TPSA(mol)
        MolLogP               Descriptors.MolLogP(mol)   (Crippen)
        MolMR                 Descriptors.MolMR(mol)     (Crippen)
        QED                   QED.qed(mol)
        NumAtomStereoCenters  rdMolDescriptors.CalcNumAtomStereoCenters(mol)
        FormalCharge          Chem.GetFormalCharge(mol)
        LipinskiViolations    the number of these four rules broken (strict inequalities,
                              using the values above): MolWt > 500, MolLogP > 5,
                              NumHDonors > 5, NumHAcceptors > 10
        PAINS                 len(catalog.GetMatches(mol)) for the PAINS catalogue
                              (FilterCatalogParams.FilterCatalogs.PAINS, i.e. A + B + C)
        BRENK                 the same for FilterCatalogParams.FilterCatalogs.BRENK
        NIH                   the same for FilterCatalogParams.FilterCatalogs.NIH
        canonical_smiles      Chem.MolToSmiles(mol)   (canonical, isomeric)

    The three filter columns count matching catalogue entries, one catalogue each;
    an entry counts once however many times its pattern matches.

    The SMILES come from ``../shared/data/molecules/``, in this order:

    1. ``chembl_samples.csv`` (column ``smiles``);
    2. ``freesolv.csv`` (column ``smiles``);
    3. ``solubility.train.sdf`` and 4. ``solubility.test.sdf``: the SMILES is the
       ``smiles`` data field of each record (spelt ``SMILES`` in the test file; the
       name is matched case-insensitively). Each record's molblock is also read with
       ``Chem.MolFromMolBlock`` (defaults); the number of molblocks RDKit rejects, and
       of those whose canonical SMILES differs from that of the ``smiles`` field, is
       written as a comment. The rows themselves always come from the ``smiles`` field.

    SMILES that RDKit rejects are left out; their number per set is written as a comment.

    Outputs (paths relative to the repository root; tab-separated; lines starting with
    ``#`` are comments and come before the header line; backslashes and tabs inside
    SMILES are escaped as ``\\\\`` and ``\\t``, as in ``rdkit_reference.tsv``):

    ``Tests/ChemistryTests/Fixtures/rdkit_descriptors.tsv``
        One row per accepted molecule, columns ``set smiles`` followed by the
        descriptors above in the order listed. Integers are written as integers and
        floats with ``repr`` (the shortest text that reads back to the same double).

    ``Tests/ChemistryTests/Fixtures/rdkit_random_smiles.tsv``
        One row per row of ``rdkit_descriptors.tsv``, columns ``index canonical_smiles
        random_1 ... random_10``, where ``index`` is the 0-based data row in
        ``rdkit_descriptors.tsv`` and the random SMILES come from
        ``Chem.MolToRandomSmilesVect(mol, 10, randomSeed=RANDOM_SEED)``. Both this and
        ``Chem.MolToSmiles(mol, doRandom=True)`` after ``rdBase.SeedRandomNumberGenerator``
        are deterministic (they give different strings), but the latter depends on every
        random draw made before it in the process; seeding each molecule separately keeps
        every row reproducible on its own. Every random SMILES is checked to parse back
        to the row's canonical SMILES; the number that do not is written as a comment.

How to run (from the repository root)
    python3 -m venv .venv
    .venv/bin/pip install rdkit
    .venv/bin/python scripts/reference/descriptor_reference.py

    The script is deterministic for a given RDKit version; commit the regenerated
    fixtures together. ``scripts/reference/rdkit_descriptor_bench.py`` times the same
    descriptor computation (``descriptors`` below).
"""

import csv
import re
from pathlib import Path

from rdkit import Chem, RDLogger, rdBase
from rdkit.Chem import QED, Descriptors, rdMolDescriptors
from rdkit.Chem.FilterCatalog import FilterCatalog, FilterCatalogParams

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "molecules"
FIXTURES = ROOT / "Tests" / "ChemistryTests" / "Fixtures"
DESCRIPTORS_OUTPUT = FIXTURES / "rdkit_descriptors.tsv"
RANDOM_OUTPUT = FIXTURES / "rdkit_random_smiles.tsv"
RANDOM_COUNT = 10
RANDOM_SEED = 20250114

SETS = [
    ("chembl_samples", "chembl_samples.csv"),
    ("freesolv", "freesolv.csv"),
    ("solubility.train", "solubility.train.sdf"),
    ("solubility.test", "solubility.test.sdf"),
]

COLUMNS = [
    "MolWt", "ExactMolWt", "HeavyAtomCount", "NumHDonors", "NumHAcceptors",
    "NumRotatableBonds", "RingCount", "NumAromaticRings", "FractionCSP3", "TPSA",
    "MolLogP", "MolMR", "QED", "NumAtomStereoCenters", "FormalCharge",
    "LipinskiViolations", "PAINS", "BRENK", "NIH", "canonical_smiles",
]


def filter_catalogs() -> list[FilterCatalog]:
    """The PAINS (A + B + C), BRENK and NIH catalogues, one FilterCatalog each."""
    catalogs = []
    for which in (FilterCatalogParams.FilterCatalogs.PAINS,
                  FilterCatalogParams.FilterCatalogs.BRENK,
                  FilterCatalogParams.FilterCatalogs.NIH):
        params = FilterCatalogParams()
        params.AddCatalog(which)
        catalogs.append(FilterCatalog(params))
    return catalogs


def descriptors(mol: Chem.Mol, catalogs: list[FilterCatalog] | None) -> list:
    """The values of COLUMNS for one molecule; no filter counts when catalogs is None."""
    mol_wt = Descriptors.MolWt(mol)
    log_p = Descriptors.MolLogP(mol)
    donors = Descriptors.NumHDonors(mol)
    acceptors = Descriptors.NumHAcceptors(mol)
    lipinski = (mol_wt > 500) + (log_p > 5) + (donors > 5) + (acceptors > 10)
    values = [
        mol_wt,
        Descriptors.ExactMolWt(mol),
        mol.GetNumHeavyAtoms(),
        donors,
        acceptors,
        Descriptors.NumRotatableBonds(mol),
        Descriptors.RingCount(mol),
        Descriptors.NumAromaticRings(mol),
        Descriptors.FractionCSP3(mol),
        Descriptors.TPSA(mol),
        log_p,
        Descriptors.MolMR(mol),
        QED.qed(mol),
        rdMolDescriptors.CalcNumAtomStereoCenters(mol),
        Chem.GetFormalCharge(mol),
        int(lipinski),
    ]
    if catalogs is not None:
        values += [len(catalog.GetMatches(mol)) for catalog in catalogs]
    values.append(Chem.MolToSmiles(mol))
    return values


def load_csv(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return [row["smiles"] for row in csv.DictReader(handle)]


def load_sdf(path: Path) -> list[tuple[str | None, str]]:
    """(smiles data field or None, molblock) for every record of an SD file."""
    records = []
    header = re.compile(r"^>.*<([^>]*)>")
    for chunk in re.split(r"^\$\$\$\$[ \t]*\r?\n?", path.read_text(), flags=re.M):
        if not chunk.strip():
            continue
        lines = chunk.splitlines()
        end = next(i for i, line in enumerate(lines) if line.startswith("M  END"))
        molblock = "\n".join(lines[:end + 1]) + "\n"
        smiles = None
        for i, line in enumerate(lines[end + 1:], start=end + 1):
            match = header.match(line)
            if match and match.group(1).strip().lower() == "smiles":
                smiles = lines[i + 1].rstrip("\r\n ")
        records.append((smiles, molblock))
    return records


def escape(smiles: str) -> str:
    assert "\n" not in smiles and "\r" not in smiles, smiles
    return smiles.replace("\\", "\\\\").replace("\t", "\\t")


def field(value) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return escape(value)
    return str(int(value))


def main() -> None:
    RDLogger.DisableLog("rdApp.*")
    catalogs = filter_catalogs()
    comments = []
    rows = []  # (set, smiles, mol)
    for name, filename in SETS:
        path = SHARED / filename
        rejected = 0
        if path.suffix == ".csv":
            inputs = load_csv(path)
            for smiles in inputs:
                mol = Chem.MolFromSmiles(smiles)
                if mol is None:
                    rejected += 1
                else:
                    rows.append((name, smiles, mol))
            comments.append(f"# {name}: {len(inputs)} SMILES, {rejected} rejected by RDKit")
            continue
        records = load_sdf(path)
        missing = bad_blocks = differing = 0
        for smiles, molblock in records:
            if smiles is None:
                missing += 1
                continue
            mol = Chem.MolFromSmiles(smiles)
            block_mol = Chem.MolFromMolBlock(molblock)
            if block_mol is None:
                bad_blocks += 1
            elif mol is not None and Chem.MolToSmiles(block_mol) != Chem.MolToSmiles(mol):
                differing += 1
            if mol is None:
                rejected += 1
            else:
                rows.append((name, smiles, mol))
        comments.append(
            f"# {name}: {len(records)} records, {missing} without a smiles field, "
            f"{rejected} SMILES rejected by RDKit; {bad_blocks} molblocks rejected by RDKit, "
            f"{differing} molblocks with a canonical SMILES differing from the smiles field")

    header = "# Backslashes and tabs inside SMILES are escaped as \\\\ and \\t."
    descriptor_lines = [
        f"# RDKit {rdBase.rdkitVersion} descriptors; generated by scripts/reference/descriptor_reference.py",
        *comments,
        header,
        "\t".join(["set", "smiles", *COLUMNS]),
    ]
    random_rows = []
    round_trip_failures = 0
    for index, (name, smiles, mol) in enumerate(rows):
        values = descriptors(mol, catalogs)
        descriptor_lines.append("\t".join([name, escape(smiles), *map(field, values)]))
        canonical = values[-1]
        randoms = list(Chem.MolToRandomSmilesVect(mol, RANDOM_COUNT, randomSeed=RANDOM_SEED))
        for random_smiles in randoms:
            again = Chem.MolFromSmiles(random_smiles)
            if again is None or Chem.MolToSmiles(again) != canonical:
                round_trip_failures += 1
        random_rows.append("\t".join([str(index), escape(canonical), *map(escape, randoms)]))

    random_lines = [
        f"# RDKit {rdBase.rdkitVersion} randomised SMILES; generated by scripts/reference/descriptor_reference.py",
        f"# Chem.MolToRandomSmilesVect(mol, {RANDOM_COUNT}, randomSeed={RANDOM_SEED}) per molecule; "
        "index is the 0-based data row of rdkit_descriptors.tsv.",
        f"# {round_trip_failures} of {RANDOM_COUNT * len(rows)} random SMILES do not parse back "
        "to the row's canonical SMILES.",
        header,
        "\t".join(["index", "canonical_smiles", *(f"random_{i}" for i in range(1, RANDOM_COUNT + 1))]),
        *random_rows,
    ]
    FIXTURES.mkdir(parents=True, exist_ok=True)
    DESCRIPTORS_OUTPUT.write_text("\n".join(descriptor_lines) + "\n")
    RANDOM_OUTPUT.write_text("\n".join(random_lines) + "\n")
    for comment in comments:
        print(comment[2:])
    print(f"wrote {DESCRIPTORS_OUTPUT} and {RANDOM_OUTPUT} ({len(rows)} molecules, "
          f"{round_trip_failures} random SMILES not round-tripping)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compare BulkPredict's chem.descriptors with RDKit on the shared molecules and write a report.

What it does
    1. Reads the RDKit reference values in ``Tests/ChemistryTests/Fixtures/rdkit_descriptors.tsv``
       (written by ``descriptor_reference.py``) and runs the same SMILES through
       ``bulkpredict predict --model chem.descriptors`` (a release build).
    2. Compares every descriptor on every molecule with the tolerances of the product's
       acceptance bar: counts exactly; MolWt, ExactMolWt, TPSA, MolLogP and MolMR within 0.01;
       QED within 0.001; FractionCSP3 within 1e-9.
    3. Runs the ten RDKit-randomised SMILES of every molecule
       (``Tests/ChemistryTests/Fixtures/rdkit_random_smiles.tsv``) through the same model and
       checks that each molecule's eleven spellings give one canonical SMILES.
    4. Writes ``docs/rdkit-agreement.md``: agreement per descriptor, and every mismatch with the
       SMILES, both values and the reason (from the list of understood differences below, or
       "not understood" when none applies).

    Understood differences
        NumAtomStereoCenters: RDKit's legacy perception re-ranks atoms after assigning R/S to
        specified centres, which can make a centre between two specified centres (a
        pseudo-asymmetric one) count as well; BulkPredict ranks once.

How to run (from the repository root)
    swift build -c release --product bulkpredict
    .venv/bin/python scripts/reference/descriptor_agreement.py
"""

import csv
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "ChemistryTests" / "Fixtures"
BINARY = ROOT / ".build" / "release" / "bulkpredict"
REPORT = ROOT / "docs" / "rdkit-agreement.md"

TOLERANCES = {
    "MolWt": 0.01, "ExactMolWt": 0.01, "TPSA": 0.01, "MolLogP": 0.01, "MolMR": 0.01,
    "QED": 0.001, "FractionCSP3": 1e-9,
}
COUNTS = [
    "HeavyAtomCount", "NumHDonors", "NumHAcceptors", "NumRotatableBonds", "RingCount",
    "NumAromaticRings", "NumAtomStereoCenters", "FormalCharge", "LipinskiViolations",
    "PAINS", "BRENK", "NIH",
]


def unescape(field):
    out, escaping = [], False
    for ch in field:
        if escaping:
            out.append("\t" if ch == "t" else ch)
            escaping = False
        elif ch == "\\":
            escaping = True
        else:
            out.append(ch)
    return "".join(out)


def read_tsv(path):
    lines = [l for l in path.read_text().splitlines() if not l.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


def predict(smiles_list, work):
    source = work / "in.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["smiles"])
        for smiles in smiles_list:
            writer.writerow([smiles])
    output = work / "out.csv"
    subprocess.run(
        [str(BINARY), "predict", str(source), "--model", "chem.descriptors", "-o", str(output)],
        check=True, stdout=subprocess.DEVNULL)
    with output.open(newline="") as handle:
        return list(csv.DictReader(handle))


def reason(name, row):
    if name == "NumAtomStereoCenters" and row["smiles"].count("@") >= 2:
        return "RDKit re-ranks after assigning R/S to specified centres (pseudo-asymmetric centre)"
    return "not understood"


def main():
    if not BINARY.exists():
        sys.exit(f"{BINARY} is missing: run `swift build -c release --product bulkpredict` first")
    reference = read_tsv(FIXTURES / "rdkit_descriptors.tsv")
    for row in reference:
        row["smiles"] = unescape(row["smiles"])
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        ours = predict([row["smiles"] for row in reference], work)
        randoms = read_tsv(FIXTURES / "rdkit_random_smiles.tsv")
        spellings = []
        for row in randoms:
            spellings.extend(unescape(row[f"random_{i}"]) for i in range(1, 11))
            spellings.append(unescape(row["canonical_smiles"]))
        canonical = predict(spellings, work)

    names = list(TOLERANCES) + COUNTS
    mismatches = {name: [] for name in names}
    for row, result in zip(reference, ours):
        for name in names:
            mine = result.get(f"chem.descriptors.{name}", "")
            theirs = row[name]
            if mine == "":
                mismatches[name].append((row, mine, theirs, "error row: " + result["chem.descriptors.error"]))
                continue
            if name in TOLERANCES:
                ok = abs(float(mine) - float(theirs)) <= TOLERANCES[name]
            else:
                ok = int(mine) == int(theirs)
            if not ok:
                mismatches[name].append((row, mine, theirs, reason(name, row)))

    split = []
    for index in range(len(randoms)):
        group = canonical[index * 11:(index + 1) * 11]
        strings = {r["chem.descriptors.canonical_smiles"] for r in group}
        if len(strings) != 1:
            split.append((randoms[index]["canonical_smiles"], sorted(strings)))

    total = len(reference)
    lines = [
        "# Agreement with RDKit",
        "",
        "Written by `scripts/reference/descriptor_agreement.py` from the RDKit 2026.09.1 values in",
        "`Tests/ChemistryTests/Fixtures/rdkit_descriptors.tsv` (the shared ChEMBL, FreeSolv and",
        f"solubility molecules, {total} in all) and the output of `bulkpredict predict --model chem.descriptors`.",
        "",
        "| descriptor | tolerance | agree | agreement |",
        "|---|---|---|---|",
    ]
    for name in names:
        tolerance = TOLERANCES.get(name, "exact")
        agree = total - len(mismatches[name])
        lines.append(f"| {name} | {tolerance} | {agree} / {total} | {100 * agree / total:.2f}% |")
    kept = len(randoms) - len(split)
    lines += [
        "",
        f"Canonical SMILES: {kept} of {len(randoms)} molecules ({100 * kept / len(randoms):.2f}%) give one",
        "canonical SMILES for all eleven spellings (RDKit's canonical SMILES and ten",
        "`MolToSmiles(m, doRandom=True)` spellings).",
        "",
        "## Mismatches",
        "",
    ]
    any_mismatch = False
    for name in names:
        for row, mine, theirs, why in mismatches[name]:
            any_mismatch = True
            lines.append(f"- {name} of `{row['smiles']}`: BulkPredict {mine}, RDKit {theirs}. Reason: {why}.")
    for expected, strings in split:
        any_mismatch = True
        lines.append(f"- canonical SMILES of `{expected}` differs between spellings: {', '.join(f'`{s}`' for s in strings)}.")
    if not any_mismatch:
        lines.append("None.")
    REPORT.write_text("\n".join(lines) + "\n")
    print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()

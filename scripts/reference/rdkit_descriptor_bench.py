#!/usr/bin/env python3
"""Time RDKit computing the descriptor set of ``rdkit_descriptors.tsv``.

What it does
    Reads a SMILES file (one SMILES a line; anything after the first whitespace, such
    as a name or ID column, is ignored; blank lines are skipped) and, in this one Python
    process pinned to one CPU core, parses every SMILES with ``Chem.MolFromSmiles`` and
    computes for each accepted molecule exactly the values written by
    ``scripts/reference/descriptor_reference.py`` (its ``descriptors`` function:
    MolWt, ExactMolWt, heavy atoms, donors, acceptors, rotatable bonds, rings,
    aromatic rings, FractionCSP3, TPSA, MolLogP, MolMR, QED, stereocentres, formal
    charge, Lipinski violations, PAINS / BRENK / NIH match counts and the canonical
    SMILES). Reading the file and building the filter catalogues are not timed.

    It prints one JSON object on stdout:

        {"molecules": N, "seconds": S, "per_second": R, "invalid": K}

    where N is the number of SMILES read, S the wall-clock seconds of the timed loop
    (``time.perf_counter``), R = N / S and K the number of SMILES RDKit rejects.

    Options
        --only parse   time ``Chem.MolFromSmiles`` alone
        --no-filters   leave out the three filter catalogues

How to run (from the repository root)
    .venv/bin/python scripts/reference/rdkit_descriptor_bench.py molecules.smi
    .venv/bin/python scripts/reference/rdkit_descriptor_bench.py --only parse molecules.smi
    .venv/bin/python scripts/reference/rdkit_descriptor_bench.py --no-filters molecules.smi
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rdkit import Chem, RDLogger

sys.path.insert(0, str(Path(__file__).resolve().parent))
from descriptor_reference import descriptors, filter_catalogs  # noqa: E402


def read_smiles(path: Path) -> list[str]:
    smiles = []
    with path.open() as handle:
        for line in handle:
            fields = line.split(maxsplit=1)
            if fields:
                smiles.append(fields[0])
    return smiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("smiles_file", type=Path)
    parser.add_argument("--only", choices=["parse"], help="time SMILES parsing only")
    parser.add_argument("--no-filters", action="store_true",
                        help="leave out the PAINS, BRENK and NIH catalogues")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    RDLogger.DisableLog("rdApp.*")
    smiles = read_smiles(args.smiles_file)
    catalogs = None if args.no_filters else filter_catalogs()
    parse_only = args.only == "parse"

    invalid = 0
    start = time.perf_counter()
    for text in smiles:
        mol = Chem.MolFromSmiles(text)
        if mol is None:
            invalid += 1
        elif not parse_only:
            descriptors(mol, catalogs)
    seconds = time.perf_counter() - start

    print(json.dumps({
        "molecules": len(smiles),
        "seconds": round(seconds, 6),
        "per_second": round(len(smiles) / seconds, 3) if seconds > 0 else None,
        "invalid": invalid,
    }))


if __name__ == "__main__":
    main()

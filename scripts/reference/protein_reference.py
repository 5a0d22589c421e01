#!/usr/bin/env python3
"""Generate the Biopython and scikit-learn reference fixtures for the Proteins tests.

What it writes (paths relative to the repository root)
    Tests/Fixtures/biopython_properties.tsv
        Bio.SeqUtils.ProtParam.ProteinAnalysis values for every sequence of four sets:

        luxc, pksi  every record of ../shared/data/proteins/LuxC.faa and PKSI.faa, read with
                    Bio.SeqIO (the ``name`` column is the full header line);
        random      one sequence of every length from 1 to 5,000 over the 20 standard residues,
                    drawn in order of length from a single SplitMix64 stream (seed
                    RANDOM_SEED, residue = ALPHABET[next() % 20]); the sequences are not
                    stored, the tests draw them again, and the ``fnv1a64`` column checks that
                    they drew the same ones;
        ambiguous   hand-written edge cases and fixed-seed random sequences over the extended
                    alphabet (X, B, Z, J, U, O mixed into the standard residues), which pin how
                    each value treats those letters; stored in the ``sequence`` column.

        Columns: set, name, sequence (empty for luxc, pksi and random), fnv1a64 (FNV-1a
        64-bit hash of the upper-case sequence, 16 hex digits), length, molecular_weight,
        isoelectric_point, gravy, instability_index, aromaticity, extinction_reduced,
        extinction_oxidized, charge_at_ph7. Floats are written with repr (full precision).
        A value for which Biopython raises is written as ``error:<ExceptionName>``.

        molecular_weight  ProteinAnalysis(seq).molecular_weight()
        isoelectric_point ProteinAnalysis(seq).isoelectric_point()
        gravy             ProteinAnalysis(seq).gravy()            (Kyte-Doolittle)
        instability_index ProteinAnalysis(seq).instability_index()
        aromaticity       ProteinAnalysis(seq).aromaticity()
        extinction_*      ProteinAnalysis(seq).molar_extinction_coefficient()
        charge_at_ph7     ProteinAnalysis(seq).charge_at_pH(7.0)

    Tests/Fixtures/composition_reference.tsv
        The 420-value composition embedding (20 residue fractions, then 400 dipeptide
        fractions, order ACDEFGHIKLMNPQRSTVWY, first residue major) of every LuxC and PKSI
        record, computed here in plain Python as an independent implementation of the
        definition: residue count / length and dipeptide count / (length - 1).

    Tests/Fixtures/pca_random_input.tsv
        A fixed 500 x 20 data set with three dominant directions (numpy default_rng,
        seed PCA_SEED), one row per line.

    Tests/Fixtures/sklearn_pca.tsv
        sklearn.decomposition.PCA(n_components=3) fitted on (a) that data set and (b) the
        composition embeddings of the LuxC and PKSI records. Rows: ``<dataset> ratio`` with
        explained_variance_ratio_, ``<dataset> variance`` with explained_variance_,
        ``<dataset> component <i>`` with components_[i], and ``<dataset> coordinates <row>``
        with fit_transform's row.

How to run (from the repository root)
    python3 -m venv /tmp/protvenv
    /tmp/protvenv/bin/pip install biopython scikit-learn numpy
    /tmp/protvenv/bin/python scripts/reference/protein_reference.py

    The shared data is read from ../shared/data/proteins, or $BULKPREDICT_SHARED_DATA/proteins
    when that is set. The output is deterministic for given package versions. The committed
    fixtures were produced with Python 3.11.7, biopython 1.88, scikit-learn 1.9.1 and
    numpy 2.4.6; the versions in use are also written into each fixture's first line.
"""

import os
import platform
import sys
from pathlib import Path

import Bio
import numpy as np
import sklearn
from Bio import SeqIO
from Bio.SeqUtils.ProtParam import ProteinAnalysis
from sklearn.decomposition import PCA

ROOT = Path(__file__).resolve().parents[2]
SHARED = (
    Path(os.environ["BULKPREDICT_SHARED_DATA"])
    if "BULKPREDICT_SHARED_DATA" in os.environ
    else ROOT.parent / "shared" / "data"
) / "proteins"
FIXTURES = ROOT / "Tests" / "Fixtures"

ALPHABET = "ACDEFGHIKLMNPQRSTVWY"
EXTENDED = "XBZJUO"
RANDOM_SEED = 20240611
RANDOM_MAX_LENGTH = 5000
AMBIGUOUS_SEED = 977
AMBIGUOUS_COUNT = 400
PCA_SEED = 4242

VERSIONS = (
    f"# python {platform.python_version()}, biopython {Bio.__version__}, "
    f"scikit-learn {sklearn.__version__}, numpy {np.__version__}"
)

MASK64 = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea & Flood's SplitMix64 generator (OOPSLA 2014), easy to repeat in Swift."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def fnv1a64(text):
    """FNV-1a 64-bit hash of the text's ASCII bytes, as 16 hex digits."""
    value = 0xCBF29CE484222325
    for byte in text.encode("ascii"):
        value ^= byte
        value = (value * 0x100000001B3) & MASK64
    return f"{value:016x}"


def random_sequences():
    """One sequence of each length 1...RANDOM_MAX_LENGTH, drawn from one stream in order."""
    rng = SplitMix64(RANDOM_SEED)
    for length in range(1, RANDOM_MAX_LENGTH + 1):
        yield "".join(ALPHABET[rng.next() % 20] for _ in range(length))


# Every extended letter alone, at each end, in the middle, and next to the terminal residues
# that change the pK tables; lower case (ProteinAnalysis upper-cases its input).
EDGE_CASES = (
    list(ALPHABET)
    + list(EXTENDED)
    + [
        "MX", "XM", "MXK", "XX", "MU", "UM", "MO", "OM", "MUO", "OU", "UUUU", "OOOO",
        "MB", "BM", "MZ", "ZM", "MJ", "JM", "AX", "XD", "XE", "EX", "MKXD", "AKUE",
        "MKVLAAGIXXXWYCC", "CCCCX", "WYXWY", "XXXXXXXXXXXXXXXXXXXX", "BZJUOX",
        "mkvlaagd", "mkXu", "PETER", "INGAR", "DDDD", "RRRR", "KKKK", "EEEE", "HHHH",
        "CC", "CCC", "WWWW", "YYYY", "MM", "GG",
    ]
)


def ambiguous_sequences():
    """The edge cases, then AMBIGUOUS_COUNT random sequences with about 1 in 8 extended letters."""
    yield from EDGE_CASES
    rng = SplitMix64(AMBIGUOUS_SEED)
    for _ in range(AMBIGUOUS_COUNT):
        length = 1 + rng.next() % 60
        letters = []
        for _ in range(length):
            r = rng.next()
            letters.append(EXTENDED[(r >> 3) % 6] if r % 8 == 0 else ALPHABET[(r >> 3) % 20])
        yield "".join(letters)


def value_or_error(compute):
    """repr of the value, or error:<ExceptionName> when Biopython raises."""
    try:
        value = compute()
    except Exception as error:  # noqa: BLE001 - any exception is the behaviour to record
        return f"error:{type(error).__name__}"
    return repr(value)


def properties(sequence):
    """The fixture's property columns for one sequence."""
    analysis = ProteinAnalysis(sequence)

    def extinction(index):
        return lambda: analysis.molar_extinction_coefficient()[index]

    return [
        str(analysis.length),
        value_or_error(analysis.molecular_weight),
        value_or_error(analysis.isoelectric_point),
        value_or_error(analysis.gravy),
        value_or_error(analysis.instability_index),
        value_or_error(analysis.aromaticity),
        value_or_error(extinction(0)),
        value_or_error(extinction(1)),
        value_or_error(lambda: analysis.charge_at_pH(7.0)),
    ]


def read_records(name):
    """(header, sequence) of every record of a shared FASTA file."""
    records = []
    for record in SeqIO.parse(SHARED / name, "fasta"):
        sequence = str(record.seq).upper()
        if sequence.endswith("*"):
            sequence = sequence[:-1]
        records.append((record.description, sequence))
    return records


def write_properties(shared_records):
    columns = [
        "set", "name", "sequence", "fnv1a64", "length", "molecular_weight", "isoelectric_point",
        "gravy", "instability_index", "aromaticity", "extinction_reduced", "extinction_oxidized",
        "charge_at_ph7",
    ]
    path = FIXTURES / "biopython_properties.tsv"
    rows = 0
    with path.open("w", encoding="ascii", newline="\n") as out:
        out.write(VERSIONS + "\n")
        out.write(f"# random set: SplitMix64 seed {RANDOM_SEED}, lengths 1...{RANDOM_MAX_LENGTH}\n")
        out.write("\t".join(columns) + "\n")

        def row(set_name, name, stored_sequence, sequence):
            nonlocal rows
            fields = [set_name, name, stored_sequence, fnv1a64(sequence.upper())] + properties(sequence)
            out.write("\t".join(fields) + "\n")
            rows += 1

        for set_name, records in shared_records:
            for header, sequence in records:
                row(set_name, header, "", sequence)
        for length, sequence in enumerate(random_sequences(), start=1):
            row("random", str(length), "", sequence)
        for index, sequence in enumerate(ambiguous_sequences(), start=1):
            row("ambiguous", str(index), sequence, sequence)
    return path, rows


def composition_embedding(sequence):
    """Residue fractions then dipeptide fractions; letters outside ALPHABET are not counted."""
    length = len(sequence)
    residues = [0] * 20
    pairs = [0] * 400
    for letter in sequence:
        if letter in ALPHABET:
            residues[ALPHABET.index(letter)] += 1
    for first, second in zip(sequence, sequence[1:]):
        if first in ALPHABET and second in ALPHABET:
            pairs[ALPHABET.index(first) * 20 + ALPHABET.index(second)] += 1
    fractions = [count / length for count in residues]
    fractions += [count / (length - 1) if length > 1 else 0.0 for count in pairs]
    return fractions


def write_composition(shared_records):
    names = [f"aa_{a}" for a in ALPHABET] + [f"dp_{a}{b}" for a in ALPHABET for b in ALPHABET]
    path = FIXTURES / "composition_reference.tsv"
    matrix = []
    with path.open("w", encoding="ascii", newline="\n") as out:
        out.write(VERSIONS + "\n")
        out.write("\t".join(["name"] + names) + "\n")
        for _, records in shared_records:
            for header, sequence in records:
                vector = composition_embedding(sequence)
                matrix.append(vector)
                out.write("\t".join([header] + [repr(v) for v in vector]) + "\n")
    return path, np.array(matrix)


def pca_input():
    """500 x 20: three latent directions with standard deviations 5, 3 and 2, plus noise."""
    rng = np.random.default_rng(PCA_SEED)
    latent = rng.normal(size=(500, 3)) * np.array([5.0, 3.0, 2.0])
    loadings = rng.normal(size=(3, 20))
    return latent @ loadings + 0.5 * rng.normal(size=(500, 20)) + rng.uniform(-3, 3, size=20)


def write_pca(datasets):
    path = FIXTURES / "sklearn_pca.tsv"
    with path.open("w", encoding="ascii", newline="\n") as out:
        out.write(VERSIONS + "\n")
        out.write("# dataset\tkind\tindex\tvalues...\n")
        for name, matrix in datasets:
            pca = PCA(n_components=3)
            coordinates = pca.fit_transform(matrix)
            out.write("\t".join([name, "ratio", "0"] + [repr(float(v)) for v in pca.explained_variance_ratio_]) + "\n")
            out.write("\t".join([name, "variance", "0"] + [repr(float(v)) for v in pca.explained_variance_]) + "\n")
            for index, component in enumerate(pca.components_):
                out.write("\t".join([name, "component", str(index)] + [repr(float(v)) for v in component]) + "\n")
            for index, row in enumerate(coordinates):
                out.write("\t".join([name, "coordinates", str(index)] + [repr(float(v)) for v in row]) + "\n")
    return path


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    shared_records = [("luxc", read_records("LuxC.faa")), ("pksi", read_records("PKSI.faa"))]
    path, rows = write_properties(shared_records)
    print(f"{path.relative_to(ROOT)}: {rows} sequences")
    path, embeddings = write_composition(shared_records)
    print(f"{path.relative_to(ROOT)}: {len(embeddings)} embeddings")

    random_input = pca_input()
    input_path = FIXTURES / "pca_random_input.tsv"
    with input_path.open("w", encoding="ascii", newline="\n") as out:
        out.write(VERSIONS + "\n")
        for row in random_input:
            out.write("\t".join(repr(float(v)) for v in row) + "\n")
    print(f"{input_path.relative_to(ROOT)}: {random_input.shape[0]} x {random_input.shape[1]}")
    path = write_pca([("random", random_input), ("embeddings", embeddings)])
    print(f"{path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())

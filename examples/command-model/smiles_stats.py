#!/usr/bin/env python3
"""An example BulkPredict command model: simple statistics of a SMILES string.

Protocol (see the README): BulkPredict starts this program once per chunk and writes one JSON line
per record to standard input, {"row": N, "input": "<SMILES>"}. The program answers one JSON line
per record on standard output, {"row": N, "values": {...}} or {"row": N, "error": "..."}, in any
order, then exits when its input ends. Anything written to standard error is kept for error
messages. A real model would load its weights once at start-up and predict here instead.

Run it with the example registry: bulkpredict serve --models-config examples/command-model/models.json
"""
import json
import sys

AROMATIC = set("bcnops")


def stats(smiles):
    if not smiles or any(ch.isspace() for ch in smiles):
        raise ValueError("empty SMILES or SMILES with spaces")
    return {
        "length": len(smiles),
        "aromatic_atoms": sum(1 for ch in smiles if ch in AROMATIC),
        "ring_bonds": sum(1 for ch in smiles if ch.isdigit()) // 2,
        "charged": "+" in smiles or "-" in smiles.replace("[N-]", "-"),
    }


for line in sys.stdin:
    question = json.loads(line)
    row = question["row"]
    try:
        answer = {"row": row, "values": stats(question["input"])}
    except ValueError as error:
        answer = {"row": row, "error": str(error)}
    sys.stdout.write(json.dumps(answer) + "\n")
sys.stdout.flush()

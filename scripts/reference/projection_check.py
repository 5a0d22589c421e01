#!/usr/bin/env python3
"""Compare the PCA projections in a BulkPredict ProtSpace bundle with scikit-learn's PCA.

    projection_check.py EMBEDDINGS.parquet BUNDLE.parquetbundle

EMBEDDINGS.parquet is the request's `layout=embeddings` download (row, id, then one float column
per embedding value); BUNDLE is its `format=parquetbundle` download. For each projection in the
bundle (PCA_2, PCA_3), fits sklearn.decomposition.PCA(n_components) on the embedding rows that have
values, and compares:

    explained_variance_ratio   with the bundle's info_json (absolute difference)
    coordinates                with the bundle's x, y (and z), per component up to sign, relative
                               to the largest coordinate magnitude of that component

Prints one JSON object {projections: [{name, rows, ratio_max_difference,
coordinate_max_relative_difference, signs}], problems: [...]}; exit 0 when it ran, 3 when a
package cannot be imported.
"""

import io
import json
import os
import sys

# One thread for the numerical libraries: the check is small, and their thread pools were seen to
# abort the interpreter at exit ("terminate called without an active exception") on a busy machine.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")


def main():
    try:
        import numpy as np
        import pyarrow.parquet as pq
        from sklearn.decomposition import PCA
    except ImportError as error:
        print(f"cannot import: {error}", file=sys.stderr)
        return 3
    embeddings_path, bundle_path = sys.argv[1], sys.argv[2]
    table = pq.read_table(embeddings_path)
    value_columns = [name for name in table.column_names if name not in ("row", "id")]
    matrix = np.column_stack([table.column(name).to_numpy(zero_copy_only=False).astype(np.float64) for name in value_columns])
    matrix = matrix[~np.isnan(matrix).any(axis=1)]
    with open(bundle_path, "rb") as handle:
        parts = handle.read().split(b"---PARQUET_DELIMITER---")
    metadata = pq.read_table(io.BytesIO(parts[1])).to_pylist()
    points = pq.read_table(io.BytesIO(parts[2])).to_pylist()
    report = {"projections": [], "problems": []}
    for entry in metadata:
        name, dimensions = entry["projection_name"], entry["dimensions"]
        info = json.loads(entry["info_json"])
        pca = PCA(n_components=dimensions)
        expected = pca.fit_transform(matrix)
        rows = [p for p in points if p["projection_name"] == name]
        if len(rows) != len(expected):
            report["problems"].append(f"{name}: {len(rows)} points, {len(expected)} embeddings")
            continue
        got = np.array([[p["x"], p["y"]] + ([p["z"]] if dimensions == 3 else []) for p in rows], dtype=np.float64)
        ratio_difference = float(np.max(np.abs(np.array(info["explained_variance_ratio"]) - pca.explained_variance_ratio_)))
        worst = 0.0
        signs = []
        for component in range(dimensions):
            scale = max(float(np.max(np.abs(expected[:, component]))), 1e-12)
            plus = float(np.max(np.abs(got[:, component] - expected[:, component]))) / scale
            minus = float(np.max(np.abs(got[:, component] + expected[:, component]))) / scale
            signs.append(1 if plus <= minus else -1)
            worst = max(worst, min(plus, minus))
        report["projections"].append(
            {
                "name": name,
                "rows": len(rows),
                "ratio_max_difference": ratio_difference,
                "coordinate_max_relative_difference": worst,
                "signs": signs,
            }
        )
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The report is out: end here rather than in the libraries' teardown (see above).
    os._exit(code)

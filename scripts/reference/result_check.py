#!/usr/bin/env python3
"""Read BulkPredict result files with independent readers and report what they see, as JSON.

The tests download one request's result in every format and layout, then ask this script whether
pyarrow, polars and DuckDB read the Parquet files with the right types, nulls, row counts and
values, equal to the CSV of the same request; whether the JSON Lines agree; and whether the wide
and long layouts tell the same story.

Usage
    result_check.py --wide-csv F --wide-parquet F --long-csv F --long-parquet F
                    [--wide-jsonl F] [--long-jsonl F]

Prints one JSON object:

    wide, long       {rows, created_by, metadata {key: value}, arrow_types {column: type},
                      polars_types, duckdb_types {column: type}, polars_rows, duckdb_rows,
                      statistics {column: {min, max, null_count}} of the first row group,
                      num_row_groups}
    mismatches       a list of human-readable differences; empty when every check agrees

Cells compare as values: numbers numerically (NaN equal to NaN), booleans against 'true'/'false',
an empty CSV cell against null. Exit status: 0 when the report was printed (whatever it says),
3 when a reader cannot be imported, 1 on other errors.
"""

import argparse
import csv
import json
import math
import sys


def parse_args():
    parser = argparse.ArgumentParser()
    for name in ("wide-csv", "wide-parquet", "long-csv", "long-parquet"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--wide-jsonl")
    parser.add_argument("--long-jsonl")
    return parser.parse_args()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def same(expected_text, value):
    """Whether a CSV cell (text) and a typed value are the same value."""
    if value is None:
        return expected_text == ""
    if isinstance(value, bool):
        return expected_text == ("true" if value else "false")
    if isinstance(value, int):
        return expected_text != "" and int(expected_text) == value
    if isinstance(value, float):
        if expected_text == "":
            return False
        number = float(expected_text)
        return (math.isnan(number) and math.isnan(value)) or number == value
    return expected_text == value


def same_values(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b) or (a is None and b is None)


def compare_to_csv(label, header, rows, columns, table_rows, mismatches):
    if header != columns:
        mismatches.append(f"{label}: columns {columns} differ from the CSV's {header}")
        return
    if len(rows) != len(table_rows):
        mismatches.append(f"{label}: {len(table_rows)} rows, the CSV has {len(rows)}")
        return
    for index, (row, values) in enumerate(zip(rows, table_rows)):
        for name, text, value in zip(header, row, values):
            if not same(text, value):
                mismatches.append(f"{label}: row {index} column {name}: {value!r} but the CSV has {text!r}")
                if len(mismatches) > 50:
                    return


def describe_parquet(path, mismatches, label):
    import pyarrow.parquet as pq
    import polars
    import duckdb

    parquet = pq.ParquetFile(path)
    metadata = parquet.metadata
    table = parquet.read()
    report = {
        "rows": table.num_rows,
        "num_row_groups": metadata.num_row_groups,
        "created_by": metadata.created_by,
        "metadata": {k.decode(): v.decode() for k, v in (metadata.metadata or {}).items() if not k.startswith(b"ARROW")},
        "arrow_types": {field.name: str(field.type) for field in table.schema},
        "nullable": {field.name: field.nullable for field in table.schema},
        "statistics": {},
    }
    if metadata.num_row_groups:
        group = metadata.row_group(0)
        for position in range(group.num_columns):
            column = group.column(position)
            stats = column.statistics
            if stats is None:
                report["statistics"][column.path_in_schema] = None
                continue
            report["statistics"][column.path_in_schema] = {
                "min": str(stats.min) if stats.has_min_max else None,
                "max": str(stats.max) if stats.has_min_max else None,
                "null_count": stats.null_count,
            }
    frame = polars.read_parquet(path)
    report["polars_rows"] = frame.height
    report["polars_types"] = {name: str(dtype) for name, dtype in frame.schema.items()}
    connection = duckdb.connect()
    relation = connection.execute(f"SELECT * FROM read_parquet('{path}')")
    report["duckdb_types"] = {column[0]: str(column[1]) for column in relation.description}
    duck_rows = relation.fetchall()
    report["duckdb_rows"] = len(duck_rows)
    columns = table.column_names
    arrow_rows = list(zip(*[table.column(name).to_pylist() for name in columns])) if columns else []
    polars_rows = [tuple(row) for row in frame.iter_rows()]
    for reader, rows in (("polars", polars_rows), ("duckdb", [tuple(row) for row in duck_rows])):
        if len(rows) != len(arrow_rows):
            mismatches.append(f"{label}: {reader} reads {len(rows)} rows, pyarrow {len(arrow_rows)}")
            continue
        for index, (mine, theirs) in enumerate(zip(rows, arrow_rows)):
            if not all(same_values(a, b) for a, b in zip(mine, theirs)):
                mismatches.append(f"{label}: {reader} row {index} is {mine!r}, pyarrow reads {theirs!r}")
                break
    return report, columns, arrow_rows


def compare_jsonl(label, path, columns, arrow_rows, mismatches):
    with open(path, encoding="utf-8") as handle:
        objects = [json.loads(line) for line in handle if line.strip()]
    if len(objects) != len(arrow_rows):
        mismatches.append(f"{label}: {len(objects)} JSON lines, the Parquet file has {len(arrow_rows)} rows")
        return
    for index, (obj, row) in enumerate(zip(objects, arrow_rows)):
        if list(obj.keys()) != columns:
            mismatches.append(f"{label}: line {index} keys {list(obj.keys())} differ from {columns}")
            return
        for name, value in zip(columns, row):
            theirs = obj[name]
            if isinstance(value, float) and not math.isfinite(value):
                if theirs is not None:
                    mismatches.append(f"{label}: line {index} {name} is {theirs!r}, expected null for {value!r}")
                continue
            if isinstance(value, float) and isinstance(theirs, int) and not isinstance(theirs, bool):
                theirs = float(theirs)
            if not same_values(theirs, value):
                mismatches.append(f"{label}: line {index} {name} is {theirs!r}, the Parquet file has {value!r}")
                return


def compare_layouts(wide_columns, wide_rows, long_columns, long_rows, models, mismatches):
    """Every long row must repeat its record's wide cells for its model."""
    if len(long_rows) != len(wide_rows) * len(models):
        mismatches.append(f"long has {len(long_rows)} rows, expected {len(wide_rows)} x {len(models)}")
        return
    wide_index = {name: position for position, name in enumerate(wide_columns)}
    long_index = {name: position for position, name in enumerate(long_columns)}
    outputs = [name for name in long_columns if name not in ("row", "id", "input", "model", "model_version", "error")]
    expected_long = 0
    for record, wide in enumerate(wide_rows):
        for model in models:
            long = long_rows[expected_long]
            expected_long += 1
            where = f"long row {expected_long - 1} (record {record}, {model['id']})"
            if long[long_index["row"]] != wide[wide_index["row"]] or long[long_index["id"]] != wide[wide_index["id"]]:
                mismatches.append(f"{where}: row/id differ from the wide row")
            if long[long_index["model"]] != model["id"] or long[long_index["model_version"]] != model["version"]:
                mismatches.append(f"{where}: model/version {long[long_index['model']]!r} {long[long_index['model_version']]!r}")
            if not same_values(long[long_index["error"]], wide[wide_index[model["id"] + ".error"]]):
                mismatches.append(f"{where}: error differs from the wide row")
            for output in outputs:
                wide_name = f"{model['id']}.{output}"
                value = long[long_index[output]]
                if wide_name in wide_index:
                    if not same_values(value, wide[wide_index[wide_name]]):
                        mismatches.append(f"{where}: {output} is {value!r}, the wide row has {wide[wide_index[wide_name]]!r}")
                elif value is not None:
                    mismatches.append(f"{where}: {output} is not an output of this model but holds {value!r}")
            if len(mismatches) > 50:
                return


def main():
    args = parse_args()
    try:
        import pyarrow  # noqa: F401
        import polars  # noqa: F401
        import duckdb  # noqa: F401
    except ImportError as error:
        print(f"cannot import a reader: {error}", file=sys.stderr)
        return 3
    mismatches = []
    report = {}
    wide_header, wide_csv = read_csv(args.wide_csv)
    report["wide"], wide_columns, wide_rows = describe_parquet(args.wide_parquet, mismatches, "wide parquet")
    compare_to_csv("wide parquet vs csv", wide_header, wide_csv, wide_columns, wide_rows, mismatches)
    long_header, long_csv = read_csv(args.long_csv)
    report["long"], long_columns, long_rows = describe_parquet(args.long_parquet, mismatches, "long parquet")
    compare_to_csv("long parquet vs csv", long_header, long_csv, long_columns, long_rows, mismatches)
    if args.wide_jsonl:
        compare_jsonl("wide jsonl", args.wide_jsonl, wide_columns, wide_rows, mismatches)
    if args.long_jsonl:
        compare_jsonl("long jsonl", args.long_jsonl, long_columns, long_rows, mismatches)
    models = json.loads(report["wide"]["metadata"].get("bulkpredict.models", "[]"))
    compare_layouts(wide_columns, wide_rows, long_columns, long_rows, models, mismatches)
    report["mismatches"] = mismatches
    print(json.dumps(report, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

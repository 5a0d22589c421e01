#!/usr/bin/env python3
"""Read a Parquet file with pyarrow (and optionally polars) and print what a reader sees, as JSON.

Used by the Parquet module's tests: the Swift writer writes a file, this script reads it with the
reference implementation, and the tests compare the JSON with the values they wrote.

Usage
    parquet_check.py FILE [--values] [--polars] [--summary]
    parquet_check.py --snappy-decompress COMPRESSED UNCOMPRESSED_SIZE OUTPUT

FILE mode prints one JSON object:

    num_rows, num_row_groups, created_by, format_version
    key_value_metadata   {key: value}, UTF-8 decoded
    schema               [{name, physical_type, logical_type, converted_type, max_definition_level,
                           arrow_type, nullable}]
    row_groups           [{num_rows, columns: [{path, physical_type, compression, encodings,
                           has_dictionary_page, dictionary_page_offset, data_page_offset,
                           total_compressed_size, total_uncompressed_size, num_values,
                           statistics: null | {has_min_max, min, max, null_count, num_values}}]}]
    page_checksums_verified   true once the whole file was read with page CRC verification on
    values               (with --values) {column: [cell, ...]} from pyarrow
    polars_values        (with --polars) the same, read with polars
    summary              (with --summary) {column: {count, null_count, first, last, sum}} from pyarrow,
                         for files too large to print whole; sum is the total UTF-8 length in code
                         points for strings and the number of true values for booleans

Cells are strings so that every value survives JSON exactly: integers in decimal, floats as
Python's float.hex() ('nan', 'inf', '-inf', '-0x0.0p+0' ...), booleans as 'true'/'false',
strings as themselves; null is JSON null. Statistics bounds use the same form.

--snappy-decompress decompresses a raw Snappy block with pyarrow's codec and writes the bytes to
OUTPUT; it lets the tests check the Swift compressor against the reference decompressor.

Exit status: 0 on success, 2 on bad usage, 3 when pyarrow cannot be imported (the tests then fail
with an explanation rather than skipping), 4 when polars was asked for but cannot be imported,
1 when the file cannot be read.
"""

import json
import math
import sys


def cell(value):
    """One value as the JSON-safe string described in the module docstring."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return value.hex()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def column_values(table):
    return {name: [cell(v) for v in table.column(name).to_pylist()] for name in table.column_names}


def summary(table):
    import pyarrow
    import pyarrow.compute as pc

    result = {}
    for name in table.column_names:
        column = table.column(name)
        if pyarrow.types.is_string(column.type) or pyarrow.types.is_large_string(column.type):
            total = pc.sum(pc.utf8_length(column)).as_py()  # strings: total length in code points
        elif pyarrow.types.is_boolean(column.type):
            total = pc.sum(pc.cast(column, "int64")).as_py()  # booleans: the number of true values
        else:
            total = pc.sum(column).as_py()
        result[name] = {
            "count": len(column),
            "null_count": column.null_count,
            "first": cell(column[0].as_py()) if len(column) else None,
            "last": cell(column[-1].as_py()) if len(column) else None,
            "sum": cell(total),
        }
    return result


def statistics(stats):
    if stats is None:
        return None
    result = {
        "has_min_max": stats.has_min_max,
        "null_count": stats.null_count if stats.has_null_count else None,
        "num_values": stats.num_values,
        "min": None,
        "max": None,
    }
    if stats.has_min_max:
        result["min"] = cell(stats.min)
        result["max"] = cell(stats.max)
    return result


def describe(path, want_values, want_polars, want_summary):
    import pyarrow.parquet as pq

    parquet_file = pq.ParquetFile(path)
    metadata = parquet_file.metadata
    schema = parquet_file.schema
    arrow_schema = parquet_file.schema_arrow
    result = {
        "num_rows": metadata.num_rows,
        "num_row_groups": metadata.num_row_groups,
        "created_by": metadata.created_by,
        "format_version": metadata.format_version,
        "key_value_metadata": {
            key.decode("utf-8"): value.decode("utf-8") for key, value in (metadata.metadata or {}).items()
        },
        "schema": [],
        "row_groups": [],
    }
    for index in range(len(schema)):
        column = schema.column(index)
        field = arrow_schema.field(column.name)
        result["schema"].append(
            {
                "name": column.name,
                "physical_type": column.physical_type,
                "logical_type": str(column.logical_type),
                "converted_type": column.converted_type,
                "max_definition_level": column.max_definition_level,
                "arrow_type": str(field.type),
                "nullable": field.nullable,
            }
        )
    for group_index in range(metadata.num_row_groups):
        group = metadata.row_group(group_index)
        columns = []
        for column_index in range(group.num_columns):
            chunk = group.column(column_index)
            columns.append(
                {
                    "path": chunk.path_in_schema,
                    "physical_type": chunk.physical_type,
                    "compression": chunk.compression,
                    "encodings": list(chunk.encodings),
                    "has_dictionary_page": chunk.has_dictionary_page,
                    "dictionary_page_offset": chunk.dictionary_page_offset,
                    "data_page_offset": chunk.data_page_offset,
                    "total_compressed_size": chunk.total_compressed_size,
                    "total_uncompressed_size": chunk.total_uncompressed_size,
                    "num_values": chunk.num_values,
                    "statistics": statistics(chunk.statistics) if chunk.is_stats_set else None,
                }
            )
        result["row_groups"].append({"num_rows": group.num_rows, "columns": columns})

    # Decoding every page with CRC verification on proves the checksums and all the data.
    table = pq.read_table(path, page_checksum_verification=True)
    result["page_checksums_verified"] = True
    if table.num_rows != metadata.num_rows:
        raise RuntimeError(f"read {table.num_rows} rows but the footer says {metadata.num_rows}")
    if want_values:
        result["values"] = column_values(table)
    if want_summary:
        result["summary"] = summary(table)
    if want_polars:
        try:
            import polars
        except ImportError as error:
            print(f"polars cannot be imported: {error}", file=sys.stderr)
            sys.exit(4)
        frame = polars.read_parquet(path)
        result["polars_values"] = {name: [cell(v) for v in frame[name].to_list()] for name in frame.columns}
    return result


def snappy_decompress(compressed_path, size, output_path):
    import pyarrow

    with open(compressed_path, "rb") as handle:
        data = handle.read()
    out = pyarrow.decompress(data, decompressed_size=size, codec="snappy", asbytes=True)
    with open(output_path, "wb") as handle:
        handle.write(out)


def main(argv):
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError as error:
        print(f"pyarrow cannot be imported by {sys.executable}: {error}", file=sys.stderr)
        return 3
    if len(argv) == 4 and argv[0] == "--snappy-decompress":
        snappy_decompress(argv[1], int(argv[2]), argv[3])
        return 0
    flags = {"--values", "--polars", "--summary"}
    paths = [arg for arg in argv if arg not in flags]
    if len(paths) != 1 or any(arg.startswith("--") and arg not in flags for arg in argv):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        result = describe(paths[0], "--values" in argv, "--polars" in argv, "--summary" in argv)
    except Exception as error:  # report any reader failure as data for the test's message
        print(f"reading {paths[0]} failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

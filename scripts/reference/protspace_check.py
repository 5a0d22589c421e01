#!/usr/bin/env python3
"""Inspect a ProtSpace ``.parquetbundle`` with pyarrow and with protspace's own readers, as JSON.

Used to check the bundles BulkPredict writes: the file is split and read part by part with
pyarrow, then loaded through the functions the ``protspace`` package itself uses to open a bundle
(the ``protspace serve`` / ``protspace style`` path), and a set of format invariants is checked.

Usage
    protspace_check.py BUNDLE [--compact]

Needs Python 3.11+, pyarrow and protspace (``pip install protspace pyarrow``).

Prints one JSON object:

    bundle, size_bytes, versions {python, pyarrow, protspace}
    delimiter            the separator bytes, as text
    part_count           number of parts after splitting on the delimiter
    parts                [{index, role, size_bytes, empty, parquet_magic, num_rows, num_row_groups,
                           created_by, format_version, columns: [{name, arrow_type, physical_type,
                           logical_type, repetition, null_count}], compression_codecs,
                           column_chunks: [{row_group, column, compression, encodings}],
                           key_value_metadata {key: value}, error}]
                         ARROW:schema is reported by length only; long values are truncated.
    annotations          per annotation column of part 1: {name, arrow_type, missing, distinct,
                           looks_numeric, multi_value}; missing counts null and "" cells
    protspace_reader     what protspace's readers saw: {ok, calls, num_proteins, projection_names,
                           projections: [{name, dimensions, points, points_with_z, info}],
                           annotation_names, format_version, should_decode, core_parts,
                           settings_present, statistics_bytes, error, traceback}
    checks               the invariants that were evaluated, name -> true/false
    problems             list of strings; empty when the bundle passed every check
    warnings             list of strings that do not make the bundle invalid

Exit status: 0 when the checks could run (even if some failed; see "problems"), 1 when the file
cannot be read, 2 on bad usage, 3 when pyarrow or protspace cannot be imported.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import sys
import tempfile
import traceback
from pathlib import Path

try:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
except Exception as exc:  # pragma: no cover - environment problem
    print(json.dumps({"error": f"cannot import pyarrow: {exc!r}"}))
    sys.exit(3)

try:
    from protspace.data.io import bundle as ps_bundle
    from protspace.utils.arrow_reader import ArrowReader
except Exception as exc:  # pragma: no cover - environment problem
    print(json.dumps({"error": f"cannot import protspace: {exc!r}"}))
    sys.exit(3)


DELIMITER = b"---PARQUET_DELIMITER---"
PART_ROLES = [
    "selected_annotations",
    "projections_metadata",
    "projections_data",
    "settings",
    "statistics",
]
# Codecs the browser viewer (hyparquet without extra decompressors) can read.
VIEWER_CODECS = {"UNCOMPRESSED", "SNAPPY"}
# Columns of projections_data; an annotation column with one of these names would overwrite the
# projection field when the viewer merges a protein's annotations into its projection rows.
PROJECTION_FIELDS = {"projection_name", "identifier", "x", "y", "z"}
MISSING_SPELLINGS = {"", "na", "n/a", "nan", "null", "none", "__na__", "<na>"}
MAX_METADATA_VALUE = 600


def _package_version(name: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return None


def _jsonable(value):
    """Turn numpy scalars and other odd values into something json.dumps accepts."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return _jsonable(item())
        except Exception:
            pass
    return str(value)


def _decode_metadata(raw: dict | None) -> dict:
    out = {}
    for key, value in (raw or {}).items():
        k = key.decode("utf-8", "replace")
        if k == "ARROW:schema":
            out[k] = f"<{len(value)} bytes>"
            continue
        v = value.decode("utf-8", "replace")
        if len(v) > MAX_METADATA_VALUE:
            v = v[:MAX_METADATA_VALUE] + f"... <{len(value)} bytes>"
        out[k] = v
    return out


def _read_part(index: int, data: bytes) -> tuple[dict, pa.Table | None]:
    role = PART_ROLES[index] if index < len(PART_ROLES) else f"unknown_{index + 1}"
    report: dict = {
        "index": index,
        "role": role,
        "size_bytes": len(data),
        "empty": len(data) == 0,
    }
    if not data:
        return report, None
    report["parquet_magic"] = data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    try:
        pf = pq.ParquetFile(io.BytesIO(data))
        md = pf.metadata
        table = pf.read()
    except Exception as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
        return report, None

    report["num_rows"] = md.num_rows
    report["num_row_groups"] = md.num_row_groups
    report["created_by"] = md.created_by
    report["format_version"] = md.format_version
    columns = []
    for i, field in enumerate(pf.schema_arrow):
        col = pf.schema.column(i)
        columns.append(
            {
                "name": field.name,
                "arrow_type": str(field.type),
                "physical_type": col.physical_type,
                "logical_type": str(col.logical_type),
                "repetition": "optional" if col.max_definition_level > 0 else "required",
                "null_count": table.column(i).null_count,
            }
        )
    report["columns"] = columns
    chunks = []
    codecs = set()
    for rg in range(md.num_row_groups):
        group = md.row_group(rg)
        for c in range(group.num_columns):
            chunk = group.column(c)
            codecs.add(chunk.compression)
            chunks.append(
                {
                    "row_group": rg,
                    "column": chunk.path_in_schema,
                    "compression": chunk.compression,
                    "encodings": list(chunk.encodings),
                }
            )
    report["compression_codecs"] = sorted(codecs)
    report["column_chunks"] = chunks
    report["key_value_metadata"] = _decode_metadata(md.metadata)
    return report, table


def _is_float_type(t: pa.DataType) -> bool:
    return pa.types.is_floating(t)


def _is_string_type(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _looks_numeric(values: list) -> bool:
    seen = False
    for v in values:
        if v is None:
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            seen = True
            continue
        s = str(v).strip()
        if s.lower() in MISSING_SPELLINGS:
            continue
        if ";" in s or "|" in s:
            return False
        try:
            if not math.isfinite(float(s)):
                return False
        except ValueError:
            return False
        seen = True
    return seen


def _annotation_summary(table: pa.Table, id_col: str) -> list[dict]:
    out = []
    for field in table.schema:
        if field.name == id_col:
            continue
        values = table.column(field.name).to_pylist()
        missing = sum(1 for v in values if v is None or (isinstance(v, str) and v.strip() == ""))
        present = [v for v in values if v is not None and not (isinstance(v, str) and v.strip() == "")]
        out.append(
            {
                "name": field.name,
                "arrow_type": str(field.type),
                "missing": missing,
                "distinct": len({str(v) for v in present}),
                "looks_numeric": _looks_numeric(values),
                "multi_value": any(isinstance(v, str) and ";" in v for v in present),
            }
        )
    return out


def _run_protspace_reader(path: Path) -> dict:
    """Open the bundle the way protspace does and report what it sees."""
    result: dict = {"ok": False, "calls": []}
    try:
        result["calls"].append("protspace.data.io.bundle.read_bundle(path)")
        core, settings = ps_bundle.read_bundle(path)
        result["core_parts"] = len(core)
        result["settings_present"] = settings is not None
        if settings is not None:
            result["settings_keys"] = sorted(settings.keys()) if isinstance(settings, dict) else None

        result["calls"].append("protspace.data.io.bundle.read_statistics_from_bundle(path)")
        stats = ps_bundle.read_statistics_from_bundle(path)
        result["statistics_bytes"] = None if stats is None else len(stats)

        with tempfile.TemporaryDirectory(prefix="protspace_check_") as tmp:
            result["calls"].append("protspace.data.io.bundle.extract_bundle_to_dir(path, tmp)")
            target = ps_bundle.extract_bundle_to_dir(path, Path(tmp))
            result["extracted_files"] = sorted(os.listdir(target))

            result["calls"].append("protspace.utils.arrow_reader.ArrowReader(Path(tmp))")
            reader = ArrowReader(Path(target))
            names = reader.get_projection_names()
            projections = []
            for name in names:
                info = reader.get_projection_info(name)
                points = reader.get_projection_data(name)
                projections.append(
                    {
                        "name": name,
                        "dimensions": info.get("dimensions"),
                        "points": len(points),
                        "points_with_z": sum(1 for p in points if "z" in p["coordinates"]),
                        "info": info.get("info"),
                    }
                )
            result["num_proteins"] = len(reader.get_protein_ids())
            result["projection_names"] = names
            result["projections"] = projections
            result["annotation_names"] = sorted(reader.get_all_annotations())
            result["format_version"] = reader.get_format_version()
            result["should_decode"] = reader.should_decode()
        result["ok"] = True
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc()
    return _jsonable(result)


def check_bundle(path: Path) -> dict:
    raw = path.read_bytes()
    problems: list[str] = []
    warnings: list[str] = []
    checks: dict[str, bool] = {}

    def check(name: str, ok: bool, message: str) -> bool:
        checks[name] = bool(ok)
        if not ok:
            problems.append(message)
        return bool(ok)

    parts = raw.split(DELIMITER)
    report: dict = {
        "bundle": str(path),
        "size_bytes": len(raw),
        "versions": {
            "python": sys.version.split()[0],
            "pyarrow": pa.__version__,
            "protspace": _package_version("protspace"),
        },
        "delimiter": DELIMITER.decode(),
        "part_count": len(parts),
    }
    check(
        "part_count_3_to_5",
        3 <= len(parts) <= 5,
        f"bundle has {len(parts)} parts; protspace accepts 3 to 5",
    )

    part_reports = []
    tables: list[pa.Table | None] = []
    for i, data in enumerate(parts):
        rep, table = _read_part(i, data)
        part_reports.append(rep)
        tables.append(table)
    report["parts"] = part_reports

    for i, rep in enumerate(part_reports[:3]):
        role = rep["role"]
        if rep["empty"]:
            check(f"part{i + 1}_present", False, f"part {i + 1} ({role}) is empty")
            continue
        check(f"part{i + 1}_present", True, "")
        check(
            f"part{i + 1}_parquet_magic",
            rep.get("parquet_magic", False),
            f"part {i + 1} ({role}) does not start and end with PAR1",
        )
        check(
            f"part{i + 1}_readable",
            "error" not in rep,
            f"part {i + 1} ({role}) cannot be read by pyarrow: {rep.get('error')}",
        )
    for rep in part_reports:
        codecs = set(rep.get("compression_codecs", []))
        bad = sorted(codecs - VIEWER_CODECS)
        if bad:
            check(
                f"part{rep['index'] + 1}_viewer_codecs",
                False,
                f"part {rep['index'] + 1} ({rep['role']}) uses {bad}; the web viewer reads only "
                "UNCOMPRESSED and SNAPPY",
            )
        elif codecs:
            check(f"part{rep['index'] + 1}_viewer_codecs", True, "")

    ann = tables[0] if tables else None
    meta = tables[1] if len(tables) > 1 else None
    data = tables[2] if len(tables) > 2 else None

    # Part 1: selected_annotations
    protein_ids: list = []
    if ann is not None:
        names = ann.column_names
        has_pid = check(
            "annotations_has_protein_id",
            "protein_id" in names,
            f"selected_annotations has no protein_id column (columns: {names})",
        )
        if names and names[0] != "protein_id":
            warnings.append(
                f"first column of selected_annotations is {names[0]!r}; protspace's ArrowReader "
                "uses the first column as the protein id"
            )
        if has_pid:
            pid_type = ann.schema.field("protein_id").type
            check(
                "protein_id_is_string",
                _is_string_type(pid_type),
                f"protein_id has type {pid_type}, expected a string type",
            )
            protein_ids = ann.column("protein_id").to_pylist()
            nulls = sum(1 for v in protein_ids if v is None or v == "")
            check("protein_id_non_empty", nulls == 0, f"{nulls} protein_id value(s) null or empty")
            dupes = len(protein_ids) - len(set(protein_ids))
            check("protein_id_unique", dupes == 0, f"{dupes} duplicate protein_id value(s)")
            report["annotations"] = _annotation_summary(ann, "protein_id")
        kv = (pq.ParquetFile(io.BytesIO(parts[0])).metadata.metadata or {})
        fmt = kv.get(b"protspace_format_version")
        report["protspace_format_version"] = None if fmt is None else fmt.decode("utf-8", "replace")
        if fmt is None:
            warnings.append(
                "part 1 has no protspace_format_version key-value metadata; readers treat it as v1"
            )
        else:
            check(
                "format_version_is_2",
                fmt == b"2",
                f"protspace_format_version is {fmt!r}, protspace {_package_version('protspace')} "
                "writes b'2'",
            )
        for name in names:
            if name.strip() == "":
                check("annotation_names_non_empty", False, "an annotation column has an empty name")
            if name.replace(".", "", 1).lstrip("+-").isdigit():
                problems.append(f"annotation column name {name!r} looks numeric; the viewer rejects it")
            if name in PROJECTION_FIELDS:
                problems.append(
                    f"annotation column {name!r} collides with a projections_data column; the "
                    "viewer merges annotations over projection rows"
                )
        if len(names) + 5 > 200:
            warnings.append(f"{len(names)} annotation columns; the viewer caps rows at 200 columns")
        bad_cells = 0
        for name in names:
            if _is_string_type(ann.schema.field(name).type):
                for v in ann.column(name).to_pylist()[:1000]:
                    if v and any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in v):
                        bad_cells += 1
        if bad_cells:
            problems.append(f"{bad_cells} annotation cell(s) contain control characters")

    # Part 2: projections_metadata
    meta_rows: list[dict] = []
    if meta is not None:
        required = {"projection_name": "string", "dimensions": "integer", "info_json": "string"}
        for col, kind in required.items():
            if not check(
                f"metadata_has_{col}", col in meta.column_names, f"projections_metadata lacks {col}"
            ):
                continue
            t = meta.schema.field(col).type
            ok = _is_string_type(t) if kind == "string" else pa.types.is_integer(t)
            check(f"metadata_{col}_type", ok, f"projections_metadata.{col} has type {t}, expected {kind}")
        meta_rows = meta.to_pylist()
        names_in_meta = [r.get("projection_name") for r in meta_rows]
        check(
            "metadata_names_unique",
            len(names_in_meta) == len(set(names_in_meta)),
            f"projection_name repeats in projections_metadata: {names_in_meta}",
        )
        for r in meta_rows:
            dims = r.get("dimensions")
            if dims not in (2, 3):
                problems.append(f"projection {r.get('projection_name')!r} has dimensions={dims!r}")
            info = r.get("info_json")
            if info is not None:
                try:
                    json.loads(info)
                except (TypeError, ValueError) as exc:
                    problems.append(f"projection {r.get('projection_name')!r} info_json is not JSON: {exc}")
            else:
                warnings.append(f"projection {r.get('projection_name')!r} has null info_json")

    # Part 3: projections_data
    if data is not None:
        for col in ("projection_name", "identifier", "x", "y", "z"):
            check(f"data_has_{col}", col in data.column_names, f"projections_data lacks {col}")
        for col in ("x", "y"):
            if col in data.column_names:
                t = data.schema.field(col).type
                check(f"data_{col}_float", _is_float_type(t), f"projections_data.{col} has type {t}")
                arr = data.column(col)
                bad = arr.null_count
                if _is_float_type(t):
                    bad += pc.sum(pc.is_nan(arr).cast(pa.int64())).as_py() or 0
                    bad += pc.sum(pc.is_inf(arr).cast(pa.int64())).as_py() or 0
                check(f"data_{col}_finite", bad == 0, f"{bad} non-finite or null {col} value(s)")
        if "z" in data.column_names:
            t = data.schema.field("z").type
            check(
                "data_z_float_or_null",
                _is_float_type(t) or pa.types.is_null(t),
                f"projections_data.z has type {t}, expected float/double or null",
            )
        if {"projection_name", "identifier"} <= set(data.column_names):
            pnames = data.column("projection_name").to_pylist()
            idents = data.column("identifier").to_pylist()
            zs = data.column("z").to_pylist() if "z" in data.column_names else [None] * len(idents)
            pid_set = set(protein_ids)
            unknown = sorted({i for i in idents if i not in pid_set}, key=str)
            check(
                "data_identifiers_in_annotations",
                not unknown,
                f"{len(unknown)} projections_data identifier(s) missing from protein_id, "
                f"e.g. {unknown[:5]}",
            )
            by_proj: dict = {}
            for name, ident, z in zip(pnames, idents, zs):
                entry = by_proj.setdefault(name, {"rows": 0, "ids": set(), "z_set": 0})
                entry["rows"] += 1
                entry["ids"].add(ident)
                if z is not None and not (isinstance(z, float) and math.isnan(z)):
                    entry["z_set"] += 1
            meta_names = {r.get("projection_name") for r in meta_rows}
            extra = sorted(set(by_proj) - meta_names, key=str)
            check(
                "data_projections_in_metadata",
                not extra,
                f"projections_data names {extra} are not in projections_metadata",
            )
            n = len(protein_ids)
            per_projection = []
            for r in meta_rows:
                name = r.get("projection_name")
                entry = by_proj.get(name, {"rows": 0, "ids": set(), "z_set": 0})
                per_projection.append(
                    {
                        "name": name,
                        "dimensions": r.get("dimensions"),
                        "rows": entry["rows"],
                        "distinct_identifiers": len(entry["ids"]),
                        "rows_with_z": entry["z_set"],
                    }
                )
                check(
                    f"rows_match_proteins[{name}]",
                    entry["rows"] == n,
                    f"projection {name!r} has {entry['rows']} rows, expected {n} (one per protein)",
                )
                check(
                    f"identifiers_unique[{name}]",
                    len(entry["ids"]) == entry["rows"],
                    f"projection {name!r} repeats identifiers",
                )
                dims = r.get("dimensions")
                if dims == 2 and entry["z_set"]:
                    problems.append(f"2-D projection {name!r} has {entry['z_set']} non-null z value(s)")
                if dims == 3 and entry["z_set"] != entry["rows"]:
                    problems.append(
                        f"3-D projection {name!r} has {entry['rows'] - entry['z_set']} row(s) without z"
                    )
            report["projections"] = per_projection

    # Optional parts
    if len(parts) >= 4 and parts[3]:
        settings_table = tables[3]
        if settings_table is None or "settings_json" not in settings_table.column_names:
            problems.append("settings part (4) has no readable settings_json column")
        else:
            try:
                json.loads(settings_table.column("settings_json")[0].as_py())
            except Exception as exc:
                problems.append(f"settings_json is not JSON: {exc}")
    if len(parts) == 5 and parts[4] and tables[4] is None:
        problems.append("statistics part (5) cannot be read")

    # protspace's own readers
    ps = _run_protspace_reader(path)
    report["protspace_reader"] = ps
    check(
        "protspace_reader_ok",
        ps.get("ok", False),
        f"protspace reader failed: {ps.get('error')}",
    )
    if ps.get("ok") and ann is not None:
        check(
            "protspace_protein_count",
            ps.get("num_proteins") == ann.num_rows,
            f"protspace sees {ps.get('num_proteins')} proteins, part 1 has {ann.num_rows} rows",
        )
        expected = [r.get("projection_name") for r in meta_rows]
        check(
            "protspace_projection_names",
            ps.get("projection_names") == expected,
            f"protspace sees projections {ps.get('projection_names')}, metadata lists {expected}",
        )

    report["checks"] = checks
    report["problems"] = problems
    report["warnings"] = warnings
    return _jsonable(report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="path to a .parquetbundle file")
    parser.add_argument("--compact", action="store_true", help="print the JSON on one line")
    args = parser.parse_args(argv)
    try:
        if not args.bundle.is_file():
            raise FileNotFoundError(f"not a file: {args.bundle}")
        report = check_bundle(args.bundle)
    except OSError as exc:
        print(json.dumps({"bundle": str(args.bundle), "error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps(report, indent=None if args.compact else 2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

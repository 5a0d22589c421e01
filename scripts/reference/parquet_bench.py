#!/usr/bin/env python3
"""Benchmark: BulkPredict's Parquet writer against pyarrow, writing the same table.

    parquet_bench.py WRITER_BINARY ROWS [ROWS ...]

For each row count, writes 20 typed columns (an int64 id, 4 int64, 8 double, 2 boolean, 3
repeating-label and 2 unique string columns; every 17th row null in all nullable columns) with
Benchmarks/parquet-writer (the Swift writer alone) and with pyarrow, each in its own process, and reports wall time and
peak resident memory (GNU time's %M). pyarrow writes the table in record batches of 65,536
rows through pyarrow.parquet.ParquetWriter, so it too streams rather than holding the whole table;
both use Snappy. Both files are read back with pyarrow and compared column by column, so the
comparison is between writers that produce the same data.

Prints a Markdown table for BENCHMARKS.md.
"""

import os
import subprocess
import sys
import tempfile
import time

BATCH = 65_536


def pyarrow_writer(rows, path):
    """Runs in a child process: writes the table with pyarrow, in batches."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    labels = [[f"label-{c}-{i}" for i in range(10 * (c + 1))] for c in range(3)]
    fields = [pa.field("row", pa.int64(), nullable=False)]
    fields += [pa.field(f"int_{c}", pa.int64()) for c in range(4)]
    fields += [pa.field(f"double_{c}", pa.float64()) for c in range(8)]
    fields += [pa.field(f"bool_{c}", pa.bool_()) for c in range(2)]
    fields += [pa.field(f"label_{c}", pa.string()) for c in range(3)]
    fields += [pa.field(f"text_{c}", pa.string()) for c in range(2)]
    schema = pa.schema(fields)
    started = time.perf_counter()
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        for start in range(0, rows, BATCH):
            index = np.arange(start, min(rows, start + BATCH), dtype=np.int64)
            mask = index % 17 == 0
            columns = [pa.array(index)]
            columns += [pa.array(index * (c + 1) % 1_000_003, mask=mask) for c in range(4)]
            columns += [pa.array(index.astype(np.float64) * (0.5 + c) / 7.0, mask=mask) for c in range(8)]
            columns += [pa.array((index + c) % 3 == 0, mask=mask) for c in range(2)]
            for c in range(3):
                table = np.array(labels[c], dtype=object)
                columns.append(pa.array(table[index % len(labels[c])], type=pa.string(), mask=mask))
            for c in range(2):
                columns.append(pa.array([f"text-{c}-{i}" for i in index.tolist()], type=pa.string(), mask=mask))
            writer.write_batch(pa.record_batch(columns, schema=schema))
    print(time.perf_counter() - started)


def measure(command):
    """Runs command under /usr/bin/time; returns (wall seconds, peak RSS in MiB).

    GNU time forks the command from its own small process: a child forked straight from this
    Python process would inherit its peak RSS (Linux keeps it across exec), and this process grows
    when it reads the files back.
    """
    with tempfile.NamedTemporaryFile("r") as report:
        run = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name] + command, stdout=subprocess.PIPE, text=True)
        if run.returncode != 0:
            raise SystemExit(f"{command} failed with status {run.returncode}")
        wall, kilobytes = report.read().split()[-2:]
    return float(wall), int(kilobytes) / 1024, run.stdout


def same_contents(a, b):
    import pyarrow.parquet as pq

    left, right = pq.read_table(a), pq.read_table(b)
    if left.num_rows != right.num_rows or left.column_names != right.column_names:
        return False
    return all(left.column(n).equals(right.column(n)) for n in left.column_names)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--pyarrow-child":
        pyarrow_writer(int(sys.argv[2]), sys.argv[3])
        return
    binary, counts = sys.argv[1], [int(n) for n in sys.argv[2:]]
    print(
        "| rows × 20 columns | BulkPredict time | pyarrow time (in-process) | time ratio (to in-process) "
        "| BulkPredict peak RSS | pyarrow peak RSS | file sizes (MiB) |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for rows in counts:
            ours, theirs = os.path.join(folder, "ours.parquet"), os.path.join(folder, "theirs.parquet")
            our_time, our_rss, _ = measure(["taskset", "-c", "0", binary, str(rows), ours])
            their_time, their_rss, their_output = measure(
                ["taskset", "-c", "0", sys.executable, os.path.abspath(__file__), "--pyarrow-child", str(rows), theirs])
            if not same_contents(ours, theirs):
                raise SystemExit(f"the two files of {rows} rows differ")
            sizes = f"{os.path.getsize(ours) / 2**20:.1f} / {os.path.getsize(theirs) / 2**20:.1f}"
            their_writing = float(their_output.split()[-1])
            print(
                f"| {rows:,} | {our_time:.2f} s | {their_time:.2f} s ({their_writing:.2f} s) "
                f"| {our_time / their_time:.2f}× ({our_time / their_writing:.2f}×) "
                f"| {our_rss:.0f} MiB | {their_rss:.0f} MiB | {sizes} |"
            )


if __name__ == "__main__":
    main()

"""An import by pyarrow's reader does not load pandas (44 MB, 0.2 s: see arrow_values), and
the arrays made from bytes are those pyarrow makes from the same Python values."""

from __future__ import annotations

import json
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from hackkit.ingest import arrow_values

pytest.importorskip("pyarrow")
ROOT = Path(__file__).resolve().parent.parent.parent

# Every kind of column the conversion and geometry passes handle in C, missing marks included.
CSV = (
    "id,when,ok,amount,latitude,longitude,label\n"
    + "".join(
        f"{i},2024-03-{i % 28 + 1:02d},{'yes' if i % 2 else 'no'},{i * 1.5 if i % 7 else 'n/a'},"
        f"{51.2 + i / 1000:.4f},{4.4 + i / 1000:.4f},{'x' if i % 5 == 0 else f'item {i}'}\n"
        for i in range(1, 400)
    )
    + "400,2024-02-29,no,1.234,51.3,4.5,last\n"
)

READ = """
import json, sys
from hackkit.ingest import read_table
table = read_table(sys.argv[1])
assert table.fast and table.geometry, table.report
rows = sum(len(values[0]) for values in table.column_batches(dates_as_text=True))
print(json.dumps({"rows": rows, "pandas": "pandas" in sys.modules, "pyarrow": "pyarrow" in sys.modules}))
"""


def test_an_import_through_pyarrow_leaves_pandas_unloaded(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(CSV, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"rows": 400, "pandas": False, "pyarrow": True}


def test_arrays_from_bytes_equal_pyarrows_own():
    import pyarrow as pa

    words = ["", "a", "café", "\u3000x", "n/a"]
    assert arrow_values.strings(words).equals(pa.array(words, pa.string()))
    assert arrow_values.string_set(frozenset(words)).equals(pa.array(sorted(words), pa.string()))
    listed = [1.5, None, -0.0, *([None] * 6), 1e300, None]
    assert arrow_values.optional_floats(listed).equals(pa.array(listed, pa.float64()))
    assert arrow_values.floats(array("d", [2.0, -3.5])).equals(pa.array([2.0, -3.5], pa.float64()))
    assert arrow_values.positions(3).equals(pa.array([0, 1, 2], pa.uint64()))
    assert arrow_values.unsigned(7).equals(pa.scalar(7, pa.uint64()))
    assert arrow_values.number(-90.0).equals(pa.scalar(-90.0, pa.float64()))
    assert arrow_values.boolean(False).equals(pa.scalar(False))
    assert arrow_values.boolean(True).equals(pa.scalar(True))
    assert arrow_values.string("0").equals(pa.scalar("0"))
    assert arrow_values.null(pa.date32()).equals(pa.scalar(None, pa.date32()))

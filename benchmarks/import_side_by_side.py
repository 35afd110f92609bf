# ruff: noqa: S603, S607 - a benchmark that runs the commands its user names
"""Import of one generated CSV by hackkit, by `sqlite-utils insert --csv` and by the `sqlite3`
shell (`.import` plus the same indexes and FTS5 table hackkit builds: the floor), interleaved
in one run so that a busy machine slows all of them alike.

    python benchmarks/import_side_by_side.py --rows 1000000 --sqlite-utils /tmp/bench/bin/sqlite-utils \
        [--hackkit-root /work/main --hackkit-root .] [--rounds 1]

Each `--hackkit-root` is a checkout whose `hackkit` package is imported (PYTHONPATH), so an
older checkout gives the before/after pair. Prints wall time, CPU time (user+system of the
command and its children) and peak RSS, and the ratios against sqlite-utils and the floor.
The CSV is that of benchmarks/run.py (nine columns, seeded), written to /tmp.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import make_csv  # noqa: E402

PYTHON = sys.executable
# What hackkit builds for this file: an index per column (none is long text) and FTS5 over the
# text columns, as an external-content table rebuilt after the load.
COLUMNS = ["id", "category", "district", "number", "amount", "day", "latitude", "longitude", "note"]
TEXTS = ["category", "district", "note"]


def run_measured(command: list[str], env: dict | None = None, stdin: str | None = None, cwd=None) -> dict:
    wrapper = (
        "import json, resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        "r = subprocess.run(sys.argv[2:], input=sys.argv[1] or None, text=True, stdout=subprocess.DEVNULL);"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps([r.returncode, time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024]))"
    )
    out = subprocess.run(
        [PYTHON, "-c", wrapper, stdin or "", *command], capture_output=True, text=True, env=env, check=True, cwd=cwd
    )
    code, wall, cpu, peak = json.loads(out.stdout)
    if code:
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return {"wall": wall, "cpu": cpu, "peak": peak}


def hackkit_import(root: Path, csv: Path, work: Path) -> dict:
    env = dict(
        os.environ,
        PYTHONPATH=str(root),
        HACKKIT_INSTANCE_PATH=str(work / "instance"),
        HACKKIT_DATABASE_URL=f"sqlite:///{work / 'hub.db'}",
    )
    migrate = (
        "import hackkit, flask_migrate\napp = hackkit.create_app()\nwith app.app_context(): flask_migrate.upgrade()"
    )
    subprocess.run([PYTHON, "-c", migrate], env=env, cwd=root, check=True, capture_output=True)
    command = "import sys; from hackkit.cli import main; sys.argv = ['hackkit'] + sys.argv[1:]; main()"
    # cwd=root: `python -c` puts the working directory first on sys.path.
    return run_measured([PYTHON, "-c", command, "datasets", "import", str(csv), "--slug", "bench"], env, cwd=root)


def sqlite_utils_import(tool: str, csv: Path, work: Path) -> dict:
    return run_measured([tool, "insert", str(work / "su.db"), "rows", str(csv), "--csv"])


def sqlite3_floor(csv: Path, work: Path) -> dict:
    script = [".mode csv", f".import {csv} rows"]
    script += [f'CREATE INDEX rows_i{i} ON rows("{c}");' for i, c in enumerate(COLUMNS)]
    quoted = ", ".join(f'"{c}"' for c in TEXTS)
    script += [
        f"CREATE VIRTUAL TABLE rows_fts USING fts5({quoted}, content='rows', content_rowid='rowid');",
        "INSERT INTO rows_fts(rows_fts) VALUES('rebuild');",
    ]
    return run_measured(["sqlite3", str(work / "floor.db")], stdin="\n".join(script) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sqlite-utils", required=True)
    parser.add_argument("--hackkit-root", action="append", type=Path, help="default: this checkout")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--csv", type=Path, help="the generated file, written there if absent (default: in /tmp)")
    args = parser.parse_args()
    roots = [r.resolve() for r in (args.hackkit_root or [HERE.parent])]
    csv = args.csv or Path(tempfile.gettempdir()) / f"hackkit-bench-{args.rows}.csv"
    if not csv.exists():
        partial = csv.with_suffix(".part")  # never a half-written file for a run beside this one
        make_csv(partial, args.rows)
        partial.rename(csv)
    results: dict[str, list[dict]] = {}
    for _ in range(args.rounds):
        for name, job in [
            *[(f"hackkit ({root})", lambda w, root=root: hackkit_import(root, csv, w)) for root in roots],
            ("sqlite-utils insert --csv", lambda w: sqlite_utils_import(args.sqlite_utils, csv, w)),
            ("sqlite3 .import + indexes + FTS5", lambda w: sqlite3_floor(csv, w)),
        ]:
            with tempfile.TemporaryDirectory() as work:
                result = job(Path(work))
            results.setdefault(name, []).append(result)
            print(
                f"{name}: {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU, {result['peak']:.0f} MB", flush=True
            )
    best = {name: min(runs, key=lambda r: r["cpu"]) for name, runs in results.items()}
    su, floor = best["sqlite-utils insert --csv"], best["sqlite3 .import + indexes + FTS5"]
    print(f"\n{args.rows:,} rows; best of {args.rounds} by CPU; ratios of wall (CPU)\n")
    print("| import | wall | CPU | peak RSS | vs sqlite-utils | vs sqlite3 floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in best.items():
        print(
            f"| {name} | {r['wall']:.1f} s | {r['cpu']:.1f} s | {r['peak']:.0f} MB "
            f"| {r['wall'] / su['wall']:.2f} ({r['cpu'] / su['cpu']:.2f}) "
            f"| {r['wall'] / floor['wall']:.2f} ({r['cpu'] / floor['cpu']:.2f}) |"
        )


if __name__ == "__main__":
    main()

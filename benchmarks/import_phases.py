"""CPU and wall seconds of each phase of `hackkit datasets import`, in-process, for one
checkout, and the CPU of the importing thread alone: the wall time when the threads that read
ahead have a core of their own (on a busy machine the wall time says little).

    PYTHONPATH=CHECKOUT HACKKIT_INSTANCE_PATH=/tmp/x HACKKIT_DATABASE_URL=sqlite:////tmp/x/hub.db \\
        .venv/bin/python benchmarks/import_phases.py FILE.csv

Run it for two checkouts one after the other (from a directory outside both, so that
PYTHONPATH decides which `hackkit` is imported) to compare them phase by phase.
"""

import functools
import resource
import sys
import time


def peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


started = time.process_time()
from flask_migrate import upgrade  # noqa: E402

import hackkit  # noqa: E402

app = hackkit.create_app()
with app.app_context():
    upgrade()
ready = time.process_time()
from sqlalchemy.orm import Session  # noqa: E402

from hackkit.ingest import table as ingest_table  # noqa: E402
from hackkit.services import dataset_tables, datasets, file_store  # noqa: E402

times: dict[str, float] = {}
walls: dict[str, float] = {}
mains: dict[str, float] = {}  # CPU of the importing thread alone: the wall time with a core to spare
peaks: dict[str, float] = {"start-up": peak()}  # the process's peak RSS (MB) when a phase ended


def timed(module, name: str) -> None:
    if not hasattr(module, name):
        return
    inner = getattr(module, name)

    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        start, wall, main = time.process_time(), time.perf_counter(), time.thread_time()
        try:
            return inner(*args, **kwargs)
        finally:
            times[name] = times.get(name, 0.0) + time.process_time() - start
            mains[name] = mains.get(name, 0.0) + time.thread_time() - main
            walls[name] = walls.get(name, 0.0) + time.perf_counter() - wall
            peaks[name] = peak()

    setattr(module, name, wrapper)


for phase in ("load", "_load_sqlite", "add_indexes", "column_stats"):
    timed(dataset_tables, phase)
for phase in ("_type_table", "_scan_arrow", "_detect_geometry"):
    timed(ingest_table, phase)
timed(datasets, "file_checksum")
timed(file_store, "put_file")  # the original kept in the database, in the import's transaction
timed(Session, "commit")  # with the WAL checkpoint that copies the new pages into the database file
start, wall, main = time.process_time(), time.perf_counter(), time.thread_time()
result = app.test_cli_runner().invoke(args=["datasets", "import", sys.argv[1], "--slug", "bench"])
total, total_wall, total_main = time.process_time() - start, time.perf_counter() - wall, time.thread_time() - main
print(
    f"start-up and migrations {ready - started:.2f} s; import {total:.2f} s CPU ({total_main:.2f} s in the "
    f"importing thread), {total_wall:.2f} s wall; peak RSS {peak():.0f} MB"
)
print(
    "phases (CPU s, of which the importing thread, wall s, peak RSS when the phase ended; "
    f"{peaks['start-up']:.0f} MB after start-up):"
)
for name, seconds in times.items():
    print(f"  {name}: {seconds:.2f} s CPU ({mains[name]:.2f}), {walls[name]:.2f} s wall, {peaks[name]:.0f} MB")
if result.exception:
    raise SystemExit(result.output)

"""CPU seconds of each phase of `hackkit datasets import`, in-process, for one checkout:

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
from hackkit.ingest import table as ingest_table  # noqa: E402
from hackkit.services import dataset_tables  # noqa: E402

times: dict[str, float] = {}
peaks: dict[str, float] = {"start-up": peak()}  # the process's peak RSS (MB) when a phase ended


def timed(module, name: str) -> None:
    if not hasattr(module, name):
        return
    inner = getattr(module, name)

    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            times[name] = times.get(name, 0.0) + time.process_time() - start
            peaks[name] = peak()

    setattr(module, name, wrapper)


for phase in ("load", "_load_sqlite", "add_indexes", "column_stats"):
    timed(dataset_tables, phase)
for phase in ("_type_table", "_scan_arrow", "_detect_geometry"):
    timed(ingest_table, phase)
start = time.process_time()
result = app.test_cli_runner().invoke(args=["datasets", "import", sys.argv[1], "--slug", "bench"])
total = time.process_time() - start
print(f"start-up and migrations {ready - started:.2f} s; import {total:.2f} s; peak RSS {peak():.0f} MB")
print(f"phases (CPU s, peak RSS when the phase ended; {peaks['start-up']:.0f} MB after start-up):")
for name, seconds in times.items():
    print(f"  {name}: {seconds:.2f} s, {peaks[name]:.0f} MB")
if result.exception:
    raise SystemExit(result.output)

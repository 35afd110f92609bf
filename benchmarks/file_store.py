"""The file store (hackkit/services/file_store.py): keeping and serving a large original.

    .venv/bin/python benchmarks/file_store.py [--mib 100] [--database-url postgresql+psycopg://...]

Writes a file of --mib MiB into the store (as an import does), then downloads it through
/datasets/<slug>/original, and reports the CPU time of each step and the most memory Python
held (tracemalloc peak) while it ran: streaming in 1 MiB chunks keeps that near one chunk,
whatever the file's size. Without --database-url it uses a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path


def measure(label: str, step) -> None:
    tracemalloc.start()
    cpu = time.process_time()
    result = step()
    cpu = time.process_time() - cpu
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} CPU {cpu:6.2f} s   peak Python memory {peak / 2**20:7.1f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=100)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from hackkit import create_app
    from hackkit.extensions import db
    from hackkit.models import Dataset, DatasetVersion
    from hackkit.services import file_store

    with tempfile.TemporaryDirectory() as work:
        url = args.database_url or "sqlite:///" + os.path.join(work, "hub.sqlite3")
        app = create_app({"INSTANCE_PATH": os.path.join(work, "instance"), "SQLALCHEMY_DATABASE_URI": url})
        source = Path(work) / "big.csv"
        line = b"12345,Meir,51.2194,4.4025,some text to fill the line\n"
        with source.open("wb") as out:
            for _ in range(args.mib * 2**20 // len(line)):
                out.write(line)
        size = source.stat().st_size
        print(f"{size / 2**20:.0f} MiB original on {url.split(':', 1)[0]}")
        with app.app_context():
            upgrade()
            name = file_store.new_name(file_store.ORIGINALS, ".csv")

            def keep():
                file_store.put_file(db.session, name, source)
                dataset = Dataset(slug="big", title="Big", status="published")
                db.session.add(dataset)
                db.session.flush()
                version = DatasetVersion(
                    dataset=dataset,
                    number=1,
                    table_name="dsv_none",
                    original_name="big.csv",
                    format="csv",
                    published_at=datetime.now(UTC),
                    original_path=name.rpartition("/")[2],
                    columns=[],
                    report={},
                    settings={},
                )
                db.session.add(version)
                dataset.current_number = 1
                db.session.commit()

            measure("keep (write the chunks)", keep)
            db.session.remove()

        def download() -> int:
            received = 0
            response = app.test_client().get("/datasets/big/original", buffered=False)
            for chunk in response.response:
                received += len(chunk)
            response.close()
            return received

        received = measure("download /datasets/big/original", download)
        assert received == size, (received, size)
        with app.app_context():
            if url.startswith("postgresql"):
                with db.engine.begin() as conn:
                    conn.exec_driver_sql("DELETE FROM dataset_versions; DELETE FROM datasets;")
                    conn.exec_driver_sql("DELETE FROM stored_file_chunks; DELETE FROM stored_files;")
            db.engine.dispose()


if __name__ == "__main__":
    main()

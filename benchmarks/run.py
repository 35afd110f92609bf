# ruff: noqa: S603 - a benchmark that runs the commands its user names on the command line
"""hackkit's data API side by side with Datasette 0.65 and sqlite-utils, on the same 1M rows.

    python benchmarks/run.py --datasette /path/to/datasette --sqlite-utils /path/to/sqlite-utils [--rows 1000000]

Writes the table to stdout (and benchmarks/latest.md). Not a test: numbers depend on the
machine. Datasette and sqlite-utils are best installed in their own virtualenv (see
benchmarks/README.md) so their pins do not touch hackkit's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"  # git-ignored
VENV_BIN = Path(sys.executable).parent
CATEGORIES = [f"cat{i}" for i in range(10)]
DISTRICTS = ["Antwerpen", "Berchem", "Borgerhout", "Deurne", "Ekeren", "Hoboken", "Merksem", "Wilrijk", "BZL"]
WORDS = "bike tram bus park street square river school market station library bridge tower garden".split()
RUNS = 15


def make_csv(path: Path, rows: int) -> None:
    rng = random.Random(1)
    start = date(2020, 1, 1)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "category", "district", "number", "amount", "day", "latitude", "longitude", "note"])
        for i in range(1, rows + 1):
            writer.writerow(
                [
                    i,
                    CATEGORIES[i % 10],
                    rng.choice(DISTRICTS),
                    rng.randint(0, 100_000),
                    f"{rng.uniform(0, 1000):.2f}",
                    (start + timedelta(days=rng.randint(0, 1500))).isoformat(),
                    f"{rng.uniform(51.15, 51.30):.6f}",
                    f"{rng.uniform(4.32, 4.50):.6f}",
                    " ".join(rng.choice(WORDS) for _ in range(6)),
                ]
            )


def measured(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command, measured by a fresh wrapper process."""
    wrapper = (
        "import resource, subprocess, sys, time, json;"
        "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
        "print(json.dumps([r.returncode, time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, env=env, check=True)
    code, seconds, peak = json.loads(out.stdout)
    if code:
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, peak


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hub_command(port: int) -> list[str]:
    """gunicorn serving the hub with one worker of four threads on `port` (both benchmarks)."""
    return [str(VENV_BIN / "gunicorn"), "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{port}", "hackkit:create_app()"]


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - a local URL we built
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not come up: {url}")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - a local URL we built
        return response.read()


def median_ms(url: str) -> float:
    fetch(url)  # warm the caches once
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fetch(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def deep_url(first_url: str, next_key: str, pages: int, make_next) -> str:
    """The URL of the page 5,000 rows deep, reached by following keyset tokens."""
    url = first_url
    for _ in range(pages):
        body = json.loads(fetch(url))
        url = make_next(first_url, body[next_key])
    return url


def measure_imports(su: str, source: Path, instance: Path, database: Path, env: dict) -> list[str]:
    shutil.rmtree(instance, ignore_errors=True)
    subprocess.run([str(VENV_BIN / "hackkit"), "db", "upgrade"], env=env, check=True, capture_output=True)
    hk_seconds, hk_peak = measured(
        [str(VENV_BIN / "hackkit"), "datasets", "import", str(source), "--slug", "bench"], env
    )
    database.unlink(missing_ok=True)
    su_seconds, su_peak = measured([su, "insert", str(database), "rows", str(source), "--csv"])
    extra = 0.0
    for column in ("category", "district", "number", "amount", "day", "latitude", "longitude"):
        extra += measured([su, "create-index", str(database), "rows", column])[0]
    extra += measured([su, "enable-fts", str(database), "rows", "category", "district", "note"])[0]
    return [
        "",
        "| import | hackkit | sqlite-utils | ratio |",
        "|---|---|---|---|",
        f"| hackkit import (types, indexes, FTS, stats) vs `insert --csv` alone | {hk_seconds:.1f} s"
        f" | {su_seconds:.1f} s | {hk_seconds / su_seconds:.2f} |",
        f"| vs sqlite-utils insert + 7 indexes + FTS | {hk_seconds:.1f} s | {su_seconds + extra:.1f} s"
        f" | {hk_seconds / (su_seconds + extra):.2f} |",
        f"| peak memory of the import | {hk_peak:.0f} MB | {su_peak:.0f} MB | |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasette", required=True)
    parser.add_argument("--sqlite-utils", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-import", action="store_true", help="reuse the databases of the last run")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    source = WORK / f"rows-{args.rows}.csv"
    if not source.exists():
        make_csv(source, args.rows)

    # Import: hackkit's CLI (types, indexes, full text, statistics) vs sqlite-utils.
    instance = WORK / "hackkit-instance"
    database = WORK / "datasette.db"
    env = {**os.environ, "HACKKIT_INSTANCE_PATH": str(instance), "HACKKIT_RATELIMIT_ENABLED": "0"}
    imports = None if args.skip_import else measure_imports(args.sqlite_utils, source, instance, database, env)

    hk_port, ds_port = free_port(), free_port()
    servers = [
        subprocess.Popen(
            hub_command(hk_port),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [args.datasette, "serve", str(database), "-p", str(ds_port), "--setting", "sql_time_limit_ms", "5000"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        hk = f"http://127.0.0.1:{hk_port}/api/v1/datasets/bench/rows"
        ds = f"http://127.0.0.1:{ds_port}/datasette/rows"
        nosuggest = "&_nosuggest=1"  # Datasette would also suggest facets on each page; hackkit does not
        wait_for(hk + "?_size=1")
        wait_for(ds + ".json?_size=1")

        def hk_next(first, token):
            return f"{first}&_next={urllib.parse.quote(token)}"

        def ds_next(first, token):
            return f"{first}&_next={urllib.parse.quote(str(token))}"

        rows = [
            ("first page, 100 rows", hk + "?_size=100", ds + ".json?_size=100&_shape=objects" + nosuggest),
            (
                "equality filter on category",
                hk + "?category=cat3&_size=100",
                ds + ".json?category=cat3&_size=100&_shape=objects" + nosuggest,
            ),
            (
                "range filter + sort, page 5,000 rows deep (keyset)",
                deep_url(hk + "?number__gte=50000&_sort=number&_size=100", "next", 50, hk_next),
                deep_url(
                    ds + ".json?number__gte=50000&_sort=number&_size=100&_shape=objects" + nosuggest,
                    "next",
                    50,
                    ds_next,
                ),
            ),
            (
                "full-text search",
                hk + "?_search=bridge%20garden&_size=100",
                ds + ".json?_search=bridge%20garden&_size=100&_shape=objects" + nosuggest,
            ),
            (
                "streamed CSV, 100,000 filtered rows",
                hk.replace("/rows", "/rows.csv") + "?category=cat7",
                ds + ".csv?category=cat7&_stream=on&_size=max",
            ),
        ]
        lines = [
            f"Rows: {args.rows:,}. Median of {RUNS} sequential requests after one warm-up, same machine.",
            "",
            "| measure | hackkit | Datasette 0.65 | ratio (hackkit / Datasette) |",
            "|---|---|---|---|",
        ]
        for label, hk_url, ds_url in rows:
            a, b = median_ms(hk_url), median_ms(ds_url)
            lines.append(f"| {label} | {a:.1f} ms | {b:.1f} ms | {a / b:.2f} |")
        lines += imports or []
        report = "\n".join(lines)
        print(report)
        (HERE / "latest.md").write_text(report + "\n")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

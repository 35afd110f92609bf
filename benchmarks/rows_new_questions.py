# ruff: noqa: S310, S603, S608 - a benchmark that asks local servers it started (table names are ours)
"""The rows API on questions never asked before, hackkit next to Datasette 0.65 on the SAME
SQLite file (hackkit's own database, with its indexes and FTS5 table), requests interleaved.

    python benchmarks/rows_new_questions.py --instance /tmp/rb/instance --database /tmp/rb/hub.db \
        --datasette /tmp/bench/bin/datasette [--requests 15]

The database holds the benchmark CSV of run.py imported as dataset `bench` (see
benchmarks/README.md for the commands). Each request of a "new question" row changes a filter
value, a threshold or the search words, so neither server's count cache nor SQLite's page
cache of a previous answer can answer it; the "repeated" column asks one question again and
again. hackkit answers with its default exact count, and with `_total=capped` (at most 10,000
counted); Datasette counts as it always does. Also measures FTS5 match, rank and count alone.
Medians in ms; ratio = hackkit / Datasette (below 1: hackkit is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import CATEGORIES, DISTRICTS, WORDS  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=300) as response:
        return response.read()


def wait_for(url: str) -> None:
    for _ in range(600):
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not come up: {url}")


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of a process so far (ns): what a request cost the server,
    whatever else the machine was doing at the time."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended meanwhile
    return total


def worker_pid(master: int) -> int:
    """gunicorn's worker: the master's only child."""
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("no gunicorn worker")


def measured(url: str, pid: int) -> tuple[float, float]:
    """(wall ms, server CPU ms) of one request."""
    before, start = cpu_ns(pid), time.perf_counter()
    fetch(url)
    wall = (time.perf_counter() - start) * 1000
    return wall, (cpu_ns(pid) - before) / 1e6


PAGE, DEEP, CSV = "page", "deep", "csv"
WHO = ("hackkit", "hackkit capped", "hackkit none", "Datasette")


def questions(rng: random.Random) -> dict[str, tuple[str, str, str]]:
    """One new question of each kind: (kind, hackkit query, Datasette query)."""
    category, district = rng.choice(CATEGORIES), rng.choice(DISTRICTS)
    low = rng.randint(0, 90_000)
    words = " ".join(rng.sample(WORDS, 2))
    amount = f"{rng.uniform(0, 900):.2f}"
    search = urllib.parse.quote(words)
    deep_low = rng.randint(0, 90_000)
    csv_category, csv_low = rng.choice(CATEGORIES), rng.randint(0, 50_000)
    return {
        "equality on two columns (category, district) + threshold": (
            PAGE,
            f"category={category}&district={district}&number__gt={low}",
            f"category={category}&district={district}&number__gt={low}",
        ),
        "full text, two words + threshold": (
            PAGE,
            f"_search={search}&amount__gt={amount}",
            f"_search={search}&amount__gt={amount}",
        ),
        "range filter + sort, first page": (
            PAGE,
            f"number__gte={low}&_sort=number",
            f"number__gte={low}&_sort=number",
        ),
        "range filter + sort, page 5,000 rows deep (keyset)": (
            DEEP,
            f"number__gte={deep_low}&_sort=number",
            f"number__gte={deep_low}&_sort=number",
        ),
        "CSV stream, category + threshold (~50,000-100,000 rows)": (
            CSV,
            f"category={csv_category}&number__gt={csv_low}",
            f"category={csv_category}&number__gt={csv_low}&_stream=on&_size=max",
        ),
    }


def deep(first: str) -> str:
    """The URL of the page 5,000 rows deep of the question `first` (100 rows a page), reached
    by following the server's own keyset tokens, 1,000 rows at a time (not timed)."""
    url = first.replace("_size=100&", "_size=1000&")
    for _ in range(5):
        body = json.loads(fetch(url))
        url = first + "&_next=" + urllib.parse.quote(str(body["next"]))
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", required=True, type=Path)
    parser.add_argument("--database", required=True, type=Path)
    parser.add_argument("--datasette", required=True)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--hackkit-root", type=Path, default=HERE.parent)
    args = parser.parse_args()
    with sqlite3.connect(args.database) as conn:
        table = conn.execute(
            "SELECT table_name FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id "
            "WHERE d.slug = 'bench' ORDER BY v.number DESC LIMIT 1"
        ).fetchone()[0]
    env = dict(
        os.environ,
        PYTHONPATH=str(args.hackkit_root),
        HACKKIT_INSTANCE_PATH=str(args.instance),
        HACKKIT_DATABASE_URL=f"sqlite:///{args.database}",
        HACKKIT_RATELIMIT_ENABLED="0",
        HACKKIT_DATASET_QUERY_MS="5000",
    )
    hk_port, ds_port = free_port(), free_port()
    # Datasette finds an FTS table by its own naming; hackkit's (content='<table>') must be named
    # in its metadata, or Datasette silently ignores _search.
    metadata = args.database.with_suffix(".datasette.json")
    fts = {"fts_table": f"{table}_fts", "fts_pk": "_id"}
    metadata.write_text(json.dumps({"databases": {args.database.stem: {"tables": {table: fts}}}}))
    servers = [
        subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{hk_port}",
             "hackkit:create_app()"],
            env=env, cwd=args.hackkit_root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [args.datasette, "serve", str(args.database), "-m", str(metadata), "-p", str(ds_port),
             "--setting", "sql_time_limit_ms", "5000", "--setting", "suggest_facets", "off",
             "--setting", "max_csv_mb", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ),
    ]  # fmt: skip
    try:
        hk_base = f"http://127.0.0.1:{hk_port}/api/v1/datasets/bench/rows"
        ds_base = f"http://127.0.0.1:{ds_port}/{args.database.stem}/{table}"
        hk = hk_base + "?_size=100&"
        ds = ds_base + ".json?_size=100&_shape=objects&_nosuggest=1&"
        wait_for(hk + "_size=1")
        wait_for(ds + "_size=1")
        pids = {"hackkit": worker_pid(servers[0].pid), "Datasette": servers[1].pid}
        suffix = {"hackkit": "", "hackkit capped": "&_total=capped", "hackkit none": "&_total=none"}

        def urls(kind: str, hk_q: str, ds_q: str) -> list[tuple[str, str]]:
            """(who, url) of one question: each hackkit way of counting, then Datasette."""
            if kind == CSV:  # a stream has no count
                return [("hackkit", f"{hk_base}.csv?{hk_q}"), ("Datasette", f"{ds_base}.csv?{ds_q}")]
            asks = [(who, hk + hk_q + suffix[who]) for who in WHO[:3]] + [("Datasette", ds + ds_q)]
            return [(who, deep(url)) for who, url in asks] if kind == DEEP else asks

        rng = random.Random(18)
        new: dict[str, dict[str, list[tuple[float, float]]]] = {}
        for i in range(args.requests):
            for label, (kind, hk_q, ds_q) in questions(rng).items():
                # Each question is new to each server; the same question goes to all of them, in
                # turns, so that the one asked first does not warm the disk cache for the others.
                asks = urls(kind, hk_q, ds_q)
                if i % 2:
                    asks.reverse()
                for who, url in asks:
                    pid = pids["Datasette" if who == "Datasette" else "hackkit"]
                    new.setdefault(label, {}).setdefault(who, []).append(measured(url, pid))
                if i == 0:  # both servers answer the same question with the same rows and count
                    answers = dict(urls(kind, hk_q, ds_q))
                    mine, theirs = fetch(answers["hackkit"]), fetch(answers["Datasette"])
                    if kind == CSV:
                        ids = [[line.split(b",")[0] for line in text.splitlines()] for text in (mine, theirs)]
                        assert ids[0][1:] == ids[1][1:], label  # Datasette's first column is _id too
                        continue
                    mine, theirs = json.loads(mine), json.loads(theirs)
                    assert [r["id"] for r in mine["rows"]] == [r["id"] for r in theirs["rows"]], label
                    assert mine["total"] == theirs["filtered_table_rows_count"], label
        repeated: dict[str, dict[str, float]] = {}
        for label, (kind, hk_q, ds_q) in questions(random.Random(1)).items():
            for who, url in urls(kind, hk_q, ds_q):
                if who in ("hackkit capped", "hackkit none"):
                    continue
                fetch(url)
                repeated.setdefault(label, {})[who] = statistics.median(
                    measured(url, pids["Datasette" if who == "Datasette" else "hackkit"])[0]
                    for _ in range(args.requests)
                )
        report(args.requests, new, repeated)
    finally:
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    fts_parts(args.database, table, args.requests)


def report(requests: int, new: dict, repeated: dict) -> None:
    for title, index in (("wall time", 0), ("server CPU time", 1)):
        print(f"\n{requests} new questions of each kind, interleaved; medians of the {title} in ms\n")
        print(
            "| question (new each request) | hackkit | `_total=capped` | `_total=none` | Datasette 0.65 "
            "| ratio | ratio capped | ratio none |"
            + (" repeated question (wall): hackkit / Datasette |" if not index else "")
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|" + ("---|" if not index else ""))
        for label, by in new.items():
            med = {who: statistics.median(m[index] for m in by[who]) for who in by}
            d = med["Datasette"]
            cells = [f"{med[w]:.1f}" if w in med else "–" for w in WHO[:3]]
            ratios = [f"{med[w] / d:.2f}" if w in med else "–" for w in WHO[:3]]
            line = f"| {label} | {' | '.join(cells)} | {d:.1f} | {' | '.join(ratios)} |"
            if not index:
                r = repeated[label]
                line += f" {r['hackkit']:.1f} / {r['Datasette']:.1f} = {r['hackkit'] / r['Datasette']:.2f} |"
            print(line)


def fts_parts(database: Path, table: str, requests: int) -> None:
    """FTS5 alone, on new word pairs: the match (first 100 row ids), the match ranked by bm25,
    and the count of all matches."""
    rng = random.Random(5)
    parts: dict[str, list[float]] = {}
    with sqlite3.connect(database) as conn:
        for _ in range(requests):
            words = " ".join(f'"{w}"' for w in rng.sample(WORDS, 2))
            for label, sql in [
                ("match, first 100", f'SELECT rowid FROM "{table}_fts" WHERE "{table}_fts" MATCH ? LIMIT 100'),
                ("match ranked (bm25), first 100",
                 f'SELECT rowid FROM "{table}_fts" WHERE "{table}_fts" MATCH ? ORDER BY rank LIMIT 100'),
                ("count of all matches", f'SELECT count(*) FROM "{table}_fts" WHERE "{table}_fts" MATCH ?'),
            ]:  # fmt: skip
                start = time.perf_counter()
                conn.execute(sql, (words,)).fetchall()
                parts.setdefault(label, []).append((time.perf_counter() - start) * 1000)
    print("\n| FTS5 alone, new word pairs | median ms |\n|---|---:|")
    for label, times in parts.items():
        print(f"| {label} | {statistics.median(times):.1f} |")


if __name__ == "__main__":
    main()

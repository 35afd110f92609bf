# ruff: noqa: S603 - a benchmark that starts the commands it measures
"""Start-up of two checkouts side by side, interleaved: `hackkit --help` wall time (with
`python -c "import flask.cli"` as the floor) and a gunicorn worker's memory before its first
request (the repository's gunicorn.conf.py: preload, one worker).

    python benchmarks/startup.py --root /work/main --root . [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def env_for(root: Path, instance: str) -> dict:
    return dict(
        os.environ,
        PYTHONPATH=str(root),
        HACKKIT_INSTANCE_PATH=instance,
        HACKKIT_DATABASE_URL=f"sqlite:///{instance}/hub.db",
        HACKKIT_ENV="development",
    )


def help_seconds(root: Path) -> float:
    with tempfile.TemporaryDirectory() as instance:
        start = time.perf_counter()
        # What the `hackkit` console script runs in that checkout (hackkit.console since issue 18).
        entry = "hackkit.console" if (root / "hackkit" / "console.py").exists() else "hackkit.cli"
        code = f"import sys; from {entry} import main; sys.argv = ['hackkit', '--help']; main()"
        subprocess.run(
            [sys.executable, "-c", code], cwd=root, env=env_for(root, instance), capture_output=True, check=False
        )
        return time.perf_counter() - start


def floor_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import flask.cli"], check=True)
    return time.perf_counter() - start


def worker_memory(root: Path) -> tuple[float, float, float]:
    """(RSS, PSS, USS) in MB of the worker right after it was forked, before any request. With
    preload_app and the warm-up, most of a worker's RSS are pages it shares with the master
    (the app, the compiled templates); its own pages (USS: private clean + dirty) are what each
    further worker adds to the machine's memory."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as instance:
        env = env_for(root, instance) | {"PORT": str(port), "WEB_CONCURRENCY": "1", "GUNICORN_ACCESS_LOG": "/dev/null"}
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "hackkit:create_app()"],
            cwd=root,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            pid = None
            for line in server.stderr:
                if found := re.search(r"Booting worker with pid: (\d+)", line):
                    pid = int(found.group(1))
                    break
            time.sleep(0.5)  # the fork settles; the app was loaded before it (preload_app)
            fields = {}
            for name in (f"/proc/{pid}/status", f"/proc/{pid}/smaps_rollup"):
                for row in Path(name).read_text().splitlines():
                    key, _, value = row.partition(":")
                    fields.setdefault(key, value)
            own = sum(int(fields[name].split()[0]) for name in ("Private_Clean", "Private_Dirty"))
            return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Pss"].split()[0]) / 1024, own / 1024
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", action="append", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    roots = [r.resolve() for r in args.root]
    helps: dict[Path, list[float]] = {r: [] for r in roots}
    floors: list[float] = []
    memory: dict[Path, tuple[float, float, float]] = {}
    for _ in range(args.rounds):
        for root in roots:
            helps[root].append(help_seconds(root))
        floors.append(floor_seconds())
    for root in roots:
        memory[root] = worker_memory(root)
    floor = statistics.median(floors)
    print(f"median of {args.rounds}, interleaved; floor `python -c 'import flask.cli'` {floor:.2f} s\n")
    print("| checkout | `hackkit --help` | vs floor | worker RSS before 1st request | PSS | USS (its own) |")
    print("|---|---:|---:|---:|---:|---:|")
    for root in roots:
        seconds = statistics.median(helps[root])
        rss, pss, uss = memory[root]
        print(f"| {root} | {seconds:.2f} s | {seconds / floor:.1f}x | {rss:.0f} MB | {pss:.0f} MB | {uss:.0f} MB |")


if __name__ == "__main__":
    main()

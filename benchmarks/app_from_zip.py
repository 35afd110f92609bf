"""From the /apps download to a running map with no network: how long does a team wait?

    .venv/bin/python benchmarks/app_from_zip.py [APP] [--keep DIR]

Makes the zip exactly as /apps/<APP>.zip does (the app folder plus the kit's wheel in
vendor/), then times, as a team would do them:

1. unzip;
2. the one install: a fresh virtualenv and `pip install -r requirements.txt` (the wheel from
   vendor/, its dependencies from PyPI or pip's cache: this step needs the network once);
3. `python app.py` in a network namespace of its own (`unshare -n`, root needed: only
   loopback, no hub, no internet) until the map page and every asset it links answer 200.

Prints one line per step and the total, and the page's data source (the offline extract).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

# Run inside the namespace: start the app, wait until the page and its assets answer.
PROBE = r"""
import re, subprocess, sys, time, urllib.request
start = time.perf_counter()
server = subprocess.Popen(
    [sys.argv[1], "app.py"], env={"PORT": "8765", "PATH": "/usr/bin:/bin"},
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
try:
    while True:
        try:
            page = urllib.request.urlopen("http://127.0.0.1:8765/", timeout=30).read().decode()
            break
        except OSError:
            if server.poll() is not None or time.perf_counter() - start > 120:
                sys.exit("the app did not start")
            time.sleep(0.05)
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', page)
    for asset in assets:
        urllib.request.urlopen("http://127.0.0.1:8765" + asset, timeout=30).read()
    source = re.search(r'data-source="(\w+)"', page)[1]
    print(f"{time.perf_counter() - start:.2f} {len(assets)} {source}")
finally:
    server.terminate()
    server.wait()
"""


def make_zip(name: str, cache: Path) -> bytes:
    from hackkit_maps.dist import cached_wheel

    from hackkit.apps import gallery

    return gallery.zip_app(gallery.get_app(name), cached_wheel(cache))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", nargs="?", default="hello-map")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="app-from-zip-"))
    work.mkdir(parents=True, exist_ok=True)
    data = make_zip(args.app, work / "wheel-cache")
    print(f"zip: {len(data) / 1024:.0f} KiB")

    timings = {}
    started = time.perf_counter()
    zipfile.ZipFile(io.BytesIO(data)).extractall(work)
    timings["unzip"] = time.perf_counter() - started
    folder = work / args.app

    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(folder / ".venv")], check=True)  # noqa: S603
    python = folder / ".venv" / "bin" / "python"
    subprocess.run(  # noqa: S603
        [str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], cwd=folder, check=True
    )
    timings["venv + pip install -r requirements.txt"] = time.perf_counter() - started

    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" -c "$1" "$0"', str(python), PROBE],  # noqa: S607
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    served, assets, source = done.stdout.splitlines()[-1].split()
    timings[f"python app.py, no network, to the map page + {assets} assets served"] = float(served)
    wall = time.perf_counter() - started

    for step, seconds in timings.items():
        print(f"{step}: {seconds:.2f} s")
    print(f"total from unzip to a running map offline: {sum(timings.values()):.2f} s (namespace wall {wall:.2f} s)")
    print(f"data source on the map: {source}")
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in folder.rglob("*") if _text(p, folder))
    print(f"lines in the unzipped app (text files, without data/ and vendor/): {lines}")
    if not args.keep:
        shutil.rmtree(work)


def _text(path: Path, folder: Path) -> bool:
    relative = path.relative_to(folder).as_posix()
    return path.is_file() and not re.match(r"(data|vendor|\.venv)/", relative) and path.suffix != ".png"


if __name__ == "__main__":
    main()

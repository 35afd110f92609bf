"""The installed kit as a wheel an app can carry: `python -m hackkit_maps.dist OUT_DIR`.

A forked app must install with no hub and no repository beside it, and run without
internet after that one install. So the hub's /apps download and `hackkit new-app` put
this wheel in the app's vendor/ folder and point requirements.txt at it.

The wheel is packed from the installed package (the npm plugins the build put in it
included), so it can be made wherever the kit is installed, editable or not, with no
build tools and no network. Its content is deterministic: the same files give the same
bytes, so `cached_wheel` can keep one per content hash.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from . import npm

DISTRIBUTION = "hackkit-maps"
PACKAGE_DIR = Path(__file__).resolve().parent
_EPOCH = (2020, 1, 1, 0, 0, 0)  # fixed file times: identical input, identical wheel
_SKIP = re.compile(r"(^|/)__pycache__/|\.py[co]$")


def version() -> str:
    return metadata.version(DISTRIBUTION)


def wheel_name() -> str:
    return f"hackkit_maps-{version()}-py3-none-any.whl"


def _package_files() -> list[tuple[str, Path]]:
    files = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR).as_posix()
        if path.is_file() and not _SKIP.search(relative):
            files.append((f"hackkit_maps/{relative}", path))
    return files


def content_hash() -> str:
    digest = hashlib.sha256(version().encode())
    for name, path in _package_files():
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def build_wheel(out_dir: str | Path) -> Path:
    """Write the wheel into `out_dir` and return its path."""
    npm.check()  # a wheel without the plugins would need the network on first start
    dist = metadata.distribution(DISTRIBUTION)
    info = f"hackkit_maps-{dist.version}.dist-info"
    entries: list[tuple[str, bytes]] = [(name, path.read_bytes()) for name, path in _package_files()]
    entries.append((f"{info}/METADATA", (dist.read_text("METADATA") or "").encode("utf-8")))
    entries.append(
        (
            f"{info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: hackkit_maps.dist\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
    )
    entry_points = dist.read_text("entry_points.txt")
    if entry_points:
        entries.append((f"{info}/entry_points.txt", entry_points.encode("utf-8")))
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in entries:
        writer.writerow([name, _record_hash(data), len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    entries.append((f"{info}/RECORD", record.getvalue().encode("utf-8")))

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / wheel_name()
    # A name of its own: two builds at once never write into one file.
    with tempfile.NamedTemporaryFile(dir=out, prefix=f".{target.name}.", suffix=".part", delete=False) as scratch:
        partial = Path(scratch.name)
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            item = zipfile.ZipInfo(name, date_time=_EPOCH)
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(item, data)
    partial.replace(target)  # never a half-written wheel under the real name
    return target


def cached_wheel(cache_dir: str | Path) -> Path:
    """The wheel, built once per content of the installed kit and kept in `cache_dir`."""
    folder = Path(cache_dir) / content_hash()
    target = folder / wheel_name()
    return target if target.is_file() else build_wheel(folder)


if __name__ == "__main__":
    import sys

    print(build_wheel(sys.argv[1] if len(sys.argv) > 1 else "."))

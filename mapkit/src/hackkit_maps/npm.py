"""The Leaflet plugins that no Python package ships: put into the kit when it is BUILT.

package.json beside this file names them (exact versions). The build (hatch_build.py, run
by `pip install`, `pip wheel` or `python -m build`) calls `install()`: it downloads each
tarball from the npm registry, checks it against the registry's published SHA-512
(`integrity`), unpacks it and keeps only the files the maps serve (assets.LIBRARIES) in
`npm_modules/` beside this file. That folder is build output, never committed, and
travels inside the wheel, so an app never fetches anything when it starts.

Only the standard library: the build hook imports this file before anything is installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import urllib.request
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_JSON = HERE / "package.json"
MODULES = HERE / "npm_modules"
REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")
TIMEOUT = 60


class PluginsMissing(RuntimeError):
    """The kit was installed without its npm plugins (a source checkout that was never built)."""


def modules_dir() -> Path:
    return MODULES


def wanted() -> dict[str, tuple[str, str]]:
    """folder name -> (registry package, exact version), from package.json's dependencies."""
    found = {}
    for alias, spec in json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["dependencies"].items():
        name, version = alias, spec
        if spec.startswith("npm:"):  # "npm:d3@4.13.0": another name for the folder
            name, version = spec[4:].rsplit("@", 1)
        found[alias] = (name, version)
    return found


def _installed_version(alias: str) -> str | None:
    try:
        return json.loads((MODULES / alias / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None


def missing() -> list[str]:
    """Plugins not there at the version package.json asks for."""
    return [alias for alias, (_name, version) in wanted().items() if _installed_version(alias) != version]


def check() -> None:
    """Raise PluginsMissing with the fix when a build left plugins out."""
    absent = missing()
    if absent:
        raise PluginsMissing(
            f"the map kit has no copy of {', '.join(absent)}: reinstall it "
            "(pip install --force-reinstall hackkit-maps, or in hackkit's repository `make install`)"
        )


def verify(tarball: bytes, integrity: str, label: str) -> None:
    """Raise ValueError unless `tarball` matches npm's `integrity` ("sha512-<base64>")."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or base64.b64decode(expected) != hashlib.sha512(tarball).digest():
        raise ValueError(f"{label}: the download does not match the registry's sha512 integrity")


def _download(name: str, version: str) -> bytes:
    with urllib.request.urlopen(f"{REGISTRY}/{name}/{version}", timeout=TIMEOUT) as answer:  # noqa: S310
        dist = json.load(answer)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=TIMEOUT) as answer:  # noqa: S310
        tarball = answer.read()
    verify(tarball, dist.get("integrity", ""), f"{name}@{version}")
    return tarball


def _keep_only(folder: Path, patterns: Iterable[str]) -> None:
    """Delete every file but package.json and those the maps serve (keeps the wheel small)."""
    keep = {folder / "package.json"}
    for pattern in patterns:
        keep.update(folder.glob(pattern))
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def install(served: dict[str, Iterable[str]] | None = None, log=print) -> list[str]:
    """Fetch every missing plugin; returns the ones fetched. Raises OSError when offline.

    `served`: folder -> glob patterns to keep (assets.npm_patterns()); everything else of the
    tarball is dropped.
    """
    fetched = []
    for alias in missing():
        name, version = wanted()[alias]
        log(f"hackkit-maps: fetching {name}@{version} from {REGISTRY}")
        with tempfile.TemporaryDirectory() as scratch:
            with tarfile.open(fileobj=io.BytesIO(_download(name, version)), mode="r:gz") as archive:
                archive.extractall(scratch, filter="data")  # refuses absolute paths and "..": a tarball is input
            target = MODULES / alias
            shutil.rmtree(target, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(Path(scratch) / "package"), target)
        if served is not None:
            _keep_only(target, served.get(alias, ()))
        fetched.append(f"{name}@{version}")
    return fetched


def ensure() -> None:
    """Kept for apps written for the copied kit: the plugins come with the package now."""
    check()

"""Fetching the Leaflet plugins that no Python package ships, from the npm registry.

The hub gets them with `npm install` (Makefile). A sample app copied out of the
repository may have no Node.js, so it fetches the same packages (package.json beside
this file) with the standard library the first time it starts, checks each tarball
against the registry's published SHA-512, and keeps them in node_modules/ beside
this file. After that the app needs no network at all.

Like assets.py, this module imports nothing from hackkit: sample apps carry a copy.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_JSON = HERE / "package.json"
REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")
TIMEOUT = 30


def modules_dir() -> Path:
    """Where the packages are (HACKKIT_NPM_MODULES may point at an existing node_modules)."""
    return Path(os.environ.get("HACKKIT_NPM_MODULES") or HERE / "node_modules")


def _wanted() -> dict[str, tuple[str, str]]:
    """folder name -> (registry package, exact version), from package.json's dependencies."""
    wanted = {}
    for alias, spec in json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["dependencies"].items():
        name, version = alias, spec
        if spec.startswith("npm:"):  # "npm:d3@4.13.0": another name for the folder
            name, version = spec[4:].rsplit("@", 1)
        wanted[alias] = (name, version)
    return wanted


def missing() -> list[str]:
    return [alias for alias in _wanted() if not (modules_dir() / alias / "package.json").is_file()]


def _download(name: str, version: str) -> bytes:
    with urllib.request.urlopen(f"{REGISTRY}/{name}/{version}", timeout=TIMEOUT) as answer:  # noqa: S310
        dist = json.load(answer)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=TIMEOUT) as answer:  # noqa: S310
        tarball = answer.read()
    algorithm, _, expected = dist.get("integrity", "").partition("-")
    if algorithm != "sha512" or base64.b64decode(expected) != hashlib.sha512(tarball).digest():
        raise ValueError(f"{name}@{version}: the download does not match the registry's checksum")
    return tarball


def install() -> list[str]:
    """Fetch every missing package; returns the ones fetched. Raises OSError when offline."""
    fetched = []
    for alias in missing():
        name, version = _wanted()[alias]
        with tempfile.TemporaryDirectory() as scratch:
            with tarfile.open(fileobj=io.BytesIO(_download(name, version)), mode="r:gz") as archive:
                archive.extractall(scratch, filter="data")  # refuses absolute paths and "..": a tarball is input
            target = modules_dir() / alias
            shutil.rmtree(target, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(Path(scratch) / "package"), target)
        fetched.append(f"{name}@{version}")
    return fetched


def ensure() -> None:
    """Called when an app starts: fetch what is missing, once, saying so."""
    if not missing():
        return
    print(f"Fetching the map plugins once from {REGISTRY} into {modules_dir()} ...", flush=True)
    try:
        fetched = install()
    except (OSError, ValueError) as error:
        raise SystemExit(
            f"Could not fetch the map plugins ({error}). Connect to the internet once and start the app again; "
            "after that it runs offline."
        ) from error
    print("Fetched " + ", ".join(fetched), flush=True)

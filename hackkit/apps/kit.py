"""The files every sample app carries unchanged: the offline map kit and the data adapter.

A sample app must still run after being copied out of the repository, so it cannot
import hackkit. Instead each app holds copies of a few hub modules that import nothing
from hackkit. This table says which; tests/apps/test_kit.py fails when a copy drifts,
and `copy_kit` (used by `hackkit new-app`, and by maintainers after changing the
originals) refreshes them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the hackkit package folder
REPOSITORY = PACKAGE.parent
SAMPLE_APPS = REPOSITORY / "sample_apps"

# Path inside an app folder -> the original in the hub.
KIT_FILES: dict[str, Path] = {
    "hubdata.py": PACKAGE / "apps" / "hubdata.py",
    "tests/conftest.py": PACKAGE / "apps" / "app_conftest.py",
    "mapkit/assets.py": PACKAGE / "maps" / "assets.py",
    "mapkit/build.py": PACKAGE / "maps" / "build.py",
    "mapkit/serve.py": PACKAGE / "maps" / "serve.py",
    "mapkit/npm.py": PACKAGE / "maps" / "npm.py",
    "mapkit/package.json": PACKAGE / "maps" / "package.json",
}
MAPKIT_INIT = '"""Offline Folium maps: copies of the hackkit hub\'s map helpers (do not edit here)."""\n'


def app_folders(root: Path = SAMPLE_APPS) -> list[Path]:
    """Every sample app: a folder of sample_apps/ with an app.py."""
    return sorted(path.parent for path in root.glob("*/app.py"))


def kit_differences(app_dir: Path) -> list[str]:
    """Kit files that are missing from an app or differ from the hub's originals."""
    problems = []
    for relative, original in KIT_FILES.items():
        copy = app_dir / relative
        if not copy.is_file():
            problems.append(f"{relative} is missing")
        elif copy.read_bytes() != original.read_bytes():
            problems.append(f"{relative} differs from {original.relative_to(REPOSITORY)}")
    init = app_dir / "mapkit" / "__init__.py"
    if not init.is_file() or init.read_text(encoding="utf-8") != MAPKIT_INIT:
        problems.append("mapkit/__init__.py is missing or changed")
    return problems


def copy_kit(app_dir: Path) -> None:
    """Write fresh copies of the kit files into an app folder."""
    for relative, original in KIT_FILES.items():
        target = app_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, target)
    (app_dir / "mapkit" / "__init__.py").write_text(MAPKIT_INIT, encoding="utf-8")


def refresh_extracts(app_dir: Path, hub_url: str) -> list[str]:
    """Rewrite an app's data/<slug>.geojson extracts from a running hub's curated datasets."""
    from hackkit.apps import hubdata

    hub = hubdata.Hub(hub_url, timeout=30)
    written = []
    for extract in sorted((app_dir / "data").glob("*.geojson")):
        hubdata.write_extract(hub.geojson(extract.stem), extract)
        written.append(extract.name)
    return written


if __name__ == "__main__":
    # python -m hackkit.apps.kit            refresh every app's copies of the kit
    # python -m hackkit.apps.kit HUB_URL    ... and its data/*.geojson extracts from that hub
    import sys

    for folder in app_folders():
        copy_kit(folder)
        print(f"refreshed the kit in {folder.relative_to(REPOSITORY)}")
        if len(sys.argv) > 1:
            print("  extracts:", ", ".join(refresh_extracts(folder, sys.argv[1])) or "none")

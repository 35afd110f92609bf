"""The sample apps this hub ships: their names, and where their folders are in a checkout.

SAMPLE_APPS is data the hub package carries, so an installed hub (no repository beside
it) still knows which templates a project may say it started from. tests/apps checks
that it names exactly the folders of sample_apps/ that hold an app.py.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the hackkit package folder
REPOSITORY = PACKAGE.parent
SAMPLE_APPS_DIR = REPOSITORY / "sample_apps"

# Add a new sample app's folder name here (tests/apps/test_registry.py reminds you).
SAMPLE_APPS: tuple[str, ...] = (
    "bike-share",
    "district-choropleth",
    "facility-finder",
    "hello-map",
    "incident-heatmap",
    "project-coverage",
)


def template_names() -> list[str]:
    """The sample apps a project can say it started from (`hackkit new-app` copies these)."""
    return list(SAMPLE_APPS)


def app_folders(root: Path | None = None) -> list[Path]:
    """The folders of the shipped sample apps that are present (a checkout has them all)."""
    root = root or SAMPLE_APPS_DIR
    return [root / name for name in SAMPLE_APPS if (root / name / "app.py").is_file()]


def refresh_extracts(app_dir: Path, hub_url: str) -> list[str]:
    """Rewrite an app's data/<slug>.geojson extracts from a running hub's curated datasets."""
    from hackkit_maps import hubdata

    hub = hubdata.Hub(hub_url, timeout=30)
    written = []
    for extract in sorted((app_dir / "data").glob("*.geojson")):
        hubdata.write_extract(hub.geojson(extract.stem), extract)
        written.append(extract.name)
    return written


if __name__ == "__main__":
    # python -m hackkit.apps.registry HUB_URL    refresh every app's data/*.geojson extracts from that hub
    import sys

    for folder in app_folders():
        print(folder.name, "extracts:", ", ".join(refresh_extracts(folder, sys.argv[1])) or "none")

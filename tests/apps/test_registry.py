"""The sample apps the hub ships: the registry names them all, and each folder is only the app."""

from __future__ import annotations

import pytest

from hackkit.apps.registry import SAMPLE_APPS, SAMPLE_APPS_DIR, app_folders, template_names

APPS = app_folders()
# What a team changes, and nothing else: the kit comes as a package (hackkit-maps).
APP_FILES = {"app.py", "README.md", "requirements.txt", "requirements-dev.txt", "pytest.ini", "screenshot.png"}
APP_FOLDERS = {"data", "tests"}
# Helper modules an app splits its own code into.
OWN_MODULES = {"bike-share": {"live.py"}, "incident-heatmap": {"controls.py"}}


def test_the_registry_names_exactly_the_sample_apps_in_the_repository():
    # A new sample app must be added to SAMPLE_APPS: an installed hub has no folder to scan.
    assert sorted(SAMPLE_APPS) == sorted(path.parent.name for path in SAMPLE_APPS_DIR.glob("*/app.py"))
    assert [folder.name for folder in APPS] == list(SAMPLE_APPS) == template_names()


@pytest.mark.parametrize("app_dir", APPS, ids=[folder.name for folder in APPS])
def test_each_app_folder_holds_only_what_a_team_changes(app_dir):
    tracked = {path.name for path in app_dir.iterdir() if path.name not in {"__pycache__", ".pytest_cache"}}
    assert tracked <= APP_FILES | APP_FOLDERS | OWN_MODULES.get(app_dir.name, set())
    assert not (app_dir / "tests" / "conftest.py").exists(), "the fixtures come from the kit's pytest plugin"


@pytest.mark.parametrize("app_dir", APPS, ids=[folder.name for folder in APPS])
def test_each_app_has_what_a_team_needs_to_start(app_dir):
    readme = (app_dir / "README.md").read_text(encoding="utf-8")
    first_lines = "\n".join(readme.splitlines()[:6])
    assert "python app.py" in first_lines, "the README must start with the one command that runs the app"
    assert "screenshot.png" in readme and (app_dir / "screenshot.png").is_file()
    assert "Upgrading the map kit" in readme
    assert "WHERE TO CHANGE THINGS" in (app_dir / "app.py").read_text(encoding="utf-8")
    assert "hackkit-maps" in (app_dir / "requirements.txt").read_text(encoding="utf-8")
    assert list((app_dir / "tests").glob("test_*.py")), "each app has its own tests"
    assert list((app_dir / "data").glob("*.*")), "each app ships an offline extract"


def test_without_the_folder_no_app_is_found_but_every_template_is_still_known(monkeypatch, tmp_path):
    from hackkit.apps import registry

    monkeypatch.setattr(registry, "SAMPLE_APPS_DIR", tmp_path)
    assert registry.app_folders() == []
    assert registry.template_names() == list(SAMPLE_APPS)

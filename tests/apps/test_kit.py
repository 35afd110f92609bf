"""Every sample app carries the same kit, identical to the hub's own modules."""

from __future__ import annotations

import re

import pytest

from hackkit.apps.kit import KIT_FILES, app_folders, copy_kit, kit_differences

APPS = app_folders()


def test_there_are_sample_apps():
    assert APPS, "no sample_apps/<name>/app.py found"


@pytest.mark.parametrize("app_dir", APPS, ids=[folder.name for folder in APPS])
def test_each_app_carries_an_unchanged_copy_of_the_kit(app_dir):
    # When this fails after changing hackkit/maps or hackkit/apps/hubdata.py, refresh the
    # copies with `python -m hackkit.apps.kit`.
    assert kit_differences(app_dir) == []


@pytest.mark.parametrize("app_dir", APPS, ids=[folder.name for folder in APPS])
def test_each_app_has_what_a_team_needs_to_start(app_dir):
    readme = (app_dir / "README.md").read_text(encoding="utf-8")
    first_lines = "\n".join(readme.splitlines()[:6])
    assert "python app.py" in first_lines, "the README must start with the one command that runs the app"
    assert "screenshot.png" in readme and (app_dir / "screenshot.png").is_file()
    assert "WHERE TO CHANGE THINGS" in (app_dir / "app.py").read_text(encoding="utf-8")
    assert (app_dir / "requirements.txt").is_file()
    assert list((app_dir / "tests").glob("test_*.py")), "each app has its own tests"
    assert list((app_dir / "data").glob("*.*")), "each app ships an offline extract"


def test_kit_files_never_import_hackkit():
    # The copies must work outside this repository.
    for original in KIT_FILES.values():
        if original.suffix == ".py":
            imports = re.findall(r"^\s*(?:from|import)\s+hackkit\b", original.read_text(encoding="utf-8"), re.M)
            assert not imports, original


def test_copy_kit_makes_a_folder_that_passes_the_check(tmp_path):
    copy_kit(tmp_path)
    assert kit_differences(tmp_path) == []

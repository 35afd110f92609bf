"""`hackkit new-app TEMPLATE DIR --name NAME`: a team's own copy of a sample app.

The copy is the template's folder (without installed packages and caches), with the
app's TITLE and the README's heading set to the team's name and a short section saying
where it came from. The map kit comes along as a wheel in vendor/ (packed from the kit
this hub runs), and requirements.txt points at it: one `pip install -r requirements.txt`
and the app runs with no hub and no internet.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hackkit_maps.dist import build_wheel

from hackkit.apps.gallery import SKIPPED_DIRS, VENDOR, vendored_requirements
from hackkit.apps.registry import SAMPLE_APPS_DIR, app_folders

TITLE_LINE = re.compile(r"^TITLE = .*$", re.MULTILINE)


class NewAppError(Exception):
    """The copy was refused; the message says why, in one line."""


def team_section(template: str, name: str) -> str:
    return (
        f"\n## Where this app came from\n\n"
        f"{name} started from the `{template}` template of hackkit (its sample app "
        f"`sample_apps/{template}`). Run it with:\n\n"
        f"    pip install -r requirements.txt && python app.py\n\n"
        f'When you submit your project on the hub, set "Started from" to `{template}`.\n'
    )


def new_app(template: str, target: Path, name: str) -> Path:
    """Copy sample_apps/<template> to `target` with `name` in its title and README."""
    templates = {folder.name: folder for folder in app_folders()}
    source = templates.get(template)
    if not templates:
        raise NewAppError(f"No sample apps found in {SAMPLE_APPS_DIR}: new-app needs a checkout of hackkit.")
    if source is None:
        raise NewAppError(f"Unknown template {template!r}. Choose one of: {', '.join(sorted(templates))}.")
    name = " ".join(name.split())
    if not name:
        raise NewAppError("Give the app a name with --name.")
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewAppError(f"{target} already exists and is not empty: choose a new folder.")

    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*SKIPPED_DIRS, "*.pyc"), dirs_exist_ok=True)
    app_py = target / "app.py"
    # repr(): a name with quotes or backslashes still makes valid Python.
    app_py.write_text(
        TITLE_LINE.sub(lambda _m: f"TITLE = {name!r}", app_py.read_text(encoding="utf-8"), count=1), encoding="utf-8"
    )
    readme = target / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines[0] = f"# {name}"
    readme.write_text("\n".join(lines) + "\n" + team_section(template, name), encoding="utf-8")
    wheel = build_wheel(target / VENDOR)
    requirements = target / "requirements.txt"
    requirements.write_text(vendored_requirements(requirements.read_text(encoding="utf-8"), wheel), encoding="utf-8")
    return target

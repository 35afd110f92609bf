"""The sample apps as the hub shows them: what each is, its live preview, its download.

The apps are those of registry.SAMPLE_APPS. An app module is loaded from its file under a
unique module name; it imports the map kit (hackkit_maps) the hub itself uses, so the
preview and the hub share one asset cache. A download carries the kit as a wheel in
vendor/ with requirements.txt pointing at it: a team installs once and then needs neither
the hub nor the internet.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from flask_babel import lazy_gettext as _l

from hackkit.apps.registry import app_folders
from hackkit.services.errors import NotFound

# Never in a download: installed packages, caches. The rest of the folder is the app.
SKIPPED_DIRS = {"node_modules", "__pycache__", ".pytest_cache"}
_modules: dict[Path, tuple[float, ModuleType]] = {}


@dataclass
class SampleApp:
    name: str  # the folder name: what `hackkit new-app` and the submission's template field use
    folder: Path
    title: str
    summary: str
    demonstrates: tuple[str, ...]

    @property
    def screenshot(self) -> Path | None:
        path = self.folder / "screenshot.png"
        return path if path.is_file() else None

    @property
    def readme(self) -> str:
        path = self.folder / "README.md"
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    @property
    def module(self) -> ModuleType:
        return load_module(self.folder)


def load_module(folder: Path) -> ModuleType:
    """The app.py of a sample app folder, imported once (again after the file changes)."""
    path = folder / "app.py"
    mtime = path.stat().st_mtime
    cached = _modules.get(folder)
    if cached and cached[0] == mtime:
        return cached[1]
    unique = "hackkit_sample_app_" + "".join(c if c.isalnum() else "_" for c in folder.name)
    spec = importlib.util.spec_from_file_location(unique, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module  # as a normal import does: dataclasses look their module up there
    if str(folder) not in sys.path:
        sys.path.append(str(folder))  # at the end, never shadowing ours: the app's own helpers import
    spec.loader.exec_module(module)
    _modules[folder] = (mtime, module)
    return module


def list_apps() -> list[SampleApp]:
    return [_describe(folder) for folder in app_folders()]


def _describe(folder: Path) -> SampleApp:
    module = load_module(folder)
    return SampleApp(
        name=folder.name,
        folder=folder,
        title=str(getattr(module, "TITLE", folder.name)),
        summary=str(getattr(module, "SUMMARY", "")),
        demonstrates=tuple(getattr(module, "DEMONSTRATES", ())),
    )


def get_app(name: str) -> SampleApp:
    for folder in app_folders():
        if folder.name == name:  # compared, never joined onto a path: no "..", no other folders
            return _describe(folder)
    raise NotFound(_l("There is no sample app called %(name)s.", name=name))


def _files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not SKIPPED_DIRS.intersection(relative.parts[:-1]) and path.suffix != ".pyc":
            found.append(path)
    return found


KIT_REQUIREMENT = re.compile(r"^hackkit-maps\b.*$", re.MULTILINE)
VENDOR = "vendor"
# A plain-text file the kit's Hub reads for the hub to ask when HACKKIT_URL is not set. Text,
# not code: a Host header is the client's to choose, so it must never become Python.
HUB_URL_FILE = "HUB_URL"


def vendored_requirements(text: str, wheel: Path) -> str:
    """requirements.txt with the kit's line pointing at the wheel in vendor/."""
    return KIT_REQUIREMENT.sub(lambda _m: f"./{VENDOR}/{wheel.name}", text, count=1)


def zip_app(app: SampleApp, wheel: Path, hub_url: str | None = None) -> bytes:
    """The standalone folder as a zip whose single top folder is the app's name.

    `wheel` (hackkit_maps.dist.cached_wheel) goes into vendor/ and requirements.txt names it.
    With `hub_url` (the hub it is downloaded from) the app asks that hub by default;
    HACKKIT_URL still wins.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _files(app.folder):
            name = f"{app.name}/{path.relative_to(app.folder).as_posix()}"
            if path.name == "requirements.txt" and path.parent == app.folder:
                archive.writestr(name, vendored_requirements(path.read_text(encoding="utf-8"), wheel))
            else:
                archive.write(path, name)
        archive.write(wheel, f"{app.name}/{VENDOR}/{wheel.name}")
        if hub_url:
            archive.writestr(f"{app.name}/{HUB_URL_FILE}", hub_url.splitlines()[0].strip().rstrip("/") + "\n")
    return buffer.getvalue()

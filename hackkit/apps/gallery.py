"""The sample apps as the hub shows them: what each is, its live preview, its download.

Every folder of sample_apps/ with an app.py is a template (kit.app_folders); nothing is
listed by hand. An app module is loaded from its file under a unique module name. Its
kit modules (`hubdata`, `mapkit`) are byte-identical copies of hackkit.apps.hubdata and
hackkit.maps (tests/apps/test_kit.py), so the hub points those names at its own modules:
the preview then finds the map plugins where the hub keeps them, and every app shares one
asset cache.
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

from hackkit.apps.kit import app_folders
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


def _share_kit_modules() -> None:
    """`import hubdata` / `from mapkit... import` inside an app resolve to the hub's originals."""
    import hackkit.apps.hubdata
    import hackkit.maps
    import hackkit.maps.assets
    import hackkit.maps.build
    import hackkit.maps.npm
    import hackkit.maps.serve

    sys.modules["hubdata"] = hackkit.apps.hubdata
    sys.modules["mapkit"] = hackkit.maps
    for name in ("assets", "build", "npm", "serve"):
        sys.modules[f"mapkit.{name}"] = getattr(hackkit.maps, name)


def load_module(folder: Path) -> ModuleType:
    """The app.py of a sample app folder, imported once (again after the file changes)."""
    path = folder / "app.py"
    mtime = path.stat().st_mtime
    cached = _modules.get(folder)
    if cached and cached[0] == mtime:
        return cached[1]
    _share_kit_modules()
    unique = "hackkit_sample_app_" + "".join(c if c.isalnum() else "_" for c in folder.name)
    spec = importlib.util.spec_from_file_location(unique, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module  # as a normal import does: dataclasses look their module up there
    saved_path = list(sys.path)
    try:
        spec.loader.exec_module(module)  # an app puts its folder first on sys.path...
    finally:
        sys.path[:] = saved_path  # ...which in the hub would let its files shadow ours
        if str(folder) not in sys.path:
            sys.path.append(str(folder))  # at the end: the app's own helpers still import
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


# The line of the kit's hubdata.py that names the hub an app asks when HACKKIT_URL is not set.
DEFAULT_URL_LINE = re.compile(r'^DEFAULT_URL = "[^"\n]*"$', re.M)


def zip_app(app: SampleApp, hub_url: str | None = None) -> bytes:
    """The standalone folder as a zip whose single top folder is the app's name. With `hub_url`
    (the hub it is downloaded from), the app asks that hub by default; HACKKIT_URL still wins."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _files(app.folder):
            name = f"{app.name}/{path.relative_to(app.folder).as_posix()}"
            if hub_url and path.name == "hubdata.py":
                text = path.read_text(encoding="utf-8")
                # repr(): a Host header is the client's to choose; as a Python literal it stays data.
                archive.writestr(name, DEFAULT_URL_LINE.sub(lambda _m: f"DEFAULT_URL = {hub_url.rstrip('/')!r}", text))
            else:
                archive.write(path, name)
    return buffer.getvalue()

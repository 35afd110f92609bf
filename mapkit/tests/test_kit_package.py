"""The kit as a package: its npm plugins (built in, checksum-verified), its wheel, its bounds."""

from __future__ import annotations

import ast
import base64
import csv
import hashlib
import io
import re
import tomllib
import zipfile
from pathlib import Path

import hackkit_maps
import pytest
from hackkit_maps import assets, dist, npm

KIT = Path(__file__).resolve().parents[1]


def test_the_build_put_every_npm_plugin_in_at_the_version_package_json_names():
    assert npm.missing() == []
    npm.check()
    # Only what the maps serve is kept: no sources, docs or tests of the npm packages.
    kept = [path for path in npm.modules_dir().rglob("*") if path.is_file()]
    assert not [path for path in kept if path.suffix in {".md", ".ts", ".scss", ".less", ".map"}]
    for asset in ("leaflet-search/dist/leaflet-search.min.js", "d3v4/build/d3.min.js", "hackkit-maps/tile-fallback.js"):
        assert asset in assets.served_files()


def test_a_tarball_must_match_the_registrys_sha512():
    tarball = b"pretend this is a package"
    good = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    npm.verify(tarball, good, "x@1")
    with pytest.raises(ValueError, match="x@1: the download does not match"):
        npm.verify(tarball + b"!", good, "x@1")
    with pytest.raises(ValueError):
        npm.verify(tarball, "sha1-" + base64.b64encode(hashlib.sha1(tarball).digest()).decode(), "x@1")  # noqa: S324


def test_the_wheel_carries_the_plugins_the_pytest_plugin_and_a_valid_record(tmp_path):
    wheel = dist.build_wheel(tmp_path)
    assert wheel.name == f"hackkit_maps-{hackkit_maps.__version__}-py3-none-any.whl"
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assert "hackkit_maps/npm_modules/leaflet.fullscreen/Control.FullScreen.js" in names
    assert "hackkit_maps/static/tile-fallback.js" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    info = f"hackkit_maps-{hackkit_maps.__version__}.dist-info"
    assert "hackkit_maps = hackkit_maps.pytest_plugin" in archive.read(f"{info}/entry_points.txt").decode()
    assert "Name: hackkit-maps" in archive.read(f"{info}/METADATA").decode()
    for name, digest, size in csv.reader(io.StringIO(archive.read(f"{info}/RECORD").decode())):
        if name.endswith("RECORD"):
            continue
        data = archive.read(name)
        expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (digest, int(size)) == (expected, len(data)), name


def test_the_wheel_is_the_same_bytes_each_time_and_cached_once(tmp_path):
    assert dist.build_wheel(tmp_path / "a").read_bytes() == dist.build_wheel(tmp_path / "b").read_bytes()
    first = dist.cached_wheel(tmp_path / "cache")
    assert dist.cached_wheel(tmp_path / "cache") == first
    assert len(list((tmp_path / "cache").rglob("*.whl"))) == 1


def test_the_version_is_said_once_per_file_and_agrees():
    project = tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == hackkit_maps.__version__ == dist.version()


def test_the_oldest_folium_tested_is_the_lower_bound_the_kit_claims():
    makefile = KIT.parent / "Makefile"
    if not makefile.is_file():
        pytest.skip("outside hackkit's repository")
    project = tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bound = next(re.search(r"folium>=([\d.]+)", d)[1] for d in project["dependencies"] if d.startswith("folium"))
    oldest = re.search(r"^FOLIUM_OLDEST := ([\d.]+)$", makefile.read_text(encoding="utf-8"), re.M)[1]
    assert oldest.startswith(bound)  # 0.15 -> 0.15.0


def test_the_kit_imports_nothing_from_the_hub():
    # Apps install the kit without hackkit.
    for path in (KIT / "src" / "hackkit_maps").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [name for name in imported if name == "hackkit" or name.startswith("hackkit.")], path.name


def test_a_downloaded_app_asks_the_hub_named_in_its_hub_url_file(tmp_path, monkeypatch):
    from hackkit_maps.hubdata import DEFAULT_URL, Hub

    monkeypatch.delenv("HACKKIT_URL", raising=False)
    (tmp_path / "data").mkdir()
    assert Hub(extract_dir=tmp_path / "data").url == DEFAULT_URL
    (tmp_path / "HUB_URL").write_text("https://hub.example.org/\n", encoding="utf-8")
    assert Hub(extract_dir=tmp_path / "data").url == "https://hub.example.org"
    monkeypatch.setenv("HACKKIT_URL", "http://10.0.0.5:5000")
    assert Hub(extract_dir=tmp_path / "data").url == "http://10.0.0.5:5000"  # the environment still wins
    monkeypatch.delenv("HACKKIT_URL")
    (tmp_path / "HUB_URL").write_text("not a url\n", encoding="utf-8")
    assert Hub(extract_dir=tmp_path / "data").url == DEFAULT_URL

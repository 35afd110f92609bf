"""`hackkit new-app`: a team's own copy of a sample app, named for their project."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import hackkit_maps


def test_new_app_makes_a_named_copy_that_carries_the_kit_and_runs(runner, tmp_path):
    target = tmp_path / "shade-finder"
    result = runner.invoke(args=["new-app", "facility-finder", str(target), "--name", 'Shade "finder"'])

    assert result.exit_code == 0, result.output
    assert "python app.py" in result.output
    # The kit as a wheel, named by requirements.txt: one install, then no hub and no internet.
    wheel = target / "vendor" / f"hackkit_maps-{hackkit_maps.__version__}-py3-none-any.whl"
    assert f"./vendor/{wheel.name}" in (target / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "hackkit_maps/npm_modules/leaflet-search/dist/leaflet-search.min.js" in zipfile.ZipFile(wheel).namelist()
    assert not (target / "mapkit").exists() and not (target / "hubdata.py").exists()
    assert "TITLE = 'Shade \"finder\"'" in (target / "app.py").read_text(encoding="utf-8")
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert readme.startswith('# Shade "finder"\n')
    assert "python app.py" in "\n".join(readme.splitlines()[:6])
    assert "`facility-finder` template of hackkit" in readme and "Started from" in readme
    assert not list(target.rglob("node_modules")) and not list(target.rglob("__pycache__"))

    env = {**os.environ, "HACKKIT_URL": "http://127.0.0.1:9"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "app.py", "--html", "map.html"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    html = (target / "map.html").read_text(encoding="utf-8")
    assert '<title>Shade "finder"</title>' in html or "<title>Shade &#34;finder&#34;</title>" in html


def test_new_app_refuses_an_unknown_template_and_a_folder_in_use(runner, tmp_path):
    unknown = runner.invoke(args=["new-app", "tram-tracker", str(tmp_path / "a"), "--name", "A"])
    assert unknown.exit_code != 0
    assert "Unknown template 'tram-tracker'" in unknown.output and "hello-map" in unknown.output
    assert not (tmp_path / "a").exists()

    used = tmp_path / "b"
    used.mkdir()
    (used / "notes.txt").write_text("mine")
    refused = runner.invoke(args=["new-app", "hello-map", str(used), "--name", "B"])
    assert refused.exit_code != 0 and "not empty" in refused.output
    assert [p.name for p in used.iterdir()] == ["notes.txt"]

    empty = tmp_path / "c"
    empty.mkdir()
    assert runner.invoke(args=["new-app", "hello-map", str(empty), "--name", "C"]).exit_code == 0

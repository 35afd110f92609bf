"""Start-up stays light: a web worker and `hackkit --help` do not load the heavy libraries that
only one corner of the hub uses (issue 18). Each check runs in a fresh interpreter, because this
test process has long since imported everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Library -> the only place it is needed (imported there, on first use).
HEAVY = {
    "numpy": "geometry in the importer, maps",
    "pandas": "folium",
    "scipy": "pairwise judging",
    "folium": "map pages",
    "branca": "map pages",
    "rdflib": "the DCAT catalogue and harvesting",
    "shapely": "geometry in the importer",
    "pyproj": "reprojection in the importer",
    "PIL": "screenshots and share images",
    "lxml": "the Atom feed",
    "icalendar": "calendar feeds",
    "alembic": "migrations",
    "flask_migrate": "migrations",
    "pyarrow": "the fast CSV reader of the importer",
    "openpyxl": "spreadsheet imports",
    "requests": "webhook delivery and harvesting",
    "snowballstemmer": "searching the catalogue",
}


def _loaded_after(code: str, tmp_path: Path) -> dict:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules if '.' not in m)))\n"
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        HACKKIT_INSTANCE_PATH=str(tmp_path / "instance"),
        HACKKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'hub.db'}",
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {"modules": set(json.loads(done.stdout.strip().splitlines()[-1])), "output": done.stdout}


def test_import_and_create_app_leave_the_heavy_libraries_unloaded(tmp_path):
    loaded = _loaded_after("import hackkit\napp = hackkit.create_app()\nassert app.url_map", tmp_path)["modules"]
    early = {name: use for name, use in HEAVY.items() if name in loaded}
    assert not early, f"loaded by create_app although only needed for: {early}"


def test_help_lists_the_commands_without_building_the_app(tmp_path):
    result = _loaded_after(
        "import sys\nfrom hackkit.cli import main\nsys.argv = ['hackkit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass",
        tmp_path,
    )
    for command in ("users", "datasets", "db", "setup", "backup", "run", "mail"):
        assert f"  {command} " in result["output"]
    assert "sqlalchemy" not in result["modules"]
    assert not (tmp_path / "instance").exists()  # the app was never built


def test_the_console_script_answers_help_without_flask(tmp_path):
    result = _loaded_after(
        "import sys\nfrom hackkit.console import main\nsys.argv = ['hackkit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass",
        tmp_path,
    )
    assert "  datasets  The city data catalogue." in result["output"]
    assert not {"flask", "werkzeug", "jinja2", "sqlalchemy"} & result["modules"]


def test_the_console_listing_matches_the_real_commands():
    import click

    from hackkit import console
    from hackkit.cli import main

    context = click.Context(main)
    real = {name: main.get_command(context, name) for name in main.list_commands(context)}
    assert sorted(real) == sorted(console.COMMANDS)
    for name, command in real.items():
        assert console.COMMANDS[name] == command.get_short_help_str(limit=200), name


def test_the_console_script_runs_the_real_commands(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), HACKKIT_INSTANCE_PATH=str(tmp_path / "instance"))
    env["HACKKIT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'hub.db'}"
    command = [sys.executable, "-c", "from hackkit.console import main; main()", "users", "--help"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "create" in done.stdout and "set-role" in done.stdout


def test_lazy_migrations_still_migrate_and_the_db_group_works(tmp_path):
    result = _loaded_after(
        "import hackkit\nfrom flask_migrate import upgrade\napp = hackkit.create_app()\n"
        "with app.app_context():\n    upgrade()\n"
        "from sqlalchemy import inspect\nfrom hackkit.extensions import db\n"
        "with app.app_context():\n    print('tables', len(inspect(db.engine).get_table_names()))\n"
        "runner = app.test_cli_runner()\nout = runner.invoke(args=['db', 'check'])\n"
        "print('check', out.exit_code, repr(out.exception))",
        tmp_path,
    )
    lines = result["output"].splitlines()
    assert int(next(line for line in lines if line.startswith("tables")).split()[1]) > 10
    assert next(line for line in lines if line.startswith("check")) == "check 0 None"  # models match the head

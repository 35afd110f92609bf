"""The `hackkit` command line: accounts, the demo and first-start setup."""

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Event, User
from hackkit.services import accounts
from tests.conftest import make_app


def test_users_create_reads_password_from_stdin(runner, app):
    result = runner.invoke(
        args=["users", "create", "Boss@Example.org", "--role", "organizer", "--password-stdin"],
        input="a long organizer passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created organizer boss@example.org" in result.output
    with app.app_context():
        user = accounts.authenticate(db.session, "boss@example.org", "a long organizer passphrase")
        assert user.role == "organizer"


def test_users_create_duplicate_fails_with_one_clear_line(runner, app, auth):
    auth.create_user(email="boss@example.org")
    result = runner.invoke(
        args=["users", "create", "boss@example.org", "--password-stdin"], input="a long organizer passphrase\n"
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert "Traceback" not in result.output


def test_users_create_weak_password_fails_and_creates_nothing(runner, app):
    result = runner.invoke(args=["users", "create", "x@example.org", "--password-stdin"], input="short\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_users_set_role(runner, app, auth):
    person = auth.create_user()
    result = runner.invoke(args=["users", "set-role", person.email, "judge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(User, person.id).role == "judge"
    assert runner.invoke(args=["users", "set-role", "nobody@example.org", "judge"]).exit_code != 0


def test_demo_seed_prints_logins_that_work(runner, app):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines() if "@demo.example.org" in line]
    assert {line[0] for line in lines} == {"organizer", "judge", "participant"}
    assert len(lines) == 4
    with app.app_context():
        for role, email, password in lines:
            assert accounts.authenticate(db.session, email, password).role == role
    login_file = Path(app.instance_path) / "demo-logins.txt"
    assert oct(login_file.stat().st_mode & 0o777) == "0o600"


def test_setup_migrates_an_empty_database_seeds_once_and_keeps_data(tmp_path, fresh_database_url):
    app = make_app(tmp_path, fresh_database_url)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "First start" in first.output
    with app.app_context():
        organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
        organizer.display_name = "Renamed by the organizer"
        db.session.commit()
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "First start" not in second.output
    assert second.output.count("@demo.example.org") == 4  # the same logins, printed again
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 4
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
        assert (
            db.session.scalar(sa.select(User.display_name).where(User.role == "organizer"))
            == "Renamed by the organizer"
        )
        db.engine.dispose()


def test_console_script_has_the_same_groups(tmp_path):
    env = {**os.environ, "HACKKIT_INSTANCE_PATH": str(tmp_path)}
    script = Path(sys.executable).parent / "hackkit"
    output = subprocess.run([str(script), "--help"], env=env, capture_output=True, text=True, check=True).stdout
    for group in ("users", "demo", "setup", "db", "run"):
        assert group in output

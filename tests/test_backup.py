"""`hackkit backup` / `hackkit restore`: a whole hub round-trips with nothing lost.

In the PostgreSQL pass the round trip is SQLite -> PostgreSQL -> SQLite; in the SQLite
pass, SQLite -> SQLite -> SQLite. Each step compares every table, every dataset row and
every uploaded file with the original.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from PIL import Image

from hackkit.extensions import db
from hackkit.models import Criterion, EventJudge, Review, Score, Submission, User
from hackkit.services import backup, curated, demo, screenshots
from tests import stored
from tests.conftest import DB_KIND, make_app


def sqlite_url(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(folder / "hub.sqlite3")


def other_database(tmp_path: Path, postgres_databases) -> str:
    """An empty database of the kind under test."""
    if DB_KIND == "postgresql":
        return postgres_databases.create()
    return sqlite_url(tmp_path / "other-db")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def populate(app) -> None:
    """The demo hub (people, event, team, project, datasets) plus judging and a screenshot."""
    with app.app_context():
        upgrade()
        curated.load_curated(db.session)
        demo.seed_demo(db.session)
        submission = db.session.scalars(sa.select(Submission)).first()
        judge = db.session.scalars(sa.select(User).where(User.role == "judge")).first()
        event_id = submission.team.event_id
        criterion = Criterion(event_id=event_id, name="Impact", description="Does it help?", weight=2.0)
        db.session.add_all([criterion, EventJudge(event_id=event_id, user_id=judge.id)])
        db.session.flush()
        db.session.add(Review(submission_id=submission.id, judge_id=judge.id, feedback="Clear map; add sources."))
        db.session.add(Score(submission_id=submission.id, judge_id=judge.id, criterion_id=criterion.id, value=4))
        db.session.commit()
        captain = db.session.get(User, submission.team.captain_id)
        screenshots.add_screenshot(db.session, captain, submission.team, png(), "map.png")


def contents(app) -> dict[str, list[str]]:
    """Every row of every table and dataset table, as sorted JSON lines, plus the files."""
    with app.app_context(), db.engine.connect() as conn:
        found = {}
        for table in backup._hub_tables(conn):
            found[table.name] = sorted(line.decode() for line in backup._rows_as_lines(conn, table))
        for table_name, columns in backup._dataset_versions(conn):
            table = backup.dataset_tables.sa_table(table_name, columns)
            found[table_name] = sorted(line.decode() for line in backup._rows_as_lines(conn, table))
        instance = Path(app.instance_path)
        found["files"] = sorted(
            f"{path.relative_to(instance)}:{hash(path.read_bytes())}" for path in backup._instance_files(instance)
        )
    return found


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def test_a_hub_round_trips_with_nothing_lost(tmp_path, postgres_databases):
    original = make_app(tmp_path / "a", sqlite_url(tmp_path / "a-db"))
    populate(original)
    before = contents(original)
    assert before["scores"] and before["submission_versions"] and before["submission_screenshots"]
    assert any(name.startswith("dsv_") for name in before)
    # The originals of the curated datasets and the screenshot travel as file store rows.
    assert len(before["stored_files"]) >= 7 and len(before["stored_file_chunks"]) >= 7

    first = run(original, "backup", str(tmp_path / "one.zip"))
    assert first.exit_code == 0, first.output

    moved = make_app(tmp_path / "b", other_database(tmp_path, postgres_databases))
    restored = run(moved, "restore", str(tmp_path / "one.zip"))
    assert restored.exit_code == 0, restored.output
    assert contents(moved) == before

    second = run(moved, "backup", str(tmp_path / "two.zip"))
    assert second.exit_code == 0, second.output
    back = make_app(tmp_path / "c", sqlite_url(tmp_path / "c-db"))
    assert run(back, "restore", str(tmp_path / "two.zip")).exit_code == 0
    assert contents(back) == before

    # The restored hub works on: new rows get fresh ids, full-text search finds dataset rows.
    with moved.app_context():
        newcomer = User(email="new@example.org", display_name="New", password_hash="x", role="participant")
        db.session.add(newcomer)
        db.session.commit()
        assert newcomer.id > max(json.loads(line)["id"] for line in before["users"])
    client = moved.test_client()
    found = client.get("/api/v1/datasets/playgrounds/rows?_search=Adventure")
    assert found.status_code == 200 and found.json["rows"]
    [shot] = stored.screenshots(moved)
    assert stored.stored_bytes(moved, shot) == stored.stored_bytes(original, shot)  # the screenshot came back
    original_csv = client.get("/datasets/playgrounds/original")
    assert original_csv.status_code == 200 and b"Adventure" in original_csv.data
    # A restore into SQLite builds the postings of the few-valued columns again (not backed up).
    assert postings(back) == postings(original) and any(postings(original).values())


def postings(app) -> dict[str, set[str]]:
    """The posted columns of each dataset table, read from its postings table."""
    with app.app_context(), db.engine.connect() as conn:
        return {
            name: {col for (col,) in conn.exec_driver_sql(f'SELECT DISTINCT col FROM "{name}_postings"')}  # noqa: S608
            for name, _columns in backup._dataset_versions(conn)
        }


def test_restore_refuses_a_database_that_holds_data(tmp_path):
    hub = make_app(tmp_path / "a", sqlite_url(tmp_path / "a-db"))
    populate(hub)
    assert run(hub, "backup", str(tmp_path / "one.zip")).exit_code == 0
    before = contents(hub)

    result = run(hub, "restore", str(tmp_path / "one.zip"))

    assert result.exit_code != 0
    assert "already holds data" in result.output
    assert contents(hub) == before


def test_restore_of_a_file_that_is_not_a_backup_changes_nothing(tmp_path):
    (tmp_path / "notes.zip").write_bytes(b"this is not a zip file")
    hub = make_app(tmp_path / "a", sqlite_url(tmp_path / "a-db"))

    result = run(hub, "restore", str(tmp_path / "notes.zip"))

    assert result.exit_code != 0
    assert "cannot read" in result.output
    with hub.app_context(), db.engine.connect() as conn:
        assert backup._hub_tables(conn) == []  # not even migrated


def test_restore_refuses_a_file_name_that_climbs_out_of_the_instance_folder(tmp_path):
    hub = make_app(tmp_path / "a", sqlite_url(tmp_path / "a-db"))
    populate(hub)
    assert run(hub, "backup", str(tmp_path / "one.zip")).exit_code == 0
    with zipfile.ZipFile(tmp_path / "one.zip") as good, zipfile.ZipFile(tmp_path / "evil.zip", "w") as evil:
        manifest = json.loads(good.read("manifest.json"))
        for item in good.infolist():
            if item.filename != "manifest.json":
                evil.writestr(item, good.read(item))
        manifest["files"].append("../../escaped.txt")
        evil.writestr("files/../../escaped.txt", "gotcha")
        evil.writestr("manifest.json", json.dumps(manifest))
    target = make_app(tmp_path / "b", sqlite_url(tmp_path / "b-db"))

    result = run(target, "restore", str(tmp_path / "evil.zip"))

    assert result.exit_code != 0 and "outside the instance folder" in result.output
    assert not list(tmp_path.rglob("escaped.txt"))
    with target.app_context(), db.engine.connect() as conn:
        assert all(
            not conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in backup._hub_tables(conn)
        )


def test_a_backup_of_an_older_schema_is_restored_and_migrated_up(tmp_path):
    from flask_migrate import upgrade as migrate_to

    old = make_app(tmp_path / "a", sqlite_url(tmp_path / "a-db"))
    with old.app_context():
        migrate_to(revision="e6d57eff043f")  # the release before judging
        db.session.execute(
            sa.text(
                "INSERT INTO users (email, display_name, password_hash, role, created_at, locale, skills, "
                "languages, bio, looking_for_team, session_token) VALUES ('old@example.org', 'Old', 'x', "
                "'organizer', :now, 'en', '[]', '[]', '', 0, 'tok')"
            ),
            {"now": datetime.now(UTC).replace(tzinfo=None)},
        )
        db.session.commit()
    assert run(old, "backup", str(tmp_path / "old.zip")).exit_code == 0

    new = make_app(tmp_path / "b", sqlite_url(tmp_path / "b-db"))
    result = run(new, "restore", str(tmp_path / "old.zip"))

    assert result.exit_code == 0, result.output
    with new.app_context():
        assert db.session.scalar(sa.select(User.email)) == "old@example.org"
        assert sa.inspect(db.engine).has_table("criteria")  # migrated up past the backup's schema


def test_a_backup_from_before_the_file_store_brings_its_files_into_the_database(tmp_path, postgres_databases):
    """Backups made while uploads were instance files hold them under files/: a restore puts
    them back and the upgrade (i18m) moves them into the file store, where the pages find them."""
    from flask_migrate import downgrade

    old = make_app(tmp_path / "a", sqlite_url(tmp_path / "a-db"))
    populate(old)
    names = stored.originals(old) + stored.screenshots(old)
    kept = {name: stored.stored_bytes(old, name) for name in names}
    with old.app_context():
        downgrade(revision="i16j_pairwise_skip")  # the files go back to the instance folder
        db.engine.dispose()
    assert run(old, "backup", str(tmp_path / "old.zip")).exit_code == 0
    assert {f"files/{name}" for name in names} <= set(zipfile.ZipFile(tmp_path / "old.zip").namelist())

    new = make_app(tmp_path / "b", other_database(tmp_path, postgres_databases))
    result = run(new, "restore", str(tmp_path / "old.zip"))
    assert result.exit_code == 0, result.output
    assert {name: stored.stored_bytes(new, name) for name in names} == kept
    assert not [name for name in names if (tmp_path / "b" / "instance" / name).exists()]
    download = new.test_client().get("/datasets/playgrounds/original")
    assert download.status_code == 200 and b"Adventure" in download.data


@pytest.mark.parametrize("name", ["secret_key", "demo-logins.txt", "hub.sqlite3"])
def test_secrets_and_the_database_file_are_not_copied_as_files(tmp_path, name):
    (tmp_path / name).write_text("x")
    assert list(backup._instance_files(tmp_path)) == []

"""A hub running the previous release upgrades in place: its data survives every new migration.

PREVIOUS_RELEASE is the schema revision of the last release (the head of the migrations
when it was cut). The test builds a hub at that revision with the demo data the release
itself would have seeded, then runs `hackkit db upgrade` and checks nothing was lost and
the hub works on.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from hackkit.extensions import db
from tests.conftest import make_app

PREVIOUS_RELEASE = "d64a0fd0e97e"  # judging: the head when the previous release landed


def counts(conn) -> dict[str, int]:
    names = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version" and not n.startswith("dsv_")]
    return {name: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar() for name in names}  # noqa: S608


def test_the_previous_release_upgrades_in_place_with_its_data(tmp_path, fresh_database_url):
    app = make_app(tmp_path, fresh_database_url)
    with app.app_context():
        upgrade(revision=PREVIOUS_RELEASE)
        now = sa.text("CURRENT_TIMESTAMP")
        with db.engine.begin() as conn:  # rows as the previous release wrote them, in its own schema
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, email, display_name, password_hash, role, created_at, skills, languages, "
                    "bio, looking_for_team, session_token) VALUES (1, 'ada@example.org', 'Ada', 'x', 'participant', "
                    f"{now}, '[]', '[]', '', false, 'tok1')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO events (id, slug, name, tagline, timezone, starts_at, ends_at, submission_deadline, "
                    "max_team_size, visibility, created_at, description, city, code_of_conduct, venue) VALUES "
                    f"(1, 'old', 'Old event', '', 'Europe/Brussels', {now}, {now}, {now}, 4, 'published', {now}, "
                    "'', '', '', '')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO teams (id, event_id, name, name_key, captain_id, invite_code, member_count, "
                    f"created_at, missing_skills, description) VALUES (1, 1, 'Old team', 'old team', 1, 'code1', 1, "
                    f"{now}, '[]', '')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO submissions (id, team_id, event_id, status, title, tagline, description, repo_url, "
                    "demo_url, video_url, licence, sample_app, datasets, screenshot_ids, credited_user_ids, version, "
                    f"updated_at) VALUES (1, 1, 1, 'submitted', 'Old project', '', '', '', '', '', '', '', '[]', '[]', "
                    f"'[1]', 1, {now})"
                )
            )
            before = counts(conn)

        upgrade()  # what `hackkit db upgrade` does

        with db.engine.connect() as conn:
            after = counts(conn)
            title = conn.execute(sa.text("SELECT title FROM submissions WHERE id = 1")).scalar()
        assert {name: after[name] for name in before} == before
        assert title == "Old project"
        client = app.test_client()
        assert client.get("/events/old").status_code == 200
        assert client.get("/api/v1/events/old/projects").status_code == 200
        db.engine.dispose()

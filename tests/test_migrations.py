"""The committed migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from hackkit.extensions import db
from tests.conftest import make_app


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(app):
    with app.app_context():
        assert schema_differences() == []


def test_migrations_run_down_to_empty_and_up_again(tmp_path, fresh_database_url):
    app = make_app(tmp_path, fresh_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_dropping_sample_app_keeps_what_teams_typed(tmp_path, fresh_database_url):
    """i16j: a sample app named in the old free-text field becomes the template; anything else
    is kept at the end of the description, in the submission and in its saved versions."""
    import json

    import sqlalchemy as sa

    app = make_app(tmp_path, fresh_database_url)
    now = sa.text("CURRENT_TIMESTAMP")
    typed = {1: ("Facility finder", ""), 2: ("my own leaflet thing", ""), 3: ("hello-map", "bike-share")}
    with app.app_context():
        upgrade(revision="i20f_calendar_token")
        with db.engine.begin() as conn:  # rows in the schema before the column was dropped
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, email, display_name, password_hash, role, created_at, skills, "
                    "languages, bio, looking_for_team, session_token) VALUES (1, 'ada@example.org', 'Ada', 'x', "
                    f"'participant', {now}, '[]', '[]', '', false, 'tok1')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO events (id, slug, name, tagline, timezone, starts_at, ends_at, "
                    "submission_deadline, max_team_size, visibility, created_at, description, city, "
                    f"code_of_conduct, venue) VALUES (1, 'old', 'Old', '', 'Europe/Brussels', {now}, {now}, {now}, "
                    f"4, 'published', {now}, '', '', '', '')"
                )
            )
            for i, (sample_app, template) in typed.items():
                conn.execute(
                    sa.text(
                        "INSERT INTO teams (id, event_id, name, name_key, captain_id, invite_code, member_count, "
                        f"created_at, missing_skills, description) VALUES ({i}, 1, 'T{i}', 't{i}', 1, 'code{i}', 1, "
                        f"{now}, '[]', '')"
                    )
                )
                description = "A map." if i == 2 else ""
                conn.execute(
                    sa.text(
                        "INSERT INTO submissions (id, team_id, event_id, status, title, tagline, description, "
                        "repo_url, demo_url, video_url, licence, sample_app, template, district, datasets, "
                        "screenshot_ids, credited_user_ids, version, updated_at) VALUES (:i, :i, 1, 'draft', 'P', "
                        f"'', :description, '', '', '', '', :sample_app, :template, '', '[]', '[]', '[]', 1, {now})"
                    ),
                    {"i": i, "description": description, "sample_app": sample_app, "template": template},
                )
                data = {"title": "P", "description": description, "sample_app": sample_app, "template": template}
                conn.execute(
                    sa.text(
                        "INSERT INTO submission_versions (id, submission_id, number, created_at, changed, data) "
                        f"VALUES (:i, :i, 1, {now}, '[]', :data)"
                    ),
                    {"i": i, "data": json.dumps(data)},
                )

        upgrade()

        with db.engine.connect() as conn:
            assert "sample_app" not in {c["name"] for c in sa.inspect(conn).get_columns("submissions")}
            rows = conn.execute(sa.text("SELECT id, template, description FROM submissions ORDER BY id")).all()
            versions = conn.execute(sa.text("SELECT submission_id, data FROM submission_versions")).all()
        assert [tuple(row) for row in rows] == [
            (1, "facility-finder", ""),
            (2, "", "A map.\n\nStarted from: my own leaflet thing"),
            (3, "bike-share", "Started from: hello-map"),  # a template was chosen already: both are kept
        ]
        snapshots = {i: json.loads(data) if isinstance(data, str) else data for i, data in versions}
        assert snapshots[1]["template"] == "facility-finder" and "sample_app" not in snapshots[1]
        assert snapshots[2]["description"].endswith("Started from: my own leaflet thing")
        db.engine.dispose()


def test_files_move_from_the_instance_folder_into_the_database_and_back(tmp_path, fresh_database_url):
    """i18m: originals and screenshots that rows name move into the file store (in 1 MiB
    chunks), and leave the instance folder once the upgrade committed; downgrade writes them back."""
    import sqlalchemy as sa

    from hackkit.ingest import Overrides
    from hackkit.services import datasets
    from tests import stored
    from tests.test_backup import populate

    app = make_app(tmp_path, fresh_database_url)
    populate(app)  # upgraded, with the curated datasets and a screenshot
    big = tmp_path / "big.csv"
    big.write_text("n,word\n" + "".join(f"{i},{'x' * 40}\n" for i in range(60_000)))  # 2.8 MiB: three chunks
    with app.app_context():
        datasets.import_dataset(
            db.session, datasets.SystemActor(), big, metadata={"slug": "big"}, overrides=Overrides()
        )
    names = stored.originals(app) + stored.screenshots(app)
    kept = {name: stored.stored_bytes(app, name) for name in names}
    assert len(kept) >= 8 and kept[next(n for n in names if n.endswith(".csv"))]
    instance = tmp_path / "instance"

    with app.app_context():
        downgrade(revision="i16j_pairwise_skip")
        assert not sa.inspect(db.engine).has_table("stored_file_chunks")
    assert {name: (instance / name).read_bytes() for name in names} == kept

    with app.app_context():
        upgrade()
        assert (
            db.session.scalar(sa.select(sa.func.max(sa.text("number"))).select_from(sa.table("stored_file_chunks")))
            == 2
        )
        db.engine.dispose()
    assert {name: stored.stored_bytes(app, name) for name in names} == kept
    assert not [name for name in names if (instance / name).exists()]
    client = app.test_client()
    assert client.get("/datasets/big/original").data == big.read_bytes()
    with app.app_context():
        db.engine.dispose()

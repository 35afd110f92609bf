"""A request that only read ends with COMMIT, so PostgreSQL keeps the statements psycopg
prepared (a ROLLBACK makes psycopg forget them all); a request that changed anything it did
not commit itself still ends with ROLLBACK, so nothing it left behind reaches the database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Event
from tests import factories as f
from tests.conftest import DB_KIND

postgres_only = pytest.mark.skipif(DB_KIND != "postgresql", reason="prepared statements and SET are PostgreSQL's")


@pytest.fixture
def app_settings() -> dict:
    # One connection, so every request and the test's own question meet on the same one.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0, "pool_timeout": 1}}


@pytest.fixture
def event_slug(app) -> str:
    with app.app_context():
        event = f.event(db.session, f.user(db.session, "organizer"), name="Open Data Day")
        db.session.commit()
        return event.slug


def ends(app):
    """How each transaction of the app's engine ends: a list of "commit" and "rollback"."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "commit", lambda conn: seen.append("commit"))
    sa.event.listen(engine, "rollback", lambda conn: seen.append("rollback"))
    return seen


def event_name(app, slug: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Event.name).where(Event.slug == slug))


def test_a_page_that_only_read_ends_its_transaction_with_commit(app, client, event_slug):
    seen = ends(app)
    assert client.get(f"/events/{event_slug}").status_code == 200
    assert seen == ["commit"]


@postgres_only
def test_postgresql_keeps_the_prepared_statements_of_a_page_between_requests(app, client, event_slug):
    for _ in range(6):  # psycopg prepares a statement the sixth time a connection sends it
        assert client.get(f"/events/{event_slug}").status_code == 200
    with app.app_context():
        kept = db.session.scalars(sa.text("SELECT statement FROM pg_prepared_statements")).all()
        db.session.rollback()
    assert any("FROM events" in statement for statement in kept), kept


@pytest.fixture
def changing_routes(app, event_slug):
    """Views that leave a change behind without committing it, as a bug would."""

    def rename(session) -> None:
        session.scalar(sa.select(Event).where(Event.slug == event_slug)).name = "Renamed by accident"

    def flushed_then_returned():
        rename(db.session)
        db.session.flush()
        return "ok"

    def changed_without_flushing():
        rename(db.session)
        return "ok"

    def flushed_then_failed():
        rename(db.session)
        db.session.flush()
        raise RuntimeError("a bug after the flush")

    for view in (flushed_then_returned, changed_without_flushing, flushed_then_failed):
        app.add_url_rule(f"/test/{view.__name__}", view.__name__, view)


@pytest.mark.parametrize(
    ("route", "status"),
    [("flushed_then_returned", 200), ("changed_without_flushing", 200), ("flushed_then_failed", 500)],
)
def test_a_change_the_request_did_not_commit_is_rolled_back(app, client, event_slug, changing_routes, route, status):
    seen = ends(app)
    assert client.get(f"/test/{route}").status_code == status
    assert event_name(app, event_slug) == "Open Data Day"
    assert seen[0] == "rollback"


@postgres_only
@pytest.mark.parametrize("sent", ["SET statement_timeout = 1234", "SELECT 1; SET statement_timeout = 1234"])
def test_a_plain_set_does_not_outlive_its_request(app, client, sent):
    """SET LOCAL ends with the transaction either way; a plain SET survives a COMMIT, so a
    request that sent one (alone, or behind a SELECT) is rolled back and the next request
    starts from the defaults."""

    def set_timeout():
        db.session.connection().exec_driver_sql(sent)
        return db.session.scalar(sa.text("SHOW statement_timeout"))

    def show_timeout():
        return db.session.scalar(sa.text("SHOW statement_timeout"))

    app.add_url_rule("/test/set", "set_timeout", set_timeout)
    app.add_url_rule("/test/show", "show_timeout", show_timeout)
    default = client.get("/test/show").get_data(as_text=True)
    assert client.get("/test/set").get_data(as_text=True) == "1234ms"
    assert client.get("/test/show").get_data(as_text=True) == default


@postgres_only
def test_a_table_made_by_select_into_is_not_kept(app, client):
    """SELECT ... INTO writes though it starts like a read: the request is rolled back."""

    def select_into():
        db.session.execute(sa.text("SELECT 1 AS one\nINTO TEMP TABLE made_by_select"))
        return "ok"

    def look():
        return str(db.session.scalar(sa.text("SELECT to_regclass('pg_temp.made_by_select') IS NOT NULL")))

    app.add_url_rule("/test/select-into", "select_into", select_into)
    app.add_url_rule("/test/look", "look", look)
    assert client.get("/test/select-into").status_code == 200
    assert client.get("/test/look").get_data(as_text=True) == "False"


def test_a_transaction_that_never_used_the_database_takes_no_connection_to_end(app, client):
    """A view that began a transaction and answered without a statement (from what the worker
    keeps, say): the end of the request does not ask for a connection to commit nothing, so
    it neither waits for one nor fails when none can be had (a database down, a full pool)."""

    def begun_unused():
        db.session.begin()
        return "ok"

    app.add_url_rule("/test/begun", "begun_unused", begun_unused)
    with app.app_context():
        held = db.engine.connect()  # the pool's only connection
    try:
        assert client.get("/test/begun").status_code == 200
    finally:
        held.close()

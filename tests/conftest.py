"""Fixtures in the shape of Flask's tutorial: app, client, runner and an auth helper.

Every test gets a fresh database: on SQLite a copy of a migrated template file, on
PostgreSQL (HACKKIT_TEST_DB=postgresql) a per-run database whose tables are emptied
after each test. The schema always comes from the real Alembic migrations.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from hackkit import create_app
from hackkit.config import SETTINGS
from hackkit.extensions import db, limiter

DB_KIND = os.environ.get("HACKKIT_TEST_DB", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get(
    "HACKKIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEST_PASSWORD = "correct horse battery staple"
REDIS_URL = os.environ.get("HACKKIT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# Tests send thousands of API requests from one address within a minute; the API limits are
# raised here so no test is throttled by accident. Tests of the limits set low ones explicitly.
UNTHROTTLED_API = {
    "HACKKIT_RATELIMIT_API": "100000 per minute",
    "HACKKIT_RATELIMIT_API_ANONYMOUS": "100000 per minute",
    "HACKKIT_RATELIMIT_CKAN_ANONYMOUS": "100000 per minute",
}


def _postgres_problem() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # any failure means: no usable server here
        return f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}"
    return None


def redis_problem() -> str | None:
    """Why the local Redis server cannot be used, or None when it answers."""
    try:
        import redis
    except ImportError:
        return "the redis client package is not installed"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as error:  # any failure means: no usable server here
        return f"Redis is not reachable at {REDIS_URL}: {error.__class__.__name__}"
    return None


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The local Redis server for tests of Redis-backed features; skips (or fails under
    HACKKIT_REQUIRE_REDIS, as CI sets) when there is none."""
    problem = redis_problem()
    if problem is None:
        return REDIS_URL
    if os.environ.get("HACKKIT_REQUIRE_REDIS"):
        pytest.fail(problem + " (HACKKIT_REQUIRE_REDIS is set, so this is a failure)")
    pytest.skip(problem)


def pytest_report_header(config):
    return f"hackkit database under test: {DB_KIND}"


def pytest_collection_modifyitems(config, items):
    if DB_KIND != "postgresql":
        return
    problem = _postgres_problem()
    if problem is None:
        return
    if os.environ.get("HACKKIT_REQUIRE_POSTGRES"):
        raise pytest.UsageError(problem + " (HACKKIT_REQUIRE_POSTGRES is set, so this is a failure)")
    for item in items:
        item.add_marker(pytest.mark.skip(reason=problem))


class PostgresDatabases:
    """Creates throw-away databases on the local server and drops them afterwards."""

    def __init__(self):
        self.admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self) -> str:
        name = f"hackkit_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases():
    if DB_KIND != "postgresql":
        yield None
        return
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


def migrate(url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    app = create_app({"INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory, postgres_databases):
    """A database at the newest migration: a template file (SQLite) or a live database."""
    instance = tmp_path_factory.mktemp("template")
    if DB_KIND == "postgresql":
        url = postgres_databases.create()
    else:
        url = "sqlite:///" + str(instance / "template.sqlite3")
    migrate(url, instance)
    return url


@pytest.fixture
def fresh_database_url(tmp_path, postgres_databases):
    """An empty database of the kind under test, for tests of migrations and setup."""
    if DB_KIND == "postgresql":
        return postgres_databases.create()
    return "sqlite:///" + str(tmp_path / "fresh.sqlite3")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """A developer's own HACKKIT_* settings must not leak into the tests."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    monkeypatch.delenv("HACKKIT_INSTANCE_PATH", raising=False)


def make_app(tmp_path: Path, database_url: str, **overrides):
    config = {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        # Tests look at a page right after changing what it shows; tests/test_pagecache.py
        # turns the public page cache on where it is the subject.
        "HACKKIT_PUBLIC_CACHE_SECONDS": 0,
        **UNTHROTTLED_API,
    }
    config.update(overrides)
    # Flask-Limiter is one object per process and keeps "the storage is down, count in memory"
    # across apps: after a test that made Redis unreachable, the next app's counters would be
    # switched back to its real storage (and so start from zero) in the middle of a test.
    limiter._storage_dead = False
    limiter._fallback_limiter = None
    return create_app(config)


def empty_all_tables(url: str) -> None:
    """Empty every table for the next test, first waiting briefly on other connections' locks.

    A streamed answer the test never read may still hold its own connection (and a lock on its
    table) until it is collected. A full garbage collection after every test cost minutes over
    the suite, so it runs only when the table is really locked; then fail loudly rather than
    wait for ever.
    """
    try:
        _truncate(url, lock_timeout="2s")
    except sa.exc.OperationalError:
        gc.collect()
        _truncate(url, lock_timeout="30s")


def _truncate(url: str, lock_timeout: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL lock_timeout = '{lock_timeout}'"))
            conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            # Dataset version tables are made by the importer, outside the models' metadata.
            for name in sa.inspect(conn).get_table_names():
                if name.startswith("dsv_"):
                    conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    finally:
        engine.dispose()


@pytest.fixture
def database_url(migrated_database, tmp_path):
    """A migrated, empty database for one test (whichever apps the test makes on it)."""
    if DB_KIND == "postgresql":
        yield migrated_database
        empty_all_tables(migrated_database)
        return
    path = tmp_path / "hackkit.sqlite3"
    shutil.copyfile(migrated_database.removeprefix("sqlite:///"), path)
    yield "sqlite:///" + str(path)


@pytest.fixture
def app_settings() -> dict:
    """Settings for this test's app; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(tmp_path, database_url, app_settings):
    app = make_app(tmp_path, database_url, **app_settings)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(app):
    """The test's app served over real HTTP on a free port; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="hackkit-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port; `smtp_server.config()` points the hub at it."""
    from tests.mailserver import LocalSmtpServer

    server = LocalSmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {page.status_code})"
    return match.group(1)


def post_form(client, url: str, data: dict, page: str | None = None, **kwargs):
    """Submit a form the way a browser does: load the page, then post with its CSRF token."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


class AuthActions:
    """Create accounts and log in as them through the real log-in form."""

    def __init__(self, app, client):
        self.app = app
        self.client = client
        self.count = 0

    def create_user(
        self,
        role: str = "participant",
        email: str | None = None,
        password: str = TEST_PASSWORD,
        name: str | None = None,
    ):
        from hackkit.services.accounts import register_user

        self.count += 1
        email = email or f"{role}{self.count}@example.org"
        with self.app.app_context():
            user = register_user(db.session, email, name or f"{role.title()} {self.count}", password, role=role)
            db.session.refresh(user)  # load every column before the object leaves the session
            db.session.expunge(user)
        return user

    def login(
        self,
        email: str,
        password: str = TEST_PASSWORD,
        client=None,
        next: str | None = None,
        environ_base: dict | None = None,
    ):
        data = {"email": email, "password": password}
        if next is not None:
            data["next"] = next
        return post_form(client or self.client, "/login", data, environ_base=environ_base or {})

    def login_as(self, role: str = "participant", client=None):
        user = self.create_user(role)
        response = self.login(user.email, client=client)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self, client=None):
        return post_form(client or self.client, "/logout", {}, page="/")


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)


class PageClock:
    """hackkit.pagecache's clock, moved on by hand: the page cache tests need no sleeping."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Freezes the page cache's clock (pagecache, shared_pages and account_cache read it); `clock.now += s` moves it."""
    from hackkit import pagecache
    from hackkit.services import account_cache

    fake = PageClock()
    monkeypatch.setattr(pagecache, "clock", fake)
    monkeypatch.setattr(account_cache, "clock", fake)  # kept accounts live as long as kept pages
    return fake


@contextmanager
def counted_queries(app=None):
    """The statements the database receives inside the block (SQLAlchemy's cursor event on
    the real engine): `app`'s, or the current app context's."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    if app is None:
        engine = db.engine
    else:
        with app.app_context():
            engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

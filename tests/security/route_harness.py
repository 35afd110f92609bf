"""Machinery of the route matrix: databases for the world, signed-in clients, one request.

The world (tests/security/route_world.py) is built once per test module into a template
database; every role logs in once through the real log-in form. Reads run against one copy
of it; before each write the copy is put back, so no row (and no role) sees another's change.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask

from hackkit.extensions import db
from tests.conftest import CSRF_RE, DB_KIND, POSTGRES_ADMIN_URL, TEST_PASSWORD, make_app, migrate, post_form
from tests.security import route_world

SECRET_KEY = "route-matrix-secret"  # the same for every copy, so one log-in cookie fits all
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class Store:
    """Where a copy of the world lives: a SQLite file or a PostgreSQL database."""

    def __init__(self, tmp: Path, postgres_databases, migrated_url: str):
        self.tmp = tmp
        self.postgres = postgres_databases
        self.migrated_url = migrated_url

    def template(self) -> str:
        if DB_KIND == "postgresql":
            url = self.postgres.create()
            migrate(url, self.tmp / "migrate-instance")
            return url
        path = self.tmp / "template.sqlite3"
        shutil.copyfile(self.migrated_url.removeprefix("sqlite:///"), path)
        return "sqlite:///" + str(path)

    def copy(self, template_url: str, name: str) -> str:
        if DB_KIND == "postgresql":
            target = f"{sa.make_url(template_url).database}_{name}"
            with self.postgres.admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
                conn.execute(sa.text(f'CREATE DATABASE "{target}" TEMPLATE "{sa.make_url(template_url).database}"'))
            if target not in self.postgres.created:
                self.postgres.created.append(target)
            return sa.make_url(POSTGRES_ADMIN_URL).set(database=target).render_as_string(hide_password=False)
        source = Path(template_url.removeprefix("sqlite:///"))
        target_path = self.tmp / f"{name}.sqlite3"
        for suffix in ("-wal", "-shm"):
            Path(str(target_path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, target_path)
        return "sqlite:///" + str(target_path)


@dataclass
class Matrix:
    store: Store
    template_url: str
    template_instance: Path
    ids: dict
    bearer: dict  # role -> headers
    cookies: dict  # role -> {cookie name: value}
    csrf: dict  # role -> CSRF token for that role's session
    apps: dict = field(default_factory=dict)  # "read" / "write" -> Flask app
    write_state: tuple | None = None  # ("clean", setup name) while the write copy is as built

    def write_app(self, setup: str | None) -> Flask:
        """The write copy in the world as built plus `setup`. Putting a database back is the
        slow part (on PostgreSQL a CREATE DATABASE), so it is skipped while nothing wrote."""
        if self.write_state != ("clean", setup) or "write" not in self.apps:
            app = self.reset_writes()
            if setup:
                set_up(self, app, setup)
            self.write_state = ("clean", setup)
        return self.apps["write"]

    def after_write(self, method: str, result: int | str) -> None:
        """A refused request changes nothing (the services check before they write); anything
        else may have, and the next request gets a fresh copy."""
        refused = result in ("login", "refused") or (isinstance(result, int) and 400 <= result < 500)
        if method in WRITES and not refused:
            self.write_state = None

    def app_for(self, kind: str) -> Flask:
        if kind not in self.apps:
            self.apps[kind] = self._fresh_app(kind)
        return self.apps[kind]

    def _fresh_app(self, kind: str) -> Flask:
        instance = self.store.tmp / f"instance-{kind}"
        shutil.rmtree(instance, ignore_errors=True)
        shutil.copytree(self.template_instance, instance)
        return make_app(
            instance.parent,
            self.store.copy(self.template_url, kind),
            INSTANCE_PATH=str(instance),
            SECRET_KEY=SECRET_KEY,
            RATELIMIT_ENABLED=False,  # rate limits are tested elsewhere; here they would only add noise
            # The "cached" copy serves the personal-data search with the public page cache on.
            HACKKIT_PUBLIC_CACHE_SECONDS=600 if kind == "cached" else 0,
        )

    def reset_writes(self) -> Flask:
        """The write copy, put back to the world as built (database and instance files)."""
        app = self.apps.get("write")
        if app is None:
            return self.app_for("write")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # the next request connects to the restored copy
        self.store.copy(self.template_url, "write")
        instance = Path(app.instance_path)
        shutil.rmtree(instance)
        shutil.copytree(self.template_instance, instance)
        return app

    def close(self) -> None:
        for app in self.apps.values():
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        self.apps.clear()


def build_matrix(tmp: Path, postgres_databases, migrated_url: str) -> Matrix:
    store = Store(tmp, postgres_databases, migrated_url)
    template_url = store.template()
    instance = tmp / "instance-template"
    app = make_app(tmp, template_url, INSTANCE_PATH=str(instance), SECRET_KEY=SECRET_KEY, RATELIMIT_ENABLED=False)
    with app.app_context():
        world = route_world.build(app, tmp)
        from hackkit_maps import assets

        world.ids["asset"] = sorted(assets.served_files())[0]
    cookies, csrf = {}, {}
    for role in route_world.ROLES:
        client = app.test_client()
        if role != "anonymous":
            response = post_form(client, "/login", {"email": route_world.EMAILS[role], "password": TEST_PASSWORD})
            assert response.status_code == 302, (role, response.get_data(as_text=True)[:500])
        page = client.get("/login" if role == "anonymous" else "/").get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token for {role}"
        csrf[role] = match.group(1)
        cookies[role] = {name: client.get_cookie(name).value for name in ("session",) if client.get_cookie(name)}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    bearer = {role: {"Authorization": "Bearer " + token} for role, token in world.tokens.items()}
    bearer["anonymous"] = {}
    return Matrix(store, template_url, instance, world.ids, bearer, cookies, csrf)


_FLASH = re.compile(r'class="flash flash-(\w+)">(.*?)</p>', re.S)
LAST_FLASHES: list = []  # what the last outcome() read, for the record mode


def _moment(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).replace(microsecond=0).isoformat()


# States a row may need first, set by the organizer through the API on the write copy:
# name -> (method, path, body). Without them some actions answer 409 to everyone.
SETUPS = {
    "judging_open": lambda: ("PATCH", "/api/v1/events/{event}/judging", {"opens_at": _moment(hours=-1)}),
    "pairwise": lambda: (
        "PATCH",
        "/api/v1/events/{event}/judging",
        # A rubric score exists in this world: the switch that sets it aside is confirmed.
        {"mode": "pairwise", "opens_at": _moment(hours=-1), "confirm_mode_change": True},
    ),
    "public_vote": lambda: (
        "PATCH",
        "/api/v1/events/{event}/judging",
        {"public_vote_opens": _moment(hours=-1), "public_vote_closes": _moment(hours=1)},
    ),
    # Project B has no scores: publishing anyway is confirmed.
    "results_published": lambda: ("POST", "/api/v1/events/{event}/results/publish", {"confirm": True}),
    # Proposals and their votes close when the event starts: move it a day ahead.
    "proposals_open": lambda: (
        "PATCH",
        "/api/v1/events/{event}",
        {
            "registration_closes": _moment(days=1),
            "starts_at": _moment(days=1),
            "submission_deadline": _moment(days=2),
            "ends_at": _moment(days=3),
        },
    ),
}


def set_up(matrix: Matrix, app: Flask, name: str) -> None:
    method, path, body = SETUPS[name]()
    response = app.test_client().open(
        path.format(**matrix.ids), method=method, json=body, headers=matrix.bearer["organizer"]
    )
    assert response.status_code == 200, (name, response.get_data(as_text=True))


def outcome(response, client=None) -> int | str:
    """The status, except for redirects: "login" (sent to the log-in page), and for a page
    form that redirects back, what the next page says: "done" (a success message), "refused"
    (an error message, e.g. "You do not have permission") or the bare status (no message)."""
    LAST_FLASHES.clear()
    if response.status_code not in (301, 302, 303, 307, 308):
        return response.status_code
    location = response.headers.get("Location", "")
    if urlsplit(location).path == "/login":
        return "login"
    if client is None:
        return response.status_code
    flashes = _FLASH.findall(client.get(location).get_data(as_text=True))
    LAST_FLASHES.extend(flashes)
    categories = {category for category, _message in flashes}
    if "error" in categories:
        return "refused"
    if "success" in categories:
        return "done"
    return response.status_code


def is_api(url: str) -> bool:
    return url.startswith("/api/")


class Upload(str):
    """A file field of a form body, named after the file it sends (places.csv or shot.png)."""


def _with_files(body: dict) -> dict:
    contents = {".csv": route_world.PLACES_CSV.encode(), ".png": route_world.png()}
    return {
        key: (io.BytesIO(contents[Path(value).suffix]), str(value)) if isinstance(value, Upload) else value
        for key, value in body.items()
    }


def request(matrix: Matrix, app: Flask, role: str, method: str, url: str, body=None):
    """One request as `role`: a bearer token for the API, the log-in cookie and CSRF token for pages.
    The body is read at once, so a streamed response finishes inside its own request."""
    response = _send(matrix, app, role, method, url, body)
    response.get_data()
    response.close()
    return response


def _send(matrix: Matrix, app: Flask, role: str, method: str, url: str, body=None):
    client = app.test_client()
    if is_api(url) and body and any(isinstance(value, Upload) for value in body.values()):
        return client.open(url, method=method, headers=matrix.bearer[role], data=_with_files(body))
    if is_api(url):
        kwargs = {"json": body if body is not None else {}} if method in ("POST", "PUT", "PATCH") else {}
        return client.open(url, method=method, headers=matrix.bearer[role], **kwargs)
    for name, value in matrix.cookies[role].items():
        client.set_cookie(name, value)
    if method in WRITES:
        response = client.open(url, method=method, data={"csrf_token": matrix.csrf[role], **_with_files(body or {})})
    else:
        response = client.open(url, method=method)
    response.client = client  # outcome() follows a form's redirect with the same cookies
    return response


def readable_body(response) -> str:
    """The response as text; a zip archive is opened and every file in it read."""
    data = response.get_data()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")

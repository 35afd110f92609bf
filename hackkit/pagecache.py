"""The public page cache: what visitors who are not signed in see, kept until it changes.

On an event day most requests come from people who are not signed in and ask for the same
few things: the event page, the gallery, a dataset page, the data API. Each worker keeps those
answers and serves them again without rendering or asking the database. API clients with a
token and every write always get a live answer; signed-in people's pages are shared per role
by hackkit/shared_pages.py, on the same versions.

When an answer goes stale. Every committed write that changes what visitors see raises a
version number in the database (table page_versions, in the same transaction as the write):
one per event ("event:<id>": the event, its teams, projects, challenges, prizes, judging...),
one per dataset ("dataset:<id>") and one for everything else ("global": people's public
names, new events and datasets, bulk changes). One home does it: `note_writes` and
`bump_versions`, hooked on every SQLAlchemy session, not calls scattered over the services.
A stored answer remembers the versions of the events and datasets the request loaded (a
`load` hook notes each one) and of "global"; it is served while they have not moved.

Within an event, each write also raises one narrower version: "team:<id>" for a team's own
rows (the team, its members, its project and all that hangs off it: outcomes, updates, awards,
scores) or "event-core:<id>" for the rest (the event itself, its challenges, prizes, judging
set-up). A page that shows one team and nothing of the others says so (`shows_one_team`) and
then depends on those two instead of the whole event: on an event day the project page of a
team that is not saving stays kept while sixty others save theirs. Each
worker re-reads the versions (one small query) at most every HACKKIT_PUBLIC_CACHE_SECONDS,
so a change made through any worker of any hub instance on the same database is on every
instance's public pages within that time, however long the answer was kept. Some pages change
with the clock alone (registration closes, a deadline passes): no answer is kept longer than
MAX_LIFETIME seconds (or HACKKIT_PUBLIC_CACHE_SECONDS if that is longer).

What may be served from the cache (checked in `anonymous_read`): a GET or HEAD from someone
with no account in the session, no remember-me cookie and no Authorization header, and
nothing of their own waiting in the session (a flashed message, say).
What may be stored (checked in `storable`): a 200 answer of such a request that sets no cookie
of its own, is not streamed, does not say no-store/private, flashed no message, and does not
contain a CSRF token, since a token belongs to one visitor's session and must never be handed
to another.
The key holds everything else such an answer depends on: host, path and query, language and
the Accept header (the catalogue is negotiated). Rate-limit headers belong to one client:
they are not stored, and the limiter writes them again on every answer.

Every such answer (cache on or off) carries an ETag made from its body; a visitor who sends it
back in If-None-Match gets a 304 without the body, which on a crowded venue network matters.

The same idea, at a larger scale, is Discourse's anonymous cache; a reverse proxy's
micro-cache does it too, but would need to know all of the rules above.
"""

from __future__ import annotations

import hashlib
import operator
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass

import sqlalchemy as sa
from cachetools import TTLCache
from flask import Flask, Response, current_app, g, has_request_context, message_flashed, request, session
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from hackkit import i18n

# Session keys an anonymous visitor may carry and still share pages with every other one:
# the language they chose (part of the key), a CSRF token from a form they opened (the
# cached pages contain none, see `storable`) and Flask-Login's "_fresh", which it leaves
# after the log-in page or a log-out and which says nothing without a "_user_id".
SHAREABLE_SESSION_KEYS = frozenset({"lang", "csrf_token", "_fresh"})
# A real database round trip on every call is the point of the health check.
NEVER_CACHED_PATHS = frozenset({"/healthz"})
# Per worker. A busy event's public pages and API answers take a few MB.
MAX_BYTES = 32 * 1024 * 1024
MAX_BYTES_PER_ANSWER = 1024 * 1024
# Pages that change with the clock alone (registration closes, a deadline passes) are not
# kept longer than this, whatever the versions say.
MAX_LIFETIME = 60.0
PER_CLIENT_HEADERS = frozenset(
    {"set-cookie", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "age"}
)
GLOBAL = "global"
API_CREDENTIAL_HEADERS = ("Authorization", "X-CKAN-API-Key")
# Rows no visitor's page shows: writing them leaves every cached page as it is.
PRIVATE_TABLES = frozenset(
    {"api_tokens", "outbox", "notification_settings", "webhooks", "page_versions", "judge_assignments"}
)
# Columns of a person that public pages show (names on teams and projects, skills of people
# looking for a team); a log-in, a new password or a confirmed e-mail changes none of them.
PUBLIC_USER_COLUMNS = ("display_name", "skills", "languages", "bio", "looking_for_team", "role")
# Where a row without an event_id or dataset_id belongs: (foreign key, model of that parent).
PARENTS = (("submission_id", "Submission"), ("team_id", "Team"), ("proposal_id", "Proposal"), ("prize_id", "Prize"))
# What ties a row to one team: changing one of them moves the row between teams.
TEAM_KEYS = ("team_id", "submission_id")
TEAM_RELATIONSHIPS = ("team", "submission")

clock = time.monotonic  # tests move it on instead of sleeping
# The scopes (event and dataset) of what the current anonymous request loaded, or None.
loaded_scopes: ContextVar[set[str] | None] = ContextVar("loaded_scopes", default=None)


@dataclass(frozen=True)
class CachedAnswer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    stored_at: float
    etag: str
    versions: tuple[tuple[str, int], ...]  # the scopes it depends on, with their versions then
    # A rate limit counted the request that made it: each answer must be counted again, which
    # only the limiter inside Flask does (hackkit/front_door.py leaves such answers to Flask).
    counted: bool = False


class PublicPageCache:
    """A thread-safe, size-bounded map from request key to answer; entries expire after `lifetime`."""

    def __init__(self, lifetime: float, max_bytes: int = MAX_BYTES):
        self._lock = threading.Lock()
        self._answers: TTLCache = TTLCache(
            maxsize=max_bytes, ttl=lifetime, timer=lambda: clock(), getsizeof=lambda answer: len(answer.body) + 512
        )

    def get(self, key) -> CachedAnswer | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key, answer: CachedAnswer) -> None:
        with self._lock:
            self._answers[key] = answer

    def drop(self, key) -> None:
        with self._lock:
            self._answers.pop(key, None)


class Versions:
    """This worker's copy of page_versions, read again when it is older than `seconds`."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._known: dict[str, int] = {}
        self._read_at: float | None = None
        self._lock = threading.Lock()

    def fresh(self) -> dict[str, int] | None:
        """The versions if this copy needs no new read (no database at hand: hackkit/front_door.py)."""
        read_at = self._read_at
        if read_at is None or clock() - read_at >= self.seconds:
            return None
        return self._known

    def current(self, session: Session) -> dict[str, int]:
        now = clock()
        if self._read_at is None or now - self._read_at >= self.seconds:
            with self._lock:
                if self._read_at is None or now - self._read_at >= self.seconds:
                    self._read(session, now)
        return self._known

    def at_least(self, session: Session, wanted: dict[str, int]) -> dict[str, int]:
        """The versions, read again now if this copy is behind `wanted` (a writer's own writes)."""
        known = self.current(session)
        if any(known.get(scope, 0) < version for scope, version in wanted.items()):
            with self._lock:
                self._read(session, clock())
                known = self._known
        return known

    def _read(self, session: Session, now: float) -> None:
        rows = session.execute(sa.text("SELECT scope, version FROM page_versions")).all()
        self._known = dict(rows)
        self._read_at = now


# Writes: one home for raising versions ---------------------------------------------------------


def _scopes_of(session: Session, obj, deleted: bool = False) -> set[str]:
    """What visitors' pages a written row belongs to: "event:<id>", "dataset:<id>" or GLOBAL."""
    from hackkit.models import Dataset, Event, User

    table = obj.__table__.name
    if table in PRIVATE_TABLES:
        return set()
    if isinstance(obj, Event | Dataset):
        kind = "event" if isinstance(obj, Event) else "dataset"
        state = sa.inspect(obj)
        if state.pending or deleted or obj.id is None:
            return {GLOBAL}  # lists of events and datasets change
        return {f"{kind}:{obj.id}", f"event-core:{obj.id}"} if kind == "event" else {f"dataset:{obj.id}"}
    if isinstance(obj, User):
        state = sa.inspect(obj)
        if deleted or any(state.attrs[name].history.has_changes() for name in PUBLIC_USER_COLUMNS):
            return set() if state.pending else {GLOBAL}
        return set()
    for column, kind in (("event_id", "event"), ("dataset_id", "dataset")):
        value = getattr(obj, column, None)
        if value is None and hasattr(obj, kind):
            parent = getattr(obj, kind)
            value = parent.id if parent is not None else None
        if value is not None:
            if kind == "dataset":
                return {f"dataset:{value}"}
            return {f"event:{value}", _part_of_event(session, obj, value)}
    from hackkit import models

    for column, model_name in PARENTS:
        value = getattr(obj, column, None)
        if value is not None:
            parent = session.get(getattr(models, model_name), value)
            if parent is not None:
                scopes = _scopes_of(session, parent)
                if _moved_between_teams(obj):  # the team it left changes too
                    scopes |= _whole_events(scopes)
                return scopes
    return {GLOBAL}


def _whole_events(scopes: set[str]) -> set[str]:
    """The event's own version of each event among `scopes`: every page of one of its teams
    depends on it, so raising it reaches the team a row left and the team it joined alike."""
    return {scope.replace("event:", "event-core:") for scope in scopes if scope.startswith("event:")}


def _moved_between_teams(obj) -> bool:
    """A stored row whose team or project changes (the old value may not have been read). By
    its key or by its relationship (`winner.submission = other`): the flush sets the key from
    the relationship only after before_flush has chosen the versions to raise."""
    state = sa.inspect(obj)
    return state.persistent and any(
        name in state.attrs and state.attrs[name].history.has_changes() for name in TEAM_KEYS + TEAM_RELATIONSHIPS
    )


def _update_may_move(mapper, statement) -> bool:
    """Whether an UPDATE statement may set a row's team or project. The row it names was read
    before the statement ran, so its old team is known and its new one is not."""
    if not any(name in mapper.columns for name in TEAM_KEYS):
        return False
    values = getattr(statement, "_values", None)  # SQLAlchemy's SET clause; absent: set from the parameters
    return values is None or any(getattr(column, "key", column) in TEAM_KEYS for column in values)


def _part_of_event(session: Session, obj, event_id: int) -> str:
    """The narrower version a row of an event raises: its team's, or the event's own. A row
    whose team is not known yet (a new team has no id before the flush) raises the event's own,
    which every page narrowed to one of its teams depends on too: never too little. So does a
    row moved from one team to another (a vote or a prize changing hands): both teams change."""
    from hackkit.models import Submission, Team

    if _moved_between_teams(obj):
        return f"event-core:{event_id}"

    if isinstance(obj, Team):
        team_id = obj.id
    else:  # by its key, or by its relationship before the flush has set the key
        team_id = getattr(obj, "team_id", None) or getattr(getattr(obj, "team", None), "id", None)
    if team_id is None and getattr(obj, "submission_id", None) is not None:
        submission = session.get(Submission, obj.submission_id)
        team_id = submission.team_id if submission is not None else None
    return f"team:{team_id}" if team_id is not None else f"event-core:{event_id}"


def shows_one_team(team) -> None:
    """The current page shows, of its event, the event's own settings and this team's rows,
    nothing of another team (no list, no count): a visitor's copy then depends on the team's
    and the event's own versions instead of the whole event's (see the module's docstring)."""
    if has_request_context():
        g.page_shows_team = (team.event_id, team.id)


def shows_every_event(session: Session) -> None:
    """The current page lists rows of any event, and a row it did not read may join the list
    (a dataset page: a project of another event that starts crediting the dataset). Its copy
    then depends on every event's version; a new event raises global. Only the rows read
    would leave such a change unseen until MAX_LIFETIME."""
    loaded = loaded_scopes.get()
    if loaded is None:  # not a page being kept: nothing to read
        return
    from hackkit.models import Event

    loaded.update(f"event:{event_id}" for event_id in session.scalars(sa.select(Event.id)))


def _narrowed(scopes: set[str]) -> set[str]:
    shown = g.get("page_shows_team")
    if shown is None or f"event:{shown[0]}" not in scopes:
        return scopes
    event_id, team_id = shown
    return (scopes - {f"event:{event_id}"}) | {f"event-core:{event_id}", f"team:{team_id}"}


def note_writes(session: Session, flush_context, instances) -> None:
    """before_flush: remember which scopes this transaction changes."""
    scopes = session.info.setdefault("page_scopes", set())
    with session.no_autoflush:
        for obj in session.new:
            scopes |= _scopes_of(session, obj)
        for obj in session.dirty:
            if session.is_modified(obj, include_collections=False):
                scopes |= _scopes_of(session, obj)
        for obj in session.deleted:
            scopes |= _scopes_of(session, obj, deleted=True)


def note_bulk_writes(execute_state) -> None:
    """do_orm_execute: an UPDATE or DELETE statement on models (not rows one by one). One
    that names its row by primary key (`WHERE teams.id = 5`) changes what that row belongs to;
    any other counts as a change to everything, unless no page shows its rows."""
    if not (execute_state.is_update or execute_state.is_delete):
        return
    mapper = execute_state.bind_mapper
    if mapper is not None and mapper.local_table.name in PRIVATE_TABLES:
        return
    session = execute_state.session
    scopes = session.info.setdefault("page_scopes", set())
    row = _row_named_by_key(session, mapper, execute_state.statement.whereclause)
    if row is None:
        scopes.add(GLOBAL)
        return
    found = _scopes_of(session, row)
    if execute_state.is_update and _update_may_move(mapper, execute_state.statement):
        found |= _whole_events(found)  # the team it joins changes too
    scopes |= found


def _row_named_by_key(session: Session, mapper, where):
    if mapper is None or where is None or len(mapper.primary_key) != 1:
        return None
    key = mapper.primary_key[0]
    for clause in (where, *getattr(where, "clauses", ())):  # `a = 1` or `a = 1 AND ...`
        left, right = getattr(clause, "left", None), getattr(clause, "right", None)
        if getattr(clause, "operator", None) is operator.eq and left is not None and left.compare(key):
            value = getattr(right, "effective_value", None)
            if value is not None:
                with session.no_autoflush:
                    return session.get(mapper.class_, value)
    return None


def bump_versions(session: Session) -> None:
    """before_commit: flush what is left, then raise the versions in the same transaction."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    scopes = sorted(session.info.pop("page_scopes", ()))  # one order for every writer: no deadlock
    if not scopes:
        return
    values = ", ".join(f"(:s{number}, 1)" for number in range(len(scopes)))
    rows = session.connection().execute(
        sa.text(
            f"INSERT INTO page_versions (scope, version) VALUES {values} "  # noqa: S608 (placeholders only)
            "ON CONFLICT (scope) DO UPDATE SET version = page_versions.version + 1 RETURNING scope, version"
        ),
        {f"s{number}": scope for number, scope in enumerate(scopes)},
    )
    session.info["written_versions"] = dict(rows.all())


def note_committed(session: Session) -> None:
    """after_commit: the versions this request's writes made, for the writer's own next pages
    (hackkit/shared_pages.py serves a signed-in writer nothing older than them)."""
    written = session.info.pop("written_versions", None)
    if written and has_request_context():
        mine = g.setdefault("written_versions", {})
        for scope, version in written.items():
            mine[scope] = max(version, mine.get(scope, 0))


def forget_writes(session: Session, *args) -> None:
    session.info.pop("page_scopes", None)
    session.info.pop("written_versions", None)


def note_load(obj, context) -> None:
    """load (every row read as a model): an anonymous page depends on the events and datasets it read."""
    loaded = loaded_scopes.get()
    if loaded is None:
        return
    table = obj.__table__.name
    if table == "events" or table == "datasets":
        loaded.add(f"{table[:-1]}:{obj.id}")
        return
    for column, kind in (("event_id", "event"), ("dataset_id", "dataset")):
        value = obj.__dict__.get(column)
        if value is not None:
            loaded.add(f"{kind}:{value}")


_hooked = False


def hook_sessions() -> None:
    """Once per process, on every session and model (the services and the CLI write through both)."""
    global _hooked  # noqa: PLW0603
    if _hooked:
        return
    from hackkit.models import Base

    sa_event.listen(Session, "before_flush", note_writes)
    sa_event.listen(Session, "do_orm_execute", note_bulk_writes)
    sa_event.listen(Session, "before_commit", bump_versions)
    sa_event.listen(Session, "after_commit", note_committed)
    sa_event.listen(Session, "after_rollback", forget_writes)
    sa_event.listen(Base, "load", note_load, propagate=True)
    _hooked = True


# Reads -----------------------------------------------------------------------------------------


def sends_api_credentials() -> bool:
    """Whether this request carries an API token (as our API or CKAN clients send it): such a
    call is a script's, answered live and stateless, whatever cookie rides along."""
    return any(header in request.headers for header in API_CREDENTIAL_HEADERS)


def anonymous_read() -> bool:
    """Whether this request is one whose answer is the same for every visitor not signed in."""
    if request.method not in ("GET", "HEAD") or request.path in NEVER_CACHED_PATHS:
        return False
    if sends_api_credentials():
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False  # Flask-Login would sign this visitor in from the cookie
    return set(session.keys()) <= SHAREABLE_SESSION_KEYS


def request_key() -> tuple:
    # The language the page would be in, without marking the answer as depending on it: an
    # answer that translates nothing (a stylesheet) keeps one copy for every language.
    return key_of(request.environ, *i18n.request_locale())


def key_of(environ: dict, locale: str, from_browser: bool) -> tuple:
    """What a kept answer depends on besides the versions, from the WSGI environ as Flask gets
    it (inside ProxyFix): the address asked for, the language of the page and where it came
    from, and the Accept header (the catalogue is negotiated). Where the language came from
    changes the answer's headers: one in the browser's language says Vary: Accept-Language,
    one in a language the visitor picked does not, and must not be handed to the other.
    Raw, so hackkit/front_door.py builds the same key without Flask; two spellings of one
    address are two keys, which costs a render, never a wrong page."""
    return (
        environ["wsgi.url_scheme"],
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        locale,
        from_browser,
        environ.get("HTTP_ACCEPT", ""),
    )


def still_valid(entry, known: dict[str, int]) -> bool:
    """Whether none of the versions a kept answer or shared page (`entry.versions`) depends on
    has moved since it was made."""
    return all(known.get(scope, 0) == version for scope, version in entry.versions)


def etag_of(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def not_modified(etag: str, headers) -> Response:
    response = Response(status=304, headers=[(k, v) for k, v in headers if k.lower() not in ("content-length",)])
    response.set_etag(etag)
    return response


def answer_from(entry: CachedAnswer) -> Response:
    if entry.etag in request.if_none_match:
        response = not_modified(entry.etag, entry.headers)
    else:
        response = Response(entry.body, status=entry.status, headers=list(entry.headers))
    response.headers["Age"] = str(int(clock() - entry.stored_at))
    return response


def storable(response: Response, body: bytes) -> bool:
    if response.status_code != 200 or "Set-Cookie" in response.headers:  # a cookie the view set
        return False
    if request.method != "GET":  # HEAD is answered from a GET's page, but its own render differs
        return False
    if response.cache_control.no_store or response.cache_control.private:
        return False
    if g.get("page_cache_flashed") or len(body) > MAX_BYTES_PER_ANSWER:
        return False  # a message for this visitor, even if the page showed it at once
    # Building a form puts a CSRF token in the session (then sent as this visitor's cookie, not
    # stored); the answer may be shared only if the token is not in it.
    token = g.get("csrf_token")
    if token and token.encode() in body:
        return False
    # Still someone nobody can tell apart from other visitors (the view did not sign them in).
    return set(session.keys()) <= SHAREABLE_SESSION_KEYS and request_key() == g.page_cache_key


def init_app(app: Flask) -> None:
    """Call last in create_app: the lookup then runs after the rate limiter's check, and the
    store (put first among the after-request hooks, which run in reverse) sees the final answer."""
    from hackkit.extensions import db, limiter

    hook_sessions()  # versions are kept whether or not this hub caches: other instances may
    seconds = app.config["HACKKIT_PUBLIC_CACHE_SECONDS"]
    cache = PublicPageCache(max(seconds, MAX_LIFETIME)) if seconds > 0 else None
    versions = Versions(seconds)
    app.extensions["hackkit_page_versions"] = versions  # shared with hackkit/shared_pages.py
    app.extensions["hackkit_page_cache"] = cache  # and with hackkit/front_door.py

    def serve_from_cache():
        if not anonymous_read():
            return None
        g.page_cache_key = request_key()
        if cache is None:
            return None
        known = versions.current(db.session)
        entry = cache.get(g.page_cache_key)
        if entry is not None and still_valid(entry, known):
            g.page_cache_hit = True
            return answer_from(entry)
        g.page_cache_versions = known
        loaded_scopes.set(set())
        return None

    def store(response: Response) -> Response:
        key = g.get("page_cache_key")
        if key is None or g.get("page_cache_hit") or response.is_streamed or response.direct_passthrough:
            return response
        body = response.get_data()
        if not storable(response, body):
            return response
        etag = etag_of(body)
        response.set_etag(etag)
        known = g.get("page_cache_versions")
        if known is not None:
            # The versions as they were before the view read anything: a write that landed
            # in between makes this answer stale at the next look, never kept too long.
            scopes = _narrowed({GLOBAL} | (loaded_scopes.get() or set()))
            depends = tuple(sorted((scope, known.get(scope, 0)) for scope in scopes))
            headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in PER_CLIENT_HEADERS)
            counted = bool(limiter.current_limits)
            cache.put(key, CachedAnswer(response.status_code, headers, body, clock(), etag, depends, counted))
        if etag in request.if_none_match:
            return not_modified(etag, response.headers.items())
        return response

    def stop_noting(exc=None):
        loaded_scopes.set(None)

    def note_flash(sender, message, category, **extra):
        g.page_cache_flashed = True

    app.before_request(serve_from_cache)
    app.teardown_request(stop_noting)
    message_flashed.connect(note_flash, app, weak=False)  # a local function: keep it alive
    app.after_request_funcs.setdefault(None, []).insert(0, store)

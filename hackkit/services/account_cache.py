"""Who is signed in, without a database round trip on every request.

Every request of a signed-in person first asks who they are: the account named in the log-in
cookie (checked against its session token), or the API token in the Authorization header with
its owner. On an event day that was one statement, with its BEGIN and ROLLBACK, on nearly every
request of a participant, and for a page kept per role (hackkit/shared_pages.py) the only one.
Each worker now keeps what it read for at most HACKKIT_PUBLIC_CACHE_SECONDS, the time the hub
already allows any change to take to reach every page, and puts a copy into the request's
session without SQL (`Session.merge(load=False)`, the ORM's way to bring objects from a cache).

What that means:
- Someone else's change to an account reaches every worker and instance within that time: a
  log-out everywhere, a new password, a revoked token, a role an organizer changed. The worker
  that committed the change forgets its copies of that account at once.
- A person's own change to their account shows at once, on every worker: the request that
  commits it puts a new mark in their session, and the mark is part of the key.
- A token's last use is still written at most once a minute (tokens.user_for_token): a copy
  whose last use is older than that is not used.
- Nothing is kept when the setting is 0 (the tests' default) or outside a request.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from dataclasses import dataclass

from flask import current_app, has_app_context, has_request_context
from flask import session as cookie_session
from sqlalchemy import event as sa_event
from sqlalchemy import orm
from sqlalchemy.orm import Session

from hackkit import pagecache
from hackkit.models import ApiToken, User

clock = time.monotonic  # tests move it on instead of sleeping
# In the signed-in person's session: changes when a request of theirs changes their account.
ACCOUNT_MARK = "_account_mark"
MAX_KEPT = 10_000  # accounts and tokens per worker; past that it starts again (a few MB at most)
_EXTENSION = "hackkit_account_cache"


@dataclass(frozen=True)
class _Kept:
    copies: tuple  # detached copies of the rows, never attached to a session themselves
    user_id: int
    stored_at: float


class AccountCache:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._kept: dict[tuple, _Kept] = {}
        self._lock = threading.Lock()
        # Counts the forgetting: a copy read before a change this worker committed must not
        # be stored after it (`put` is given the count from before its read).
        self.generation = 0

    def get(self, session: Session, key: tuple) -> tuple | None:
        """The kept rows for `key`, as objects of `session` (no SQL), or None."""
        kept = self._kept.get(key)
        if kept is None or clock() - kept.stored_at >= self.seconds:
            return None
        return tuple(_attached(session, detached) for detached in kept.copies)

    def put(self, key: tuple, rows: tuple, user_id: int, generation: int) -> None:
        """Keep `rows`, read from the database when `self.generation` was `generation`; if
        this worker has forgotten anything since, they may be from before that change."""
        copies = tuple(_detached_copy(row) for row in rows)
        with self._lock:
            if generation != self.generation:
                return
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            self._kept[key] = _Kept(copies, user_id, clock())

    def forget(self, user_ids: set[int] | None) -> None:
        """Drop the copies of these accounts (and of their tokens); None: of every account."""
        with self._lock:
            self.generation += 1
            if user_ids is None:
                self._kept.clear()
            else:
                self._kept = {key: kept for key, kept in self._kept.items() if kept.user_id not in user_ids}


def current() -> AccountCache | None:
    """This app's cache, or None when nothing may be kept (setting 0, no request)."""
    if not has_request_context():
        return None
    return current_app.extensions.get(_EXTENSION)


def forget_everything() -> None:
    """After a request found a kept account gone from the database (hackkit/errors.py)."""
    cache = current()
    if cache is not None:
        cache.forget(None)


def session_key(cookie_id: str) -> tuple:
    return ("session", cookie_id, cookie_session.get(ACCOUNT_MARK))


def token_key(token_hash: str) -> tuple:
    return ("token", token_hash)


def _column_keys(mapper) -> list[str]:
    return [attribute.key for attribute in mapper.column_attrs]


def _detached_copy(row):
    """A detached object holding the loaded columns of `row` (not its relationships)."""
    mapper = orm.object_mapper(row)
    twin = mapper.class_manager.new_instance()
    loaded = row.__dict__
    for key in _column_keys(mapper):
        if key in loaded:
            twin.__dict__[key] = copy.deepcopy(loaded[key])
    orm.make_transient_to_detached(twin)
    return twin


def _attached(session: Session, detached):
    """`detached`'s row in `session`: the object already there, or a copy merged in without SQL.
    Lists and dicts (JSON columns) are copied, so a request that changes one in place changes
    its own object, never the kept one another thread reads."""
    mapper = orm.object_mapper(detached)
    identity = mapper.identity_key_from_instance(detached)
    present = session.identity_map.get(identity)
    if present is not None:
        return present
    row = session.merge(detached, load=False)
    for key in _column_keys(mapper):
        value = row.__dict__.get(key)
        if isinstance(value, list | dict):
            orm.attributes.set_committed_value(row, key, copy.deepcopy(value))
    return row


# Forgetting: hooked on every session, like hackkit/pagecache.py's versions ---------------------


def _note_writes(session: Session, flush_context, instances) -> None:
    """before_flush: the accounts whose rows (`accounts_written`) or whose tokens
    (`tokens_written`, by owner) this transaction changes."""
    accounts = session.info.setdefault("accounts_written", set())
    owners = session.info.setdefault("tokens_written", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, User) and obj.id is not None:
            accounts.add(obj.id)
        elif isinstance(obj, ApiToken) and obj.user_id is not None:
            owners.add(obj.user_id)


def _note_bulk_writes(execute_state) -> None:
    """do_orm_execute: an UPDATE or DELETE statement on accounts or tokens (a password reset,
    revoking every token of an account): which rows it reaches is not known here, so all."""
    if not (execute_state.is_update or execute_state.is_delete):
        return
    mapper = execute_state.bind_mapper
    if mapper is not None and mapper.class_ in (User, ApiToken):
        execute_state.session.info["accounts_written_all"] = True


def _forget_committed(session: Session) -> None:
    """after_commit: this worker forgets the changed accounts; the signed-in person whose own
    account changed gets a new mark, so no worker serves them the copy from before."""
    accounts = session.info.pop("accounts_written", set())
    owners = session.info.pop("tokens_written", set())
    everything = session.info.pop("accounts_written_all", False)
    if not (accounts or owners or everything) or not has_app_context():
        return
    cache = current_app.extensions.get(_EXTENSION)
    if cache is not None:
        cache.forget(None if everything else accounts | owners)
    # The mark is for the account row, which the session's user is; a call with an API token
    # is a script's and leaves the browser's session alone (hackkit/shared_pages.py).
    if has_request_context() and not pagecache.sends_api_credentials():
        signed_in, _, _token = str(cookie_session.get("_user_id", "")).partition(":")
        if signed_in.isdigit() and (everything or int(signed_in) in accounts):
            cookie_session[ACCOUNT_MARK] = secrets.token_hex(4)


def _forget_rolled_back(session: Session, *args) -> None:
    session.info.pop("accounts_written", None)
    session.info.pop("tokens_written", None)
    session.info.pop("accounts_written_all", None)


_hooked = False


def init_app(app) -> None:
    global _hooked  # noqa: PLW0603
    if not _hooked:  # once per process, on every session
        sa_event.listen(Session, "before_flush", _note_writes)
        sa_event.listen(Session, "do_orm_execute", _note_bulk_writes)
        sa_event.listen(Session, "after_commit", _forget_committed)
        sa_event.listen(Session, "after_rollback", _forget_rolled_back)
        _hooked = True
    seconds = app.config["HACKKIT_PUBLIC_CACHE_SECONDS"]
    app.extensions[_EXTENSION] = AccountCache(seconds) if seconds > 0 else None

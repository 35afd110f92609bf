"""A request that only read ends its transaction with COMMIT instead of ROLLBACK.

Why: psycopg forgets every prepared statement of a connection when a transaction on it rolls
back (the rollback may have undone a table a statement named), and Flask-SQLAlchemy ends each
request by closing its session, which rolls back. So no statement lived long enough to be
prepared (psycopg prepares one the fifth time a connection sends it): PostgreSQL parsed and
planned every statement of every page afresh, half of its CPU on the event-day mix. After a
transaction that only read, COMMIT and ROLLBACK leave the database the same; COMMIT keeps the
prepared statements.

"Only read" is decided on what was sent, conservatively: any statement that is not a SELECT,
a SHOW or a SET LOCAL (which ends with the transaction either way; a plain SET would outlive a
COMMIT) marks the connection's transaction as a writer's. A writer's transaction, a session
holding changes it has not sent, and a request that ended in an error all roll back as before:
nothing a request did not commit itself is ever committed for it.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy import event as sa_event

from hackkit.extensions import db

log = logging.getLogger(__name__)

READS = ("SELECT", "SHOW", "SET LOCAL ")
WROTE = "hackkit_transaction_wrote"  # in Connection.info, which lives as long as the DBAPI connection


def note_statement(conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
    """before_cursor_execute: remember that this transaction sent something other than a read."""
    if not statement.lstrip()[:10].upper().startswith(READS):
        conn.info[WROTE] = True


def forget_statements(conn) -> None:
    """begin: a new transaction has sent nothing yet."""
    conn.info.pop(WROTE, None)


def only_read(session) -> bool:
    """Whether committing `session` now would change nothing in the database."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    # The hub's sessions have one database; a transaction that has not used it yet gets a
    # connection here whose COMMIT psycopg does not even send (nothing began on it).
    return not session.connection().info.get(WROTE)


def end_request(exc: BaseException | None) -> None:
    """teardown_appcontext, before Flask-SQLAlchemy's (which closes the session, rolling back)."""
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    if not only_read(session):
        return
    # Nothing is expired: the session closes next, and what it read stays readable for an
    # answer still being streamed (a CSV of rows reads its dataset version as it goes).
    session.expire_on_commit = False
    try:
        session.commit()
    except Exception:  # a server gone away, say: the session's close then rolls back as before
        log.warning("ending a read-only transaction with COMMIT failed", exc_info=True)


_hooked = False


def init_app(app) -> None:
    """After db.init_app: teardown functions run in the reverse order of their registration."""
    global _hooked  # noqa: PLW0603
    if not _hooked:  # once per process, on every engine
        sa_event.listen(sa.Engine, "before_cursor_execute", note_statement)
        sa_event.listen(sa.Engine, "begin", forget_statements)
        _hooked = True
    app.teardown_appcontext(end_request)

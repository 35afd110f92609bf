"""A request that only read ends its transaction with COMMIT instead of ROLLBACK.

Why: psycopg forgets every prepared statement of a connection when a transaction on it rolls
back (the rollback may have undone a table a statement named), and Flask-SQLAlchemy ends each
request by closing its session, which rolls back. So no statement lived long enough to be
prepared (psycopg prepares one the sixth time a connection sends it): PostgreSQL parsed and
planned every statement of every page afresh, half of its CPU on the event-day mix. After a
transaction that only read, COMMIT and ROLLBACK leave the database the same; COMMIT keeps the
prepared statements.

"Only read" is decided on what was sent, conservatively: a statement that does not start with
SELECT, SHOW or SET LOCAL (which ends with the transaction either way; a plain SET would
outlive a COMMIT), or that holds a ";" or an INTO, marks the connection's transaction as a
writer's. A writer's transaction, a session holding changes it has not sent, and a request
that ended in an error all roll back as before. What the check cannot see is a SELECT of a
function with lasting effects (set_config(..., false), pg_notify): the hub sends none, and
a new one must not be sent through a request's session without a write beside it.
"""

from __future__ import annotations

import functools
import logging
import re

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from hackkit.extensions import db

log = logging.getLogger(__name__)

READS = ("SELECT", "SHOW", "SET LOCAL ")
WROTE = "hackkit_transaction_wrote"  # in Connection.info, which lives as long as the DBAPI connection
CONNECTION = "hackkit_transaction_connection"  # in Session.info: the connection its transaction uses
# SELECT ... INTO makes a table; a ";" may hide a second statement after the first.
HIDDEN_WRITE = re.compile(r";|\bINTO\b", re.IGNORECASE)
# Whether each statement text is a write, kept: SQLAlchemy sends the same few hundred texts
# again and again (its compiled cache hands out the same string), and searching each one for
# INTO cost 2% of a worker's time under load. Long texts are not kept (an IN list of a thousand
# values is a new text each time, whose hash costs as much as the search, and two thousand of
# them would hold megabytes).
_LONGEST_KEPT = 4000


def is_write(statement: str) -> bool:
    """Whether `statement` may change the database (or outlive the transaction), by its text."""
    if len(statement) > _LONGEST_KEPT:
        return _looks_like_a_write(statement)
    return _kept_answer(statement)


def _looks_like_a_write(statement: str) -> bool:
    return not statement.lstrip()[:10].upper().startswith(READS) or bool(HIDDEN_WRITE.search(statement))


_kept_answer = functools.lru_cache(maxsize=2000)(_looks_like_a_write)


def note_statement(conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
    """before_cursor_execute: remember that this transaction sent something other than a read."""
    if is_write(statement):
        conn.info[WROTE] = True


def forget_statements(conn) -> None:
    """begin: a new transaction has sent nothing yet."""
    conn.info.pop(WROTE, None)


def note_connection(session, _transaction, connection) -> None:
    """after_begin: the connection the session's transaction took (it has none until it asks)."""
    session.info[CONNECTION] = connection


def only_read(session) -> bool:
    """Whether committing `session` now would change nothing in the database. Never asks for a
    connection: a transaction that has not used the database has nothing to end."""
    connection = session.info.get(CONNECTION)
    if connection is None or connection.closed or not connection.in_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    return not connection.info.get(WROTE)


def end_request(exc: BaseException | None) -> None:
    """teardown_appcontext, before Flask-SQLAlchemy's (which closes the session, rolling back).
    Nothing here may fail the request: whatever goes wrong, that close still rolls back."""
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    try:
        if not only_read(session):
            return
        # Nothing is expired: the session closes next, and what it read stays readable for an
        # answer still being streamed (a CSV of rows reads its dataset version as it goes).
        session.expire_on_commit = False
        session.commit()
    except Exception:  # a server gone away, a failed flush left unhandled: the close rolls back
        log.warning("ending a read-only transaction with COMMIT failed", exc_info=True)


_hooked = False


def init_app(app) -> None:
    """After db.init_app: teardown functions run in the reverse order of their registration."""
    global _hooked  # noqa: PLW0603
    if not _hooked:  # once per process, on every engine and session
        sa_event.listen(sa.Engine, "before_cursor_execute", note_statement)
        sa_event.listen(sa.Engine, "begin", forget_statements)
        sa_event.listen(Session, "after_begin", note_connection)
        _hooked = True
    app.teardown_appcontext(end_request)

"""Serving a file of the file store (services.file_store) over HTTP: streamed one chunk at a
time from the database (on a connection of its own, so no request context is held while the
client reads), with its length and an ETag (stored files never change)."""

from __future__ import annotations

import hashlib
import mimetypes
import unicodedata
from urllib.parse import quote

from flask import Response, request

from hackkit.extensions import db
from hackkit.models.stored_file import StoredFile
from hackkit.services import file_store


def send_stored(
    stored: StoredFile, *, mimetype: str | None = None, download_name: str | None = None, max_age: int | None = None
) -> Response:
    """The file as a response; `download_name` makes it an attachment under that name,
    `max_age` lets caches keep it that many seconds."""
    if mimetype is None:
        mimetype = mimetypes.guess_type(download_name or stored.name)[0] or "application/octet-stream"
    response = Response(file_store.stream(db.engine, stored), mimetype=mimetype, direct_passthrough=True)
    response.content_length = stored.size
    response.set_etag(hashlib.sha256(stored.name.encode()).hexdigest()[:32])
    if download_name is not None:
        _attachment(response, download_name)
    if max_age:
        response.cache_control.public = True
        response.cache_control.max_age = max_age
    response = response.make_conditional(request)
    # make_conditional stamps a Date of its own, and every server (gunicorn, werkzeug) writes
    # one too: two Date headers break strict proxies and caches, so leave it to the server.
    del response.headers["Date"]
    return response


def _attachment(response: Response, name: str) -> None:
    """Content-Disposition as Flask's send_file writes it (an ASCII name and an RFC 5987 one)."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        quoted = quote(name, safe="!#$&+^`|~")
        response.headers.set("Content-Disposition", "attachment", filename=simple, **{"filename*": f"UTF-8''{quoted}"})
    else:
        response.headers.set("Content-Disposition", "attachment", filename=name)

"""The hub's own CSS and JS, fetched once per release instead of once per page.

On a venue's crowded Wi-Fi every round trip counts. Each `url_for('static', ...)` gets the
file's content hash as `?v=...`; an answer to such a URL may be kept by the browser for a year
(`immutable`: not even revalidated), because a changed file gets a new URL. A URL without the
current hash (an old page, a typed address) gets Flask's ordinary answer.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def _hash_of(path: Path, modified_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def content_hash(filename: str) -> str | None:
    """Short hash of a static file's content; None if there is no such file (it will 404).
    Keyed by modification time too, so an edited file gets a new hash without a restart."""
    path = Path(current_app.static_folder) / filename
    try:
        stat = path.stat()
    except OSError:
        return None
    return _hash_of(path, stat.st_mtime_ns, stat.st_size) if path.is_file() else None


def init_app(app: Flask) -> None:
    @app.url_defaults
    def add_content_hash(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = content_hash(values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_hashed_files(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == content_hash(filename):
                response.cache_control.public = True
                response.cache_control.max_age = ONE_YEAR
                response.cache_control.immutable = True
        return response

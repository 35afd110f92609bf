"""CORS for the public read endpoints, so a web page on any site can fetch the open data.

Only reads (GET/HEAD, and the preflight asking for them) get `Access-Control-Allow-Origin: *`,
and never `Allow-Credentials`: a browser then sends no cookies, so another site can read what
an anonymous visitor (or a script holding its own token) may read, and nothing more. Writes get
no CORS headers at all, so a cross-site write is blocked by the browser before it is sent.

Routes are matched by URL pattern rather than by blueprint so that endpoints added later
(the CKAN-compatible API, the DCAT catalogue, datapackage.json) are covered as they appear.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

PUBLIC_READ_PATHS = re.compile(
    r"""^(?:
        /api/v1/.*                          # the native JSON API (its reads)
      | /api/(?:3/)?action/[^/]+            # the CKAN-compatible action API
      | /datastore/dump/[^/]+               # CKAN's datastore dump
      | /catalog(?:\.[a-z]+)?               # DCAT-AP catalogue (.jsonld, .ttl, ...; negotiated)
      | /datasets/[^/]+/datapackage\.json   # Frictionless Data Package per dataset
    )$""",
    re.VERBOSE,
)
READ_METHODS = ("GET", "HEAD")
# Headers a script needs to page through results and to back off politely.
EXPOSED = "Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Content-Disposition"
PREFLIGHT_MAX_AGE = "86400"


def is_public_read_path(path: str) -> bool:
    return PUBLIC_READ_PATHS.match(path) is not None


def add_cors_headers(response: Response) -> Response:
    if not is_public_read_path(request.path):
        return response
    if request.method in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
    elif request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method", "") in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        # A page may send its own bearer token; cookies are never allowed (no Allow-Credentials).
        response.headers["Access-Control-Allow-Headers"] = "Authorization"
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_cors_headers)

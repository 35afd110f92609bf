"""The page cache's front door: a kept answer handed to a visitor before Flask sees the request.

Most requests of an event day come from visitors who are not signed in, and most of those are
answered from the public page cache (hackkit/pagecache.py). Flask still built a request for
each, opened its session and ran every before- and after-request hook, only to hand out bytes
it already had: that was most of the CPU such an answer cost. This WSGI middleware sits between
ProxyFix and Flask (so it sees the addresses and scheme Flask sees) and answers those requests
from the same cache, with the headers Flask would have sent; anything else goes to Flask as it
came.

It answers only when all of these hold; otherwise Flask does, with all of pagecache's rules:
- a GET, not conditional (a 304 for If-None-Match is Flask's: it has the rules for it);
- no API credentials, no session cookie and no remember-me cookie. Nobody Flask could sign in,
  no flashed message waiting, no language picked in a session: the page's language then
  follows Accept-Language alone (i18n.browser_locale, the rule select_locale applies too);
- this worker's copy of the versions needs no new read (reading is Flask's, once per
  HACKKIT_PUBLIC_CACHE_SECONDS);
- the kept answer is still valid and no rate limit counted the request that made it: such an
  answer must be counted again on every request, and only the limiter inside Flask counts.
"""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask
from werkzeug.http import parse_cookie

from hackkit import i18n, pagecache

CREDENTIAL_KEYS = tuple("HTTP_" + header.upper().replace("-", "_") for header in pagecache.API_CREDENTIAL_HEADERS)


class FrontDoor:
    def __init__(self, app: Flask, wsgi_app) -> None:
        self.wsgi_app = wsgi_app
        self.cache: pagecache.PublicPageCache = app.extensions["hackkit_page_cache"]
        self.versions: pagecache.Versions = app.extensions["hackkit_page_versions"]
        self.private_cookies = frozenset(
            {app.config["SESSION_COOKIE_NAME"], app.config.get("REMEMBER_COOKIE_NAME", "remember_token")}
        )

    def __call__(self, environ, start_response):
        entry = self.kept_answer(environ)
        if entry is None:
            return self.wsgi_app(environ, start_response)
        age = str(int(pagecache.clock() - entry.stored_at))
        start_response(f"{entry.status} {HTTPStatus(entry.status).phrase}", answer_headers(entry.headers, age))
        return [entry.body]

    def kept_answer(self, environ) -> pagecache.CachedAnswer | None:
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_IF_NONE_MATCH" in environ:
            return None
        if any(key in environ for key in CREDENTIAL_KEYS) or self.has_private_cookie(environ):
            return None
        known = self.versions.fresh()
        if known is None:
            return None
        # No session cookie: the language can only be the browser's.
        locale = i18n.browser_locale(environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        entry = self.cache.get(pagecache.key_of(environ, locale, True))
        if entry is None or entry.counted or not pagecache.still_valid(entry, known):
            return None
        return entry

    def has_private_cookie(self, environ) -> bool:
        header = environ.get("HTTP_COOKIE")
        # Parsed as Flask parses it: the same header names the same cookies on both sides.
        return bool(header) and not self.private_cookies.isdisjoint(parse_cookie(header))


def answer_headers(stored: tuple[tuple[str, str], ...], age: str) -> list[tuple[str, str]]:
    """The kept headers as Flask sends them on a hit: with the answer's Age, and with Cookie
    in Vary, which Flask's session adds after the page cache has kept the headers (whether the
    session is used is what decides between visitors and signed-in people)."""
    headers = [(name, value) for name, value in stored if name.lower() != "vary"]
    varies = [value for name, value in stored if name.lower() == "vary"]
    headers.append(("Age", age))
    fields = [field.strip() for value in varies for field in value.split(",") if field.strip()]
    if "cookie" not in (field.lower() for field in fields):
        fields.append("Cookie")
    headers.append(("Vary", ", ".join(fields)))
    return headers


def init_app(app: Flask) -> None:
    """Call after pagecache.init_app and before ProxyFix wraps the app (it must see what Flask sees)."""
    if app.extensions.get("hackkit_page_cache") is not None:
        app.wsgi_app = FrontDoor(app, app.wsgi_app)

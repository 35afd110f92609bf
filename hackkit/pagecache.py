"""The public page cache: what visitors who are not signed in see, kept for a few seconds.

On an event day most requests come from people who are not signed in and ask for the same
few things: the event page, the gallery, a dataset page, the data API. Each worker keeps those
answers for HACKKIT_PUBLIC_CACHE_SECONDS (default 2) and serves them again without rendering
or asking the database, so such a visitor sees a page at most that old. Signed-in people, API
clients with a token and every write always get a live answer.

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

The same idea, at a larger scale, is Discourse's anonymous cache; a reverse proxy's
micro-cache does it too, but would need to know all of the rules above.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from cachetools import TTLCache
from flask import Flask, Response, current_app, g, message_flashed, request, session

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
PER_CLIENT_HEADERS = frozenset(
    {"set-cookie", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "age"}
)


@dataclass(frozen=True)
class CachedAnswer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    stored_at: float


class PublicPageCache:
    """A thread-safe, size-bounded map from request key to answer; entries expire after `seconds`."""

    def __init__(self, seconds: float, max_bytes: int = MAX_BYTES):
        self._lock = threading.Lock()
        self._answers: TTLCache = TTLCache(
            maxsize=max_bytes, ttl=seconds, timer=time.monotonic, getsizeof=lambda answer: len(answer.body) + 512
        )

    def get(self, key) -> CachedAnswer | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key, answer: CachedAnswer) -> None:
        with self._lock:
            self._answers[key] = answer


def anonymous_read() -> bool:
    """Whether this request is one whose answer is the same for every visitor not signed in."""
    if request.method not in ("GET", "HEAD") or request.path in NEVER_CACHED_PATHS:
        return False
    if "Authorization" in request.headers or "X-CKAN-API-Key" in request.headers:
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False  # Flask-Login would sign this visitor in from the cookie
    return set(session.keys()) <= SHAREABLE_SESSION_KEYS


def request_key() -> tuple:
    return (
        request.host_url,
        request.path,
        request.query_string,
        i18n.select_locale(),
        request.headers.get("Accept", ""),
    )


def answer_from(entry: CachedAnswer) -> Response:
    response = Response(entry.body, status=entry.status, headers=list(entry.headers))
    response.headers["Age"] = str(int(time.monotonic() - entry.stored_at))
    return response


def storable(response: Response, body: bytes) -> bool:
    if response.status_code != 200 or "Set-Cookie" in response.headers:  # a cookie the view set
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
    seconds = app.config["HACKKIT_PUBLIC_CACHE_SECONDS"]
    if seconds <= 0:
        return
    cache = PublicPageCache(seconds)

    def serve_from_cache():
        if not anonymous_read():
            return None
        g.page_cache_key = request_key()
        entry = cache.get(g.page_cache_key)
        if entry is None:
            return None
        g.page_cache_hit = True
        return answer_from(entry)

    def store(response: Response) -> Response:
        key = g.get("page_cache_key")
        if key is None or g.get("page_cache_hit") or response.is_streamed or response.direct_passthrough:
            return response
        body = response.get_data()
        if storable(response, body):
            headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in PER_CLIENT_HEADERS)
            cache.put(key, CachedAnswer(response.status_code, headers, body, time.monotonic()))
        return response

    def note_flash(sender, message, category, **extra):
        g.page_cache_flashed = True

    app.before_request(serve_from_cache)
    message_flashed.connect(note_flash, app, weak=False)  # a local function: keep it alive
    app.after_request_funcs.setdefault(None, []).insert(0, store)

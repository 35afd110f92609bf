"""Pages of signed-in people, rendered once per version and role; their personal parts per request.

The public page cache (hackkit/pagecache.py) serves visitors who are not signed in. A signed-in
participant's event page or gallery is the same page plus a few personal parts: the menu for
their role, CSRF tokens in forms, "your team", the register button, their team's deadline.
A view decorated with `@shared_for_signed_in` renders the page once for everyone of the same
role, language and address, and keeps it while the versions of what it shows have not moved
(the same page_versions the public cache uses); each request then only fills in its personal
parts.

How a page keeps the personal parts out of the shared render:
- The render runs with `current_user` replaced by a `SharedViewer`: signed in, with the
  viewer's role, and nothing else. A template or service that asks it for anything personal
  (id, name, e-mail, locale...) gets `PersonalData` raised instead of someone's data; in
  production the page is then rendered live (and a warning logged), in tests the test fails.
- A personal part is written in the template as `{{ personal("events/_personal.html", "actions",
  slug=event.slug, ...) }}`: a macro of a small template, called with plain values (kept with
  the page) and with `viewer`, the real current_user, at every request. In a live render
  (visitors, the cache off) it is simply rendered in place.
- The shared render's CSRF token is a placeholder (the form code's per-request token is set to
  it beforehand), and the requester's own token is put in on the way out. Not a search and
  replace of a real token afterwards: user-written text on the page could hold one.
- A request with flashed messages waiting is rendered live (the messages are that person's).

Freshness. The page is served while the versions of the events and datasets it read (and
"global") are those this worker knows, re-read at most every HACKKIT_PUBLIC_CACHE_SECONDS as
for visitors: someone else's change shows within that time. A person's own changes show at
once: the versions their writes made are kept in their session, and a worker that knows older
ones reads them again before answering (read-your-writes, across workers and hub instances).
No page is kept longer than pagecache.MAX_LIFETIME, or HACKKIT_PUBLIC_CACHE_SECONDS if that is longer
(pages that change with the clock alone).
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from hackkit import pagecache
from hackkit.models.user import User

log = logging.getLogger(__name__)
# The session key holding the versions a person's own writes made (scope -> version).
WRITTEN = "_written_versions"
MAX_WRITTEN = 16  # scopes remembered per person, the most recently written
_NONCE = secrets.token_hex(8)  # per process: no user-written text can carry a marker
CSRF_MARK = f"\x00{_NONCE}:csrf\x00"
SLOT = re.compile(f"\x00{_NONCE}:(\\d+|csrf)\x00")
PLAIN = (str, int, float, bool, type(None), datetime, date)


class PersonalData(Exception):  # noqa: N818 (what it is, not an error code)
    """A shared render asked for something that belongs to one person. Not an AttributeError on
    purpose: `getattr(actor, "id", None)` and Jinja's undefined would swallow that one."""


class SharedViewer:
    """Who a shared render is for: someone signed in with this role, and nobody in particular."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_organizer = User.is_organizer  # the one rule of what an organizer is

    def __init__(self, role: str):
        self.role = role

    def __getattr__(self, name: str):
        if name.startswith("__"):  # Python's own protocols (copy, __html__): not there
            raise AttributeError(name)
        raise PersonalData(f"a page shared by everyone with the role {self.role!r} asked for {name!r}")


@dataclass(frozen=True)
class SharedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    parts: tuple[str | int | None, ...]  # text, a slot's number, None for the CSRF token
    slots: tuple[tuple[str, str, tuple[tuple[str, object], ...]], ...]  # (template, macro, arguments)
    versions: tuple[tuple[str, int], ...]
    body: str  # for the cache's size bound


class SharedPageStore(pagecache.PublicPageCache):
    """The kept pages of one worker (size-bounded, each for at most its lifetime)."""

    served = 0  # answers made from a kept page: the tests check that they test something


class _Render:
    """The slots met while rendering a shared page."""

    def __init__(self):
        self.slots: list[tuple[str, str, tuple[tuple[str, object], ...]]] = []


def personal(template: str, macro: str, **arguments) -> Markup:
    """A personal part of a page (a template global): a marker in a shared render, else the part."""
    render = g.get("shared_render")
    if render is None:
        return _render_slot(template, macro, arguments)
    for name, value in arguments.items():
        if not isinstance(value, PLAIN):  # kept with the page: no database object, nothing mutable
            raise TypeError(f"personal({template!r}, {macro!r}): {name} must be a plain value, not {type(value)}")
    render.slots.append((template, macro, tuple(arguments.items())))
    return Markup(f"\x00{_NONCE}:{len(render.slots) - 1}\x00")  # noqa: S704 (our own marker)


def _render_slot(template: str, macro: str, arguments) -> Markup:
    modules = g.setdefault("personal_modules", {})
    module = modules.get(template)
    if module is None:  # the template's macros, with what render_template gives every template
        context: dict = {}
        current_app.update_template_context(context)
        module = modules[template] = current_app.jinja_env.get_template(template).make_module(context)
    return Markup(getattr(module, macro)(viewer=current_user, **dict(arguments)))  # noqa: S704 (a rendered macro)


def _eligible() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and current_user.is_authenticated
        and "_flashes" not in session
        and not pagecache.sends_api_credentials()
    )


def _split(body: str) -> tuple[str | int | None, ...]:
    parts: list[str | int | None] = []
    at = 0
    for found in SLOT.finditer(body):
        parts.append(body[at : found.start()])
        parts.append(None if found.group(1) == "csrf" else int(found.group(1)))
        at = found.end()
    parts.append(body[at:])
    return tuple(part for part in parts if part != "")


def _assemble(page: SharedPage) -> Response:
    pieces = []
    for part in page.parts:
        if part is None:
            pieces.append(generate_csrf())
        elif isinstance(part, int):
            pieces.append(_render_slot(*page.slots[part]))
        else:
            pieces.append(part)
    return Response("".join(pieces), status=page.status, headers=list(page.headers))


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and request.method == "GET"  # a HEAD render differs (the language form's `next`)
        and not response.is_streamed
        and not response.direct_passthrough
        and response.mimetype == "text/html"
        and "Set-Cookie" not in response.headers
        and not response.cache_control.no_store
        and not g.get("page_cache_flashed")
    )


def shared_for_signed_in(view):
    """Serve this view's page to signed-in people from one render per role (see the module's doc)."""

    @functools.wraps(view)
    def serve(*args, **kwargs):
        cache = current_app.extensions.get("hackkit_shared_pages")
        if cache is None or not _eligible():
            return view(*args, **kwargs)
        from hackkit.extensions import db

        versions = current_app.extensions["hackkit_page_versions"]
        written = session.get(WRITTEN) or {}
        known = versions.at_least(db.session, written)
        # Kept after this worker has caught up: the next request may go to another instance
        # that has not. Only versions the database itself no longer reaches (a restore went
        # back) are forgotten, or every request of this person would read them again.
        behind = [scope for scope, version in written.items() if known.get(scope, 0) < version]
        if behind:
            session[WRITTEN] = {scope: v for scope, v in written.items() if scope not in behind}
        key = (pagecache.request_key(), current_user.role)
        page = cache.get(key)
        if page is not None and pagecache.still_valid(page, known):
            cache.served += 1
            return _assemble(page)
        page = _render_shared(view, args, kwargs, known)
        if page is None:  # asked for something personal: this page is rendered live
            return view(*args, **kwargs)
        if isinstance(page, SharedPage):
            cache.put(key, page)
            return _assemble(page)
        return page  # an answer that is not kept (a redirect, say)

    return serve


def _render_shared(view, args, kwargs, known: dict[str, int]) -> SharedPage | Response | None:
    viewer = current_user._get_current_object()
    g._login_user = SharedViewer(viewer.role)
    g.shared_render = render = _Render()
    loaded = pagecache.loaded_scopes.set(set())
    # flask_wtf's generate_csrf returns g.csrf_token once a request has one: every form and
    # csrf_token() of this render writes the placeholder, never the first viewer's token.
    own_token = g.pop("csrf_token", None)
    g.csrf_token = CSRF_MARK
    try:
        response = current_app.make_response(view(*args, **kwargs))
        scopes = {pagecache.GLOBAL} | (pagecache.loaded_scopes.get() or set())
    except PersonalData:
        if current_app.testing:
            raise
        log.warning("%s asked for personal data in a shared render: rendered live", request.endpoint, exc_info=True)
        return None
    finally:
        g._login_user = viewer
        g.pop("csrf_token", None)
        if own_token is not None:
            g.csrf_token = own_token
        g.pop("shared_render", None)
        g.pop("prize_boards", None)  # template globals' per-request caches, made for the stand-in
        g.pop("prize_wins", None)
        pagecache.loaded_scopes.reset(loaded)
    parts = _split(response.get_data(as_text=True))
    page = SharedPage(
        status=response.status_code,
        headers=tuple((k, v) for k, v in response.headers.items() if k.lower() != "content-length"),
        parts=parts,
        slots=tuple(render.slots),
        versions=tuple(sorted((scope, known.get(scope, 0)) for scope in scopes)),
        body="".join(part for part in parts if isinstance(part, str)),
    )
    if _storable(response):
        return page
    return _assemble(page)


def remember_writes(response: Response) -> Response:
    """after_request: a signed-in writer's next pages are no older than their writes."""
    written = g.get("written_versions")
    # Signed in with the session cookie. A call made with an API token is a script's (or the
    # editor's) and stateless: it leaves the browser session alone even when a cookie rides
    # along, so it sets no cookie and does not make every page of this person read versions.
    if written and "_user_id" in session and not pagecache.sends_api_credentials():
        mine = dict(session.get(WRITTEN) or {})
        for scope, version in written.items():
            mine[scope] = max(version, mine.pop(scope, 0))  # moved to the end: the newest
        session[WRITTEN] = dict(list(mine.items())[-MAX_WRITTEN:])  # the cookie stays small
    return response


def init_app(app: Flask) -> None:
    """After pagecache.init_app (it keeps the versions)."""
    app.add_template_global(personal, "personal")
    seconds = app.config["HACKKIT_PUBLIC_CACHE_SECONDS"]
    if seconds > 0:
        app.extensions["hackkit_shared_pages"] = SharedPageStore(max(seconds, pagecache.MAX_LIFETIME))
    app.after_request(remember_writes)

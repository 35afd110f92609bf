"""Language choice: the visitor's pick, then their account's, then the browser's."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from flask import Flask, Response, has_request_context, request, session
from flask_babel import LazyString, get_locale, get_translations, lazy_gettext
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGES = {"en": "English", "nl": "Nederlands"}
# Noted on the request (not on g: an application context can outlive one request).
FROM_BROWSER = "hackkit.language_from_browser"


def select_locale() -> str:
    """flask_babel's choice of the request's language: asked when something is translated or
    formatted, so the answer is then in that language (and says so: say_what_it_varies_on)."""
    locale, from_browser = request_locale()
    if from_browser:
        request.environ[FROM_BROWSER] = True
    return locale


def request_locale() -> tuple[str, bool]:
    """The language of this request, and whether it came from the browser's Accept-Language."""
    if not has_request_context():  # CLI and background work speak English
        return "en", False
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen, False
    # Reading current_user here would hit the database on every page; the session copy
    # is set at log-in and by the switch, which covers the account's preference.
    return browser_locale(request.headers.get("Accept-Language", "")), True


def say_what_it_varies_on(response: Response) -> Response:
    """An answer whose language came from Accept-Language names the header in Vary, so a cache
    between the hub and the visitor (a browser's, a city's proxy or CDN) keeps one copy per
    language instead of handing the Dutch page to an English browser. Answers that never asked
    for the language (most of the API) and those of someone who picked one (the session's
    choice: Flask adds Cookie) do not."""
    if request.environ.get(FROM_BROWSER):
        response.vary.add("Accept-Language")
    return response


@functools.lru_cache(maxsize=256)
def browser_locale(accept_language: str) -> str:
    """The language of ours a browser's Accept-Language header prefers (English if none): the
    choice for someone who has not picked one. Browsers send a few distinct headers, so the
    answers are kept (hackkit/front_door.py asks on every request it answers)."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(list(LANGUAGES), default="en")


def _text_of_lazy(value):
    """Jinja's finalize: a lazy translation is printed as plain text, so autoescape applies.

    flask_babel's LazyString has an __html__ that returns it unescaped, and our error
    messages are lazy strings with user input in them (a column name from the query
    string, a cell value from an uploaded file): printed as they are, that is HTML injection.
    """
    return str(value) if isinstance(value, LazyString) else value


def _template_translations(env):
    """gettext and ngettext for templates, as Jinja's "newstyle" ones (autoescaped, always
    %-formatted), but asking the catalogue of the page's language directly: the page's
    language is in its context (current_locale), so each of the few dozen strings of the base
    layout no longer goes through flask_babel's lookup of the request's translations."""
    catalogues: dict[str, object] = {}

    def catalogue(context):
        locale = context.get("current_locale")
        found = catalogues.get(locale)
        if found is None:
            found = get_translations()
            if locale is not None and str(get_locale() or "en") == locale:
                catalogues[locale] = found
        return found

    @pass_context
    def gettext(context, string, **variables):
        text = catalogue(context).ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704 (our catalogue, as Jinja does)

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = catalogue(context).ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704 (our catalogue, as Jinja does)

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext}


def init_app(app: Flask) -> None:
    from hackkit import labels

    app.jinja_env.finalize = _text_of_lazy
    app.jinja_env.globals.update(_template_translations(app.jinja_env))
    app.after_request(say_what_it_varies_on)

    @app.context_processor
    def language_context():
        return {
            "languages": LANGUAGES,
            "current_locale": str(get_locale() or "en"),
            "format_datetime_in": format_datetime_in,
            "importer_text": importer_text,
            "in_language": in_language,
            **labels.TEMPLATE_GLOBALS,
        }


def in_language(thing, field: str) -> str:
    """An organizer's text in the page's language when they gave one (an event's or an
    announcement's `translations`), else the text as written."""
    texts = (getattr(thing, "translations", None) or {}).get(str(get_locale() or "en")) or {}
    return texts.get(field) or getattr(thing, field)


def remember_choice(lang: str) -> bool:
    """Store the visitor's language for this session (and their account, if signed in)."""
    if lang not in LANGUAGES:
        return False
    session["lang"] = lang
    if current_user.is_authenticated:
        from hackkit.extensions import db

        current_user.locale = lang
        db.session.commit()
    return True


def format_datetime_in(moment: datetime, zone: str, fmt: str = "medium") -> str:
    """A date-time as the event's local time, in the visitor's language, with the zone named.

    The default shows hours and minutes, not seconds: a schedule or a deadline is read in
    minutes ("17 May 2026, 12:00"), and ":00" seconds on every line is only noise."""
    # In UTC for the lookup: two aware times on the same wall clock in the hour a zone repeats
    # (fold 0 and 1) compare equal, and would share one answer.
    instant = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    return _formatted_in(instant, zone, fmt, str(get_locale() or "en"))


# An event page shows the same few moments (its schedule, its deadline, its announcements) to
# every visitor: each is formatted once per language, not on every view (Babel's formatting
# was a twentieth of the page's time). The answer depends on nothing else.
@functools.lru_cache(maxsize=4096)
def _formatted_in(moment: datetime, zone: str, fmt: str, locale: str) -> str:
    tz = ZoneInfo(zone)
    if fmt != "medium":
        return format_datetime(moment, fmt, tzinfo=tz, locale=locale) + f" ({zone})"
    date = format_date(moment.astimezone(tz), "medium", locale=locale)
    time = format_time(moment, "short", tzinfo=tz, locale=locale)
    return get_datetime_format("medium", locale=locale).format(time, date) + f" ({zone})"


def importer_message(message) -> LazyString | str:
    """An importer message (hackkit.ingest.errors.Message, or its stored dict) in the reader's
    language. Its values may be messages themselves (the reason a value did not fit)."""
    if isinstance(message, dict):
        message_id, params = message.get("id"), message.get("params") or {}
    else:
        message_id, params = getattr(message, "message_id", None), getattr(message, "params", {})
    if not isinstance(message_id, str):
        return str(message)
    values = {k: importer_message(v) if hasattr(v, "message_id") else v for k, v in params.items()}
    return lazy_gettext(message_id, **values)


def importer_text(english: str | None, message: dict | None = None) -> str:
    """What a page shows for a stored importer text: translated when its message was kept
    (imports before messages were stored have only the English)."""
    return str(importer_message(message)) if message else (english or "")

"""Work a worker would otherwise do on its first requests, done once in gunicorn's master.

gunicorn loads the app before it forks its workers (`preload_app` in gunicorn.conf.py), and
each worker starts with a copy of the master's memory. What the app builds lazily, though, each
worker built again on its first requests: compiling the templates alone took 0.5 s of a
worker's CPU, so the first page it served took 225 ms instead of 0.4. Right after a restart
every worker pays that at the same moment, and gunicorn restarts workers during the day too
(`max_requests`): under load that showed as the slowest second of the run.

`warm(app)` does those lazy parts in the master (gunicorn.conf.py's `when_ready`), so each
worker starts with them done:
- every template compiled (Jinja keeps them in the environment's cache);
- the translations of every language read (flask_babel keeps them per process), and Babel's
  locale data for dates and numbers loaded;
- the models' mappers configured.

It opens no database connection: a connection must not be shared by forked processes.
"""

from __future__ import annotations

from babel import Locale
from flask import Flask
from flask_babel import get_translations
from jinja2.utils import LRUCache
from sqlalchemy import orm

from hackkit.i18n import LANGUAGES


def warm(app: Flask) -> tuple[int, int]:
    """Compile every template and load every language of `app`; returns how many of each."""
    environment = app.jinja_env
    names = environment.list_templates()
    # Jinja forgets the least recently used templates past its cache size: keep room for all.
    if environment.cache is not None and environment.cache.capacity < len(names):
        environment.cache = LRUCache(2 * len(names))
    for name in names:
        environment.get_template(name)
    for language in LANGUAGES:
        with app.test_request_context(headers={"Accept-Language": language}):
            get_translations()
        Locale.parse(language).datetime_formats  # noqa: B018 (loads the locale's data)
    orm.configure_mappers()
    return len(names), len(LANGUAGES)

"""A worker starts with the templates compiled and the languages read (hackkit/warm_up.py),
done once in gunicorn's master, instead of on its first requests."""

from __future__ import annotations

from hackkit import warm_up
from hackkit.extensions import db
from tests import factories
from tests.test_gunicorn_access_log import _output_of_gunicorn_serving


def test_after_the_warm_up_pages_render_in_both_languages_without_reading_a_template(app, client, monkeypatch):
    with app.app_context():
        event = factories.event(db.session)
        team = factories.team(db.session, event)
        slug, team_id = event.slug, team.id

    templates, languages = warm_up.warm(app)
    assert templates == len(app.jinja_env.list_templates()) > 50 and languages == 2

    def read(environment, template):
        raise AssertionError(f"{template} was read after the warm-up")

    # The loader itself stays (it is part of Jinja's cache key); reading through it fails.
    monkeypatch.setattr(app.jinja_env.loader, "get_source", read)
    paths = ("/", f"/events/{slug}", f"/events/{slug}/projects", f"/teams/{team_id}", "/login", "/no-such-page")
    for language in ("en", "nl"):
        for path in paths:
            answer = client.get(path, headers={"Accept-Language": language})
            assert answer.status_code in (200, 404), (path, answer.status_code)
            assert f'lang="{language}"' in answer.get_data(as_text=True), path


def test_gunicorn_warms_the_app_once_before_it_starts_its_workers(database_url, tmp_path):
    output = _output_of_gunicorn_serving(database_url, tmp_path / "instance", access_log=None).decode(errors="replace")
    assert output.count("templates and 2 languages ready") == 1, output
    assert output.index("languages ready") < output.index("Booting worker"), output


def test_the_warm_up_keeps_every_template_even_past_a_small_cache_and_opens_no_connection(app):
    """A hub with more templates than Jinja's cache holds would forget some again; and a
    database connection made before gunicorn forks would be shared by its workers."""
    import sqlalchemy as sa
    from jinja2.utils import LRUCache

    app.jinja_env.cache = LRUCache(10)
    checked_out = []

    def note(*args):
        checked_out.append(args)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "checkout", note)
    try:
        count, _languages = warm_up.warm(app)
    finally:
        sa.event.remove(engine, "checkout", note)
    assert app.jinja_env.cache.capacity >= count
    assert len(app.jinja_env.cache) == count
    assert checked_out == []


def test_a_failed_warm_up_is_logged_and_gunicorn_starts_its_workers_anyway():
    import runpy
    from types import SimpleNamespace

    from tests.test_read_timeout import ROOT

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    logged = []

    def broken_app():
        raise RuntimeError("a template that does not compile")

    server = SimpleNamespace(
        cfg=SimpleNamespace(preload_app=True),
        app=SimpleNamespace(wsgi=broken_app),
        log=SimpleNamespace(info=logged.append, exception=logged.append),
    )
    settings["when_ready"](server)  # does not raise
    assert logged == ["hackkit: the warm-up failed; each worker prepares on its first requests"]

"""hackkit: the hub of a civic co-creation hackathon."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# Everything else is imported in create_app: `hackkit --help` and `import hackkit` stay light.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the hub. `config` overrides settings from the environment (tests use it)."""
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from hackkit import front_door, pagecache, security, shared_pages, static_files
    from hackkit.config import build_config
    from hackkit.errors import HubRequest
    from hackkit.json_provider import HubJSONProvider
    from hackkit.routing import IdConverter
    from hackkit.session_cookie import SignedCookieSessions

    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get("HACKKIT_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.request_class = HubRequest  # a cut-off upload is a clear 400, not an empty form
    app.json = HubJSONProvider(app)  # orjson: the same JSON, faster
    app.session_interface = SignedCookieSessions()  # Flask's cookie, its signer built once
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(app.instance_path, os.environ, config))
    _clean_upload_leftovers(app.instance_path)

    app.url_map.converters["int"] = IdConverter  # before any route is added
    register_extensions(app)
    security.init_app(app)
    static_files.init_app(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    pagecache.init_app(app)  # last: its lookup runs after the rate limiter's check
    shared_pages.init_app(app)  # signed-in pages, on pagecache's versions
    front_door.init_app(app)  # kept answers for visitors, before Flask
    if app.config["HACKKIT_PROXY_COUNT"]:  # outermost: the front door sees what Flask sees
        count = app.config["HACKKIT_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    return app


def _clean_upload_leftovers(instance_path: str) -> None:
    """Upload files of imports killed by a crash: nobody else removes them."""
    from hackkit.services.dataset_uploads import clean_leftovers

    clean_leftovers(instance_path)


def register_extensions(app: Flask) -> None:
    from hackkit import cors, i18n, ratelimits, read_transactions
    from hackkit.auth.session import init_login
    from hackkit.extensions import babel, csrf, db, limiter, migrate

    db.init_app(app)
    read_transactions.init_app(app)  # after db: its teardown must run before the session's close
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    ratelimits.init_app(app)  # before the limiter, to tidy the headers it writes
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    init_login(app)
    i18n.init_app(app)
    cors.init_app(app)


def register_blueprints(app: Flask) -> None:
    from hackkit.admin.views import bp as admin_bp
    from hackkit.api import bp as api_bp
    from hackkit.api.ckan import bp as ckan_bp
    from hackkit.apps.views import bp as apps_bp
    from hackkit.auth import bp as auth_bp
    from hackkit.cocreation import bp as cocreation_bp
    from hackkit.datasets import bp as datasets_bp
    from hackkit.datasets.catalog_views import bp as dcat_bp
    from hackkit.events.views import bp as events_bp
    from hackkit.feeds import bp as feeds_bp
    from hackkit.judging.views import bp as judging_bp
    from hackkit.main.views import bp as main_bp
    from hackkit.maps.views import bp as maps_bp
    from hackkit.notifications import bp as notifications_bp
    from hackkit.outcomes import bp as outcomes_bp
    from hackkit.prizes import bp as prizes_bp
    from hackkit.teams import bp as teams_bp
    from hackkit.webhooks import bp as webhooks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(judging_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(ckan_bp)
    app.register_blueprint(maps_bp)
    app.register_blueprint(datasets_bp)
    app.register_blueprint(dcat_bp)
    app.register_blueprint(cocreation_bp)
    app.register_blueprint(apps_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(outcomes_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(prizes_bp)
    app.register_blueprint(notifications_bp)


def register_errorhandlers(app: Flask) -> None:
    from hackkit.errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    from hackkit.cli import (
        backup_command,
        demo_cli,
        mail_cli,
        new_app_command,
        restore_command,
        setup_command,
        users_cli,
    )
    from hackkit.datasets.commands import datasets_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(setup_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(new_app_command)
    app.cli.add_command(datasets_cli)
    app.cli.add_command(mail_cli)

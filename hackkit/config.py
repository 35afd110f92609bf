"""Every setting hackkit reads, with its default and one line of help.

This table is the single source of truth: `docs/configuration.md` is checked
against it by the tests, and `create_app` reads nothing that is not listed here.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    env: str  # environment variable a deployer sets
    key: str  # Flask config key the code reads
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _smtp_security(value: str) -> str:
    value = value.strip().lower()
    if value not in {"none", "starttls", "ssl"}:
        raise ValueError(f"HACKKIT_SMTP_SECURITY must be none, starttls or ssl, not {value!r}")
    return value


def _mail_worker(value: str) -> str:
    value = value.strip().lower()
    if value not in {"thread", "off"}:
        raise ValueError(f"HACKKIT_MAIL_WORKER must be thread or off, not {value!r}")
    return value


def _public_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"HACKKIT_PUBLIC_URL must start with http:// or https://, not {value!r}")
    return value


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "HACKKIT_ENV",
        "HACKKIT_ENV",
        "development",
        "`production` turns on Secure cookies and HSTS; anything else is development.",
    ),
    Setting(
        "HACKKIT_DATABASE_URL",
        "SQLALCHEMY_DATABASE_URI",
        None,
        "SQLAlchemy URL of the database; unset means a SQLite file in the instance folder.",
    ),
    Setting(
        "HACKKIT_SECRET_KEY",
        "SECRET_KEY",
        None,
        "Key that signs sessions; unset means one generated once into instance/secret_key.",
    ),
    Setting(
        "HACKKIT_TILES",
        "HACKKIT_TILES",
        "osm",
        "Map tiles: `osm` for OpenStreetMap, `none` for no external tile server.",
    ),
    Setting(
        "HACKKIT_TILE_URL",
        "HACKKIT_TILE_URL",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "The tile server of `osm` maps ({z}/{x}/{y} template), e.g. a venue's own.",
    ),
    Setting(
        "HACKKIT_RATELIMIT_STORAGE_URI",
        "RATELIMIT_STORAGE_URI",
        "memory://",
        "Where rate-limit counters live: memory:// (one process) or redis://host:6379.",
    ),
    Setting(
        "HACKKIT_RATELIMIT_KEY_PREFIX",
        "RATELIMIT_KEY_PREFIX",
        "",
        "Prefix of the rate-limit counters' keys: the same on every instance of one hub, another for "
        "a second hub on the same Redis.",
    ),
    Setting(
        "HACKKIT_MAX_UPLOAD_MB",
        "HACKKIT_MAX_UPLOAD_MB",
        50,
        "Largest request body the hub accepts, in megabytes (bigger gets 413).",
        int,
    ),
    Setting(
        "HACKKIT_DATASET_QUERY_MS",
        "HACKKIT_DATASET_QUERY_MS",
        1000,
        "Time limit in milliseconds for one query of the dataset rows API (0 turns it off).",
        int,
    ),
    Setting(
        "HACKKIT_READ_TIMEOUT",
        "HACKKIT_READ_TIMEOUT",
        30,
        "Seconds the development server (`hackkit run`) waits for each read from a client (gunicorn.conf.py "
        "reads the same variable); a slow or lying client cannot hold a server thread longer.",
        float,
    ),
    Setting(
        "HACKKIT_DATASET_MAX_FIELD_CHARS",
        "HACKKIT_DATASET_MAX_FIELD_CHARS",
        1_000_000,
        "Longest single value (in characters) an imported file may hold; a file with a longer field is refused "
        "with a message, so one broken line cannot bloat every catalogue answer.",
        int,
    ),
    Setting(
        "HACKKIT_LOGIN_LIMIT_ACCOUNT",
        "HACKKIT_LOGIN_LIMIT_ACCOUNT",
        "5 per minute;30 per hour",
        "Failed log-ins allowed per e-mail address before it must wait.",
    ),
    Setting(
        "HACKKIT_LOGIN_LIMIT_ADDRESS",
        "HACKKIT_LOGIN_LIMIT_ADDRESS",
        "20 per minute;100 per hour",
        "Failed log-ins allowed per client IP address before it must wait.",
    ),
    Setting(
        "HACKKIT_RESET_LIMIT_EMAIL",
        "HACKKIT_RESET_LIMIT_EMAIL",
        "3 per hour",
        "Password-reset e-mails that may be asked for per e-mail address.",
    ),
    Setting(
        "HACKKIT_RESET_LIMIT_ADDRESS",
        "HACKKIT_RESET_LIMIT_ADDRESS",
        "10 per hour",
        "Password-reset requests allowed per client IP address.",
    ),
    Setting(
        "HACKKIT_SIGNUP_LIMIT_ADDRESS",
        "HACKKIT_SIGNUP_LIMIT_ADDRESS",
        "20 per hour;50 per day",
        "Accounts that may be made per client IP address (a venue shares one: raise it for the event days).",
    ),
    Setting(
        "HACKKIT_CONFIRM_LIMIT_ACCOUNT",
        "HACKKIT_CONFIRM_LIMIT_ACCOUNT",
        "3 per hour",
        "E-mail confirmation mails an account may ask to have sent again.",
    ),
    Setting(
        "HACKKIT_JOIN_REQUEST_COOLDOWN_HOURS",
        "HACKKIT_JOIN_REQUEST_COOLDOWN_HOURS",
        24,
        "Hours before someone may ask the same team again after its captain declined them.",
        int,
    ),
    Setting(
        "HACKKIT_PASSWORD_RESET_MINUTES",
        "HACKKIT_PASSWORD_RESET_MINUTES",
        60,
        "How long a password-reset link stays valid, in minutes.",
        int,
    ),
    Setting(
        "HACKKIT_PUBLIC_URL",
        "HACKKIT_PUBLIC_URL",
        "",
        "The hub's address as people reach it, e.g. https://hack.example.nl; links in e-mails use it.",
        _public_url,
    ),
    Setting(
        "HACKKIT_SMTP_HOST",
        "HACKKIT_SMTP_HOST",
        "",
        "Mail server for all e-mail (password resets, notifications); empty means none: mails go to the server log.",
    ),
    Setting("HACKKIT_SMTP_PORT", "HACKKIT_SMTP_PORT", 587, "Port of the mail server.", int),
    Setting(
        "HACKKIT_SMTP_SECURITY",
        "HACKKIT_SMTP_SECURITY",
        "starttls",
        "How to talk to the mail server: `starttls`, `ssl` (implicit TLS, port 465) or `none`.",
        _smtp_security,
    ),
    Setting("HACKKIT_SMTP_USERNAME", "HACKKIT_SMTP_USERNAME", "", "User name for the mail server; empty means none."),
    Setting("HACKKIT_SMTP_PASSWORD", "HACKKIT_SMTP_PASSWORD", "", "Password for the mail server."),
    Setting(
        "HACKKIT_MAIL_FROM",
        "HACKKIT_MAIL_FROM",
        "hackkit@localhost",
        "Sender address of the e-mails the hub sends.",
    ),
    Setting(
        "HACKKIT_MAIL_WORKER",
        "HACKKIT_MAIL_WORKER",
        "thread",
        "`thread`: `hackkit run` also sends the outbox's e-mail in a background thread (one machine); "
        "`off`: only a separate `hackkit mail send` does (gunicorn never starts the thread).",
        _mail_worker,
    ),
    Setting(
        "HACKKIT_MAIL_INTERVAL",
        "HACKKIT_MAIL_INTERVAL",
        5.0,
        "Seconds the mail worker waits between passes over the outbox.",
        float,
    ),
    Setting(
        "HACKKIT_RATELIMIT_API",
        "HACKKIT_RATELIMIT_API",
        "600 per minute",
        "API requests allowed per token (a valid bearer token), across all API routes.",
    ),
    Setting(
        "HACKKIT_RATELIMIT_API_ANONYMOUS",
        "HACKKIT_RATELIMIT_API_ANONYMOUS",
        "120 per minute",
        "API requests allowed per client IP address without a token, across all API routes.",
    ),
    Setting(
        "HACKKIT_RATELIMIT_CKAN_ANONYMOUS",
        "HACKKIT_RATELIMIT_CKAN_ANONYMOUS",
        "3000 per 5 minutes",
        "Calls of the read-only CKAN Action API allowed per client IP address without a token; "
        "enough for `ckanapi dump datasets --all` of a 1,000-dataset catalogue.",
    ),
    Setting(
        "HACKKIT_RATELIMIT_ENABLED",
        "RATELIMIT_ENABLED",
        True,
        "Set to 0 only for load tests: turns every rate limit off.",
        _bool,
    ),
    Setting(
        "HACKKIT_PUBLIC_CACHE_SECONDS",
        "HACKKIT_PUBLIC_CACHE_SECONDS",
        2.0,
        "Longest time a visitor who is not signed in may see a page or API answer from before a change "
        "(answers are kept until a write changes them, at most a minute; 0 turns this off). "
        "Signed-in people see others' changes within this time too, their own at once; "
        "API clients with a token always get live answers.",
        float,
    ),
    Setting(
        "HACKKIT_WEBHOOK_ALLOW_PRIVATE",
        "HACKKIT_WEBHOOK_ALLOW_PRIVATE",
        False,
        "Set to 1 to let webhooks send to private and loopback addresses (a receiver on the same network); "
        "off, such targets are refused so a webhook cannot reach inside the hub's network.",
        _bool,
    ),
    Setting(
        "HACKKIT_CATALOG_TITLE",
        "HACKKIT_CATALOG_TITLE",
        "hackkit open data catalogue",
        "Title of the DCAT-AP catalogue at /catalog.ttl and /catalog.jsonld.",
    ),
    Setting(
        "HACKKIT_CATALOG_DESCRIPTION",
        "HACKKIT_CATALOG_DESCRIPTION",
        "The city's open datasets, published for co-creation hackathons.",
        "Description of the DCAT-AP catalogue.",
    ),
    Setting(
        "HACKKIT_CATALOG_PUBLISHER",
        "HACKKIT_CATALOG_PUBLISHER",
        "hackkit",
        "Who publishes the catalogue (e.g. the city); also the publisher of datasets that name none.",
    ),
    Setting(
        "HACKKIT_CATALOG_CONTACT",
        "HACKKIT_CATALOG_CONTACT",
        "",
        "The publisher's public contact (an e-mail address or a web page), the DCAT-AP contact point "
        "of datasets that name none; empty means none.",
    ),
    Setting(
        "HACKKIT_PROXY_COUNT",
        "HACKKIT_PROXY_COUNT",
        0,
        "Number of reverse proxies in front of the hub whose X-Forwarded-* headers to trust.",
        int,
    ),
)


def database_url(raw: str | None, instance_path: str) -> str:
    """Turn the configured URL into one SQLAlchemy can open.

    `postgresql://` and Heroku-style `postgres://` both mean psycopg 3 here, the only
    PostgreSQL driver hackkit installs.
    """
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "hackkit.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def load_secret_key(instance_path: str) -> str:
    """Read the instance secret key, creating it (mode 0600) on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    # O_EXCL: if two workers start at once, only one writes and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def build_config(instance_path: str, environ: Mapping[str, str], overrides: Mapping[str, Any]) -> dict:
    """Settings from the table, then the environment, then explicit overrides."""
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        value = setting.default
        if environ.get(setting.env) not in (None, ""):
            value = setting.parse(environ[setting.env])
        config[setting.key] = value
    config.update(overrides)

    config["SQLALCHEMY_DATABASE_URI"] = database_url(config["SQLALCHEMY_DATABASE_URI"], instance_path)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = load_secret_key(instance_path)
        if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            # A shared database suggests several machines; each would generate its own key.
            logging.getLogger("hackkit").warning(
                "HACKKIT_SECRET_KEY is not set: using the key generated in %s/secret_key. With several "
                "instances set the same key on every one, or a log-in holds on one machine only.",
                instance_path,
            )

    production = config["HACKKIT_ENV"] == "production"
    config.setdefault("MAX_CONTENT_LENGTH", config["HACKKIT_MAX_UPLOAD_MB"] * 1024 * 1024)
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("SESSION_COOKIE_SECURE", production)
    config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    config.setdefault("REMEMBER_COOKIE_SECURE", production)
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(config["SQLALCHEMY_DATABASE_URI"]))
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # An unreachable Redis must not turn every request into a 500: each process then counts
    # in memory (the same limits, per process) until Redis answers again.
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a form left open over lunch still submits
    return config


def engine_options(url: str) -> dict:
    from hackkit.models.base import read_json  # here: reading the config must not load SQLAlchemy

    if url.startswith("sqlite"):
        # Several threads of the dev server share the file; wait for locks instead of failing.
        return {"connect_args": {"timeout": 15}, "json_deserializer": read_json}
    # No pre_ping: it costs a round trip on every request (14% of the throughput in the load
    # test). After a database restart the first request of each worker gets a 503 and
    # SQLAlchemy then drops every pooled connection of that worker, so the next requests
    # connect afresh (tests/test_database_recovery.py). connect_timeout: "down" is a quick 503.
    # client_encoding: text, JSON included, comes as UTF-8 whatever the database's own encoding
    # (read_json reads it so).
    return {
        "pool_pre_ping": False,
        "connect_args": {"connect_timeout": 3, "client_encoding": "utf8"},
        "json_deserializer": read_json,
    }


def join_request_cooldown(config: Mapping) -> timedelta:
    """HACKKIT_JOIN_REQUEST_COOLDOWN_HOURS as the service wants it (the page and the API agree)."""
    return timedelta(hours=max(0, int(config["HACKKIT_JOIN_REQUEST_COOLDOWN_HOURS"])))

"""Settings: one table with defaults and help, documented, and a secret key made once."""

import os
import re
import stat
from pathlib import Path

from hackkit.config import SETTINGS, build_config, database_url
from tests.conftest import make_app

DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_every_setting_has_help_and_is_documented():
    documented = DOCS.read_text()
    for setting in SETTINGS:
        assert setting.help.strip(), setting.env
        assert re.search(rf"`{setting.env}`", documented), f"{setting.env} is not in docs/configuration.md"
    listed = set(re.findall(r"`(HACKKIT_[A-Z_]+)`", documented))
    assert listed <= {s.env for s in SETTINGS} | {"HACKKIT_INSTANCE_PATH"}, "docs list a setting the code lacks"


def test_secret_key_is_generated_once_with_mode_0600(tmp_path, database_url):
    app = make_app(tmp_path, database_url)
    key_file = Path(app.instance_path) / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text()
    again = make_app(tmp_path, database_url)
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_secret_key_from_environment_writes_no_file(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("HACKKIT_SECRET_KEY", "from-the-environment")
    app = make_app(tmp_path, database_url)
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (Path(app.instance_path) / "secret_key").exists()


def test_sqlite_in_the_instance_folder_is_the_default(tmp_path):
    config = build_config(str(tmp_path), {}, {})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/hackkit.sqlite3"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["MAX_CONTENT_LENGTH"] == 50 * 1024 * 1024


def test_environment_overrides_defaults(tmp_path):
    config = build_config(
        str(tmp_path),
        {"HACKKIT_ENV": "production", "HACKKIT_MAX_UPLOAD_MB": "5", "HACKKIT_DATABASE_URL": "postgres://u@db/hackkit"},
        {},
    )
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/hackkit"


def test_postgresql_urls_use_psycopg3():
    assert database_url("postgresql://u@h/d", "/x") == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql+psycopg://u@h/d", "/x") == "postgresql+psycopg://u@h/d"

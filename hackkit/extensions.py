"""Extension singletons, bound to an app in create_app (cookiecutter-flask style).

The bottom layer: it imports nothing of ours but the models' declarative base, so any module
may import it (tests/test_import_graph.py keeps it so).
"""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from hackkit.lazy_cli import LazyGroup
from hackkit.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = None  # set below: LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)  # the API's limit sits on its blueprints: hackkit/ratelimits.py
babel = Babel()


class LazyMigrate:
    """Flask-Migrate, loaded when a migration runs: Alembic, Mako and Pygments cost every web
    worker ~11 MB and 0.3 s at start and are needed only by `hackkit db ...`, `setup` and tests.

    `init_app` stores the same settings Flask-Migrate's would; the first look at
    `app.extensions["migrate"]` (by flask_migrate.upgrade() and migrations/env.py) builds the
    real configuration.
    """

    def init_app(self, app, db, **kwargs) -> None:
        app.extensions["migrate"] = _LazyMigrateConfig(db, kwargs)
        app.cli.add_command(LazyGroup("db", "flask_migrate.cli:db", "Perform database migrations."))


class _LazyMigrateConfig:
    def __init__(self, db, kwargs) -> None:
        self._args = (db, kwargs)
        self._real = None

    def __getattr__(self, name: str):
        if self._real is None:
            from flask_migrate import Migrate, _MigrateConfig

            db, kwargs = self._args
            kwargs = dict(kwargs)
            directory = kwargs.pop("directory", "migrations")
            real = Migrate(db=db, directory=directory, **kwargs)
            self._real = _MigrateConfig(real, db, **real.alembic_ctx_kwargs)
        return getattr(self._real, name)


migrate = LazyMigrate()

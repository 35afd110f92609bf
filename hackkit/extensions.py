"""Extension singletons, bound to an app in create_app (cookiecutter-flask style).

The bottom layer: it imports nothing of ours but the models' declarative base, so any module
may import it (tests/test_import_graph.py keeps it so).
"""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from hackkit.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)  # the API's limit sits on its blueprints: hackkit/ratelimits.py
babel = Babel()

"""Extension singletons, bound to an app in create_app (cookiecutter-flask style)."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from hackkit.models.base import Base
from hackkit.ratelimits import API_LIMIT

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, application_limits=[API_LIMIT])
babel = Babel()

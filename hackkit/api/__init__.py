"""The native JSON API under /api/v1. Authenticated by bearer tokens, never by cookies,
so it needs no CSRF token and a logged-in browser cannot be tricked into using it."""

from flask import Blueprint

from hackkit.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# auth before helpers: their before_request hooks run in import order (who, then what they may do).
from hackkit.api import auth, helpers, tokens  # noqa: E402,F401,I001  (routes and hooks on bp)
from hackkit.api import cocreation, datasets, events, judging, messages, openapi, outcomes, prizes, teams, voting  # noqa: E402,F401  (routes on bp)
from hackkit.api import webhooks  # noqa: E402,F401  (routes on bp)

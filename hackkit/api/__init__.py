"""The native JSON API under /api/v1. Authenticated by bearer tokens, never by cookies,
so it needs no CSRF token and a logged-in browser cannot be tricked into using it."""

from flask import Blueprint

from hackkit.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from hackkit.api import auth, cocreation, datasets, events, judging, openapi, teams, voting  # noqa: E402,F401  (routes on bp)

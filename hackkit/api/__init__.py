"""The native JSON API under /api/v1. Authenticated by bearer tokens, never by cookies,
so it needs no CSRF token and a logged-in browser cannot be tricked into using it.

Its security, in this order, is wired here and nowhere else (no view module adds a hook):
1. the rate limit, per token or per address (hackkit/ratelimits.py: the limiter's own check,
   which runs before any blueprint hook);
2. `check_caller` (hackkit/api/auth.py): who the caller is, and whether the token's scope
   allows the method;
3. the view, which asks a service, and the service checks the caller's permissions.
"""

from flask import Blueprint

from hackkit.api.auth import check_caller
from hackkit.extensions import csrf
from hackkit.ratelimits import limit_api

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limit_api(bp)
bp.before_request(check_caller)

# Routes only: the order of these imports does not matter.
from hackkit.api import (  # noqa: E402,F401
    cocreation,
    datasets,
    events,
    judging,
    messages,
    openapi,
    outcomes,
    prizes,
    teams,
    tokens,
    voting,
    webhooks,  # noqa: E402,F401
)

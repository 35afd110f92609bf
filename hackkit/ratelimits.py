"""The API's rate limit: per token when a valid bearer token is sent, per address otherwise.

One counter per caller is shared by every API route (a shared limit, scope "api", put on each
blueprint that serves /api/: the native API and the CKAN-compatible one, with `limit_api`), so
a script cannot multiply its allowance by spreading requests over endpoints. Log-in throttling
is separate (hackkit/auth/limits.py).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request
from flask_limiter.util import get_remote_address

from hackkit.bearer import current_token
from hackkit.extensions import limiter

API_PATH_PREFIX = "/api/"
# CKAN's Action API here is read-only; bulk clients (`ckanapi dump datasets --all`, harvesters)
# call package_show once per dataset, so anonymous callers get their own, larger allowance.
CKAN_ACTION_PREFIXES = ("/api/3/action/", "/api/action/")


def _exempt() -> bool:
    # Pages have their own limits; CORS preflights carry no token and cost the caller nothing.
    return not request.path.startswith(API_PATH_PREFIX) or request.method == "OPTIONS"


def _ckan_action() -> bool:
    return request.path.startswith(CKAN_ACTION_PREFIXES)


def api_limit_value() -> str:
    if current_token() is not None:
        return current_app.config["HACKKIT_RATELIMIT_API"]
    if _ckan_action():
        return current_app.config["HACKKIT_RATELIMIT_CKAN_ANONYMOUS"]
    return current_app.config["HACKKIT_RATELIMIT_API_ANONYMOUS"]


def api_limit_key() -> str:
    token = current_token()
    if token is not None:
        return f"token:{token.id}"
    # A counter of its own: a bulk read of the CKAN API does not use up /api/v1's allowance.
    return f"{'ckan-address' if _ckan_action() else 'address'}:{get_remote_address()}"


API_LIMIT = limiter.shared_limit(
    api_limit_value, scope="api", key_func=api_limit_key, exempt_when=_exempt, override_defaults=False
)


def limit_api(blueprint: Blueprint) -> Blueprint:
    """Put the API's shared limit on a blueprint that serves /api/ (its other paths are exempt)."""
    API_LIMIT(blueprint)
    return blueprint


def init_app(app: Flask) -> None:
    """Call before limiter.init_app: after_request hooks run in reverse order, so this one
    sees the limiter's headers. Flask-Limiter writes Retry-After on every limited response;
    it belongs only on the answers that ask the client to wait."""

    @app.after_request
    def retry_after_only_when_waiting(response: Response) -> Response:
        if response.status_code not in (429, 503):
            response.headers.pop("Retry-After", None)
        return response

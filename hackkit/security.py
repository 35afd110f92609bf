"""Security headers on every response the hub sends.

The hub's own pages load nothing but this server's files and run no inline script, so
their policy can be strict. Map pages (and screenshots) set their own, looser or
stricter, policy first; this module leaves a policy that is already there alone.
"""

from __future__ import annotations

from flask import Flask, Response

# Pages embed maps from /maps/... in iframes ('self'), and forms post only here.
HUB_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"  # one year, as the HSTS preload list asks


def init_app(app: Flask) -> None:
    production = app.config["HACKKIT_ENV"] == "production"

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", HUB_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Full URLs (with search words or invite codes) never leave for other sites.
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")  # for browsers that predate frame-ancestors
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), payment=(), geolocation=(self)")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:
            # Only over HTTPS in production: a development server on http://localhost must not
            # teach the browser to refuse plain HTTP for that host for a year.
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response

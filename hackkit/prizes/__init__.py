"""Prizes in the browser: the organizer's set-up, confirming winners, certificates, and the
projector view with its ceremony. The API twins live in hackkit/api/prizes.py."""

from flask import Blueprint

bp = Blueprint("prizes", __name__)

from hackkit.prizes import badges, live_views, views  # noqa: E402,F401  (routes and template globals on bp)

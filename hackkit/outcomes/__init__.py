"""What became of the projects, in the browser: the outcome history and the team's updates on
the project page, the public impact pages (per event and across events) with their CSV, and
the organizer's reminders. The API twins live in hackkit/api/outcomes.py."""

from flask import Blueprint

bp = Blueprint("outcomes", __name__)

from hackkit.outcomes import views  # noqa: E402,F401  (routes on bp)

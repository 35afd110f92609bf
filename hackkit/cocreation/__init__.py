"""The co-creation loop in the browser: dataset usage and feedback, resident proposals, and
the organizer's usage report. The API twins live in hackkit/api/cocreation.py."""

from flask import Blueprint

bp = Blueprint("cocreation", __name__)

from hackkit.cocreation import feedback_views, proposal_views, report_views  # noqa: E402,F401  (routes on bp)

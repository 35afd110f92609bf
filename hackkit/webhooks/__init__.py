"""An event's webhooks in the browser (organizers): the list, adding one, its secret, the
delivery log with replays, and deleting. The API twin is hackkit/api/webhooks.py."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__, url_prefix="/events")

from hackkit.webhooks import views  # noqa: E402,F401  (routes on bp)

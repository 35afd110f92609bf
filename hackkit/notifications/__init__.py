"""E-mail notifications on the web: the account page's switches, the one-click unsubscribe
link, organizers' messages to a segment of an event, and the event's outbox.

The rules and the mail texts live in hackkit/services/ (notifications, notification_settings,
event_messages, mail_worker); these views parse, call one service and render.
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from hackkit.notifications import views  # noqa: E402,F401  (routes register on bp)

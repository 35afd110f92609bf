"""What other blueprints' pages show of prizes, through two template globals.

The event page, the gallery and the project page belong to other blueprints; rather than
each view learning about prizes, their templates include prizes/_*.html, which ask for the
event's prize board once per request (kept in `g`, so a gallery of 200 cards costs one lookup).
"""

from __future__ import annotations

from flask import g
from flask_login import current_user

from hackkit.extensions import db
from hackkit.prizes import bp
from hackkit.services import prizes


@bp.app_template_global()
def prize_board(event) -> dict:
    """The event's prizes with their winners as the visitor may see them (prizes/_event.html)."""
    cache = g.setdefault("prize_boards", {})
    if event.id not in cache:
        cache[event.id] = prizes.prize_board(db.session, current_user, event)
    return cache[event.id]


@bp.app_template_global()
def prize_wins(event) -> dict[int, list[str]]:
    """Submission id -> names of the prizes it won, once the results are published (badges)."""
    cache = g.setdefault("prize_wins", {})
    if event.id not in cache:
        cache[event.id] = prizes.wins_by_submission(db.session, current_user, event)
    return cache[event.id]

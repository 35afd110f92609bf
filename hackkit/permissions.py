"""Who may do what: one table of actions, checked by services through require()."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hackkit.services.errors import Forbidden, Unauthorized

# action -> roles allowed. Object-level rules (own team, assigned judge) live beside the
# action in the service that knows the object, and still start with this table.
PERMISSIONS: dict[str, frozenset[str]] = {
    "users.list": frozenset({"organizer"}),
    "users.change_role": frozenset({"organizer"}),
    # Organizers run events: create and edit them, challenges, announcements, exports.
    "events.manage": frozenset({"organizer"}),
    # Anyone with an account may take part; judges too (a judge in a team is conflicted).
    "events.register": frozenset({"participant", "judge", "organizer"}),
    "datasets.import": frozenset({"organizer"}),
    "datasets.edit": frozenset({"organizer"}),
    "datasets.delete": frozenset({"organizer"}),
    "datasets.view_drafts": frozenset({"organizer"}),
    # Organizers run the jury: criteria, judges, assignments, results before publication.
    # Judging itself is not a role here: it belongs to the judges of an event (EventJudge).
    "judging.manage": frozenset({"organizer"}),
    # The co-creation loop. Anyone with an account may report a data problem, ask for data,
    # propose a challenge and vote; the publisher side (who curates the catalogue) answers
    # feedback; organizers moderate proposals and read the usage report for the council.
    "feedback.create": frozenset({"participant", "judge", "organizer"}),
    "feedback.answer": frozenset({"organizer"}),
    "proposals.create": frozenset({"participant", "judge", "organizer"}),
    "proposals.vote": frozenset({"participant", "judge", "organizer"}),
    "proposals.moderate": frozenset({"organizer"}),
    "reports.view": frozenset({"organizer"}),
    # After the event the city records what became of each project (contacted, pilot, live...).
    # Teams post updates on their own project: that rule is the team's, in services.outcomes.
    "outcomes.record": frozenset({"organizer"}),
}


def can(actor, action: str) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.role in PERMISSIONS[action]


def require(actor, action: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Unauthorized(_l("Log in first."))
    if not can(actor, action):
        raise Forbidden(_l("You do not have permission to do this."))

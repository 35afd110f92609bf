"""What the organizer's jury page shows, asked in one call: `jury_page` returns a JuryPage.

Each part comes from the service that owns its rule (criteria and judges from services.judging,
progress and results from services.scoring, ...), each read with a fixed number of queries,
so the page costs the same for 5 or 500 projects.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from hackkit.models import Assignment, Criterion, Event, JudgeConflict, JudgingSettings, ResultsPublication, User
from hackkit.permissions import require
from hackkit.services import assignments, events, judging, judging_setup, publication, scoring
from hackkit.services.errors import ServiceError

MODES = ("rubric", "pairwise")


@dataclass(frozen=True)
class JuryChoices:
    """The judges and the judged projects (id -> frozen title): what the pick-a-judge forms offer."""

    judges: list[User]
    titles: dict[int, str]


@dataclass(frozen=True)
class JuryPage:
    event: Event
    settings: JudgingSettings
    criteria: list[Criterion]
    choices: JuryChoices
    progress: dict
    results: dict | None  # None when the viewer may not see them
    assigned: list[Assignment]
    conflicts: list[JudgeConflict]
    judge_teams: dict[int, str]  # judge id -> the name of the team they are in
    missing: list[dict]  # what stands in the way of publishing (empty once published)
    publications: list[ResultsPublication]
    mode_change: dict[str, str | None]  # mode -> what switching to it changes

    @property
    def judges(self) -> list[User]:
        return self.choices.judges

    @property
    def titles(self) -> dict[int, str]:
        return self.choices.titles


def jury_choices(session: Session, event: Event) -> JuryChoices:
    judged = judging.judged_versions(session, event)
    return JuryChoices(
        judges=judging.judges_of(session, event),
        titles={s.id: judging.title_of(s, version) for s, version in judged},
    )


def jury_page(session: Session, actor: User, slug: str) -> JuryPage:
    require(actor, "judging.manage")
    event = events.get_event(session, actor, slug)
    settings = judging.settings_of(session, event)
    try:
        results = scoring.results(session, actor, event)
    except ServiceError:
        results = None
    return JuryPage(
        event=event,
        settings=settings,
        criteria=judging.criteria_of(session, event),
        choices=jury_choices(session, event),
        progress=scoring.progress(session, actor, event),
        results=results,
        assigned=assignments.assignments_of(session, actor, event),
        conflicts=judging_setup.conflicts_of(session, actor, event),
        judge_teams=judging_setup.judge_teams(session, event),
        missing=[] if settings.results_published else publication.missing_for_publication(session, event),
        publications=publication.publication_log(session, actor, event),
        mode_change={mode: judging_setup.mode_change_consequences(session, event, mode) for mode in MODES},
    )

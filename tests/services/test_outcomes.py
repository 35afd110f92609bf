"""What became of each project: who records and posts, the rules of an outcome, its history,
the reminders at 3 and 12 months, and the impact report over two events."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from hackkit.extensions import db
from hackkit.services import events, impact, outcomes, proposals
from hackkit.services.errors import Conflict, Forbidden, Invalid, Unauthorized
from tests import factories as f
from tests.outcomes.world import ENDED, past_event, project


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


@pytest.fixture
def world(session):
    organizer = f.user(session, "organizer")
    event = past_event(session, organizer)
    submission, captain = project(session, event)
    return organizer, event, submission, captain


AFTER = ENDED + timedelta(days=40)


def test_only_organizers_record_an_outcome(session, world):
    organizer, event, submission, captain = world
    with pytest.raises(Forbidden):
        outcomes.record_outcome(session, captain, submission, {"status": "contacted"}, now=AFTER)
    with pytest.raises(Forbidden):
        outcomes.record_outcome(session, f.user(session, "judge"), submission, {"status": "pilot"}, now=AFTER)
    with pytest.raises(Unauthorized):
        outcomes.record_outcome(session, None, submission, {"status": "pilot"}, now=AFTER)
    assert outcomes.list_outcomes(session, submission) == []
    outcome = outcomes.record_outcome(
        session, organizer, submission, {"status": "contacted", "note": "Mobility called."}, now=AFTER
    )
    assert outcome.status == "contacted" and outcome.happened_on == AFTER.date()
    assert outcome.recorded_by_id == organizer.id


def test_live_needs_a_link_and_stopped_needs_a_reason(session, world):
    organizer, _, submission, _ = world
    with pytest.raises(Invalid) as caught:
        outcomes.record_outcome(session, organizer, submission, {"status": "live"}, now=AFTER)
    assert "url" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        outcomes.record_outcome(
            session, organizer, submission, {"status": "live", "url": "javascript:alert(1)"}, now=AFTER
        )
    assert "url" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        outcomes.record_outcome(session, organizer, submission, {"status": "stopped", "note": "  "}, now=AFTER)
    assert "note" in caught.value.errors
    assert outcomes.list_outcomes(session, submission) == []
    live = outcomes.record_outcome(
        session, organizer, submission, {"status": "live", "url": "https://banken.antwerpen.be"}, now=AFTER
    )
    assert live.url == "https://banken.antwerpen.be"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "famous"}, "status"),
        ({}, "status"),
        ({"status": "pilot", "date": "2025-13-01"}, "date"),
        ({"status": "pilot", "date": (AFTER + timedelta(days=2)).date().isoformat()}, "date"),  # the future
        ({"status": "pilot", "date": "2024-12-01"}, "date"),  # before the event
        ({"status": "pilot", "note": "x" * 2001}, "note"),
    ],
)
def test_bad_outcomes_are_refused_and_change_nothing(session, world, data, field):
    organizer, _, submission, _ = world
    with pytest.raises(Invalid) as caught:
        outcomes.record_outcome(session, organizer, submission, data, now=AFTER)
    assert field in caught.value.errors
    assert outcomes.list_outcomes(session, submission) == []


def test_history_is_kept_and_the_newest_date_is_the_current_status(session, world):
    organizer, _, submission, _ = world
    record = outcomes.record_outcome
    record(session, organizer, submission, {"status": "contacted", "date": "2025-02-01"}, now=AFTER)
    record(session, organizer, submission, {"status": "adopted", "date": "2025-02-20"}, now=AFTER)
    # Typed in later, but it happened earlier: it goes into the history, not on top.
    record(session, organizer, submission, {"status": "pilot", "date": "2025-02-10"}, now=AFTER + timedelta(hours=1))
    history = outcomes.list_outcomes(session, submission)
    assert [o.status for o in history] == ["adopted", "pilot", "contacted"]
    assert outcomes.current_outcomes(session, [submission.id])[submission.id].status == "adopted"
    # Two on the same day: the one recorded last is current.
    record(
        session,
        organizer,
        submission,
        {"status": "stopped", "date": "2025-02-20", "note": "No budget."},
        now=AFTER + timedelta(hours=2),
    )
    assert outcomes.list_outcomes(session, submission)[0].status == "stopped"


def test_department_defaults_to_the_challenge_owner(session):
    organizer = f.user(session, "organizer")
    event = past_event(session, organizer)
    challenge = events.add_challenge(session, organizer, event, {"title": "Cool streets", "department": "Green spaces"})
    submission, _ = project(session, event, data={"challenge_id": challenge.id})
    first = outcomes.record_outcome(session, organizer, submission, {"status": "contacted"}, now=AFTER)
    assert first.department == "Green spaces"
    other = outcomes.record_outcome(
        session, organizer, submission, {"status": "pilot", "department": "Mobility"}, now=AFTER
    )
    assert other.department == "Mobility"


def test_drafts_get_no_outcome_and_no_update(session):
    organizer = f.user(session, "organizer")
    event = past_event(session, organizer)
    draft, captain = project(session, event, status="draft")
    with pytest.raises(Conflict):
        outcomes.record_outcome(session, organizer, draft, {"status": "contacted"}, now=AFTER)
    with pytest.raises(Conflict):
        outcomes.post_update(session, captain, draft, {"text": "Still working"})
    assert outcomes.project_after(session, organizer, draft) is None


def test_only_team_members_post_updates(session, world):
    organizer, event, submission, captain = world
    for outsider in (organizer, f.user(session), f.user(session, "judge")):
        with pytest.raises(Forbidden):
            outcomes.post_update(session, outsider, submission, {"text": "Hi"})
    with pytest.raises(Unauthorized):
        outcomes.post_update(session, None, submission, {"text": "Hi"})
    with pytest.raises(Invalid) as caught:
        outcomes.post_update(session, captain, submission, {"text": " ", "url": "ftp://x"})
    assert set(caught.value.errors) == {"text", "url"}
    first = outcomes.post_update(
        session, captain, submission, {"text": "We met the city", "url": "https://example.org/log"}, now=AFTER
    )
    second = outcomes.post_update(
        session, captain, submission, {"text": "Pilot **starts**"}, now=AFTER + timedelta(days=1)
    )
    assert [u.id for u in outcomes.list_updates(session, submission)] == [second.id, first.id]
    after = outcomes.project_after(session, captain, submission)
    assert after["can_post"] and not after["can_record"]
    assert outcomes.project_after(session, organizer, submission)["can_record"]


# Reminders ---------------------------------------------------------------------------------


def test_reminders_at_three_and_twelve_months(session, world):
    organizer, event, submission, _ = world
    due = impact.due_outcome_reminders
    assert due(session, ENDED + timedelta(days=80)) == []  # not three months yet
    three = datetime(2025, 4, 12, 18, 0, tzinfo=UTC)  # the event ended 12 January 18:00
    assert due(session, three - timedelta(seconds=1)) == []
    [reminder] = due(session, three)
    assert (reminder.submission_id, reminder.milestone, reminder.due_since) == (submission.id, 3, three)
    assert reminder.current_status is None

    # Recorded before the three months are up: still asked at three months.
    outcomes.record_outcome(session, organizer, submission, {"status": "contacted"}, now=three - timedelta(days=10))
    [reminder] = due(session, three + timedelta(days=1))
    assert reminder.current_status == "contacted"
    # Recorded after: nothing due until twelve months.
    outcomes.record_outcome(session, organizer, submission, {"status": "pilot"}, now=three + timedelta(days=2))
    assert due(session, three + timedelta(days=3)) == []
    twelve = datetime(2026, 1, 12, 18, 0, tzinfo=UTC)
    assert due(session, twelve - timedelta(minutes=1)) == []
    [reminder] = due(session, twelve + timedelta(days=30))
    assert (reminder.milestone, reminder.current_status) == (12, "pilot")
    outcomes.record_outcome(
        session, organizer, submission, {"status": "live", "url": "https://x.example"}, now=twelve + timedelta(days=31)
    )
    assert due(session, twelve + timedelta(days=32)) == []


def test_reminders_skip_stopped_drafts_and_draft_events(session):
    organizer = f.user(session, "organizer")
    event = past_event(session, organizer)
    stopped, _ = project(session, event, "Stopped one")
    project(session, event, "Draft one", status="draft")
    hidden = past_event(session, organizer)
    project(session, hidden, "In a draft event")
    events.update_event(session, organizer, hidden, {"visibility": "draft"})
    outcomes.record_outcome(session, organizer, stopped, {"status": "stopped", "note": "No money"}, now=AFTER)
    kept, _ = project(session, event, "Waiting one")
    now = datetime(2025, 5, 1, tzinfo=UTC)
    assert [r.title for r in impact.due_outcome_reminders(session, now)] == ["Waiting one"]
    assert [r.submission_id for r in impact.reminders_for(session, organizer, event, now)] == [kept.id]
    with pytest.raises(Forbidden):
        impact.reminders_for(session, f.user(session), event, now)


def test_add_months_keeps_the_day_or_the_month_end():
    assert impact.add_months(datetime(2025, 8, 31, tzinfo=UTC), 3) == datetime(2025, 11, 30, tzinfo=UTC)
    assert impact.add_months(datetime(2025, 11, 15, tzinfo=UTC), 3) == datetime(2026, 2, 15, tzinfo=UTC)
    assert impact.add_months(datetime(2024, 2, 29, tzinfo=UTC), 12) == datetime(2025, 2, 28, tzinfo=UTC)


# The impact report ---------------------------------------------------------------------------


@pytest.fixture
def two_events(session):
    """Two past events: the first has a resident's proposal that became a challenge."""
    organizer = f.user(session, "organizer")
    f.catalogue_dataset(session, "trees", "Street trees")
    f.catalogue_dataset(session, "benches", "Benches")
    first = past_event(session, organizer, ENDED - timedelta(days=400), slug="spring")
    second = past_event(session, organizer, ENDED, slug="winter")
    resident = f.user(session)
    idea = proposals.propose(
        session, resident, first, {"title": "Shade for bus stops"}, now=first.starts_at - timedelta(days=3)
    )
    shade = proposals.adopt(session, organizer, idea, {"department": "Mobility"})
    benches = events.add_challenge(session, organizer, second, {"title": "Benches", "department": "Green spaces"})
    a, _ = project(session, first, "Shade map", data={"challenge_id": shade.id, "datasets": ["trees"]})
    b, _ = project(session, first, "Stop finder", data={"challenge_id": shade.id, "datasets": ["trees", "benches"]})
    c, _ = project(session, second, "Bench rater", data={"challenge_id": benches.id, "datasets": ["benches"]})
    project(session, second, "Unsubmitted", status="draft", data={"challenge_id": benches.id})
    later = datetime(2025, 6, 1, tzinfo=UTC)
    outcomes.record_outcome(session, organizer, a, {"status": "pilot"}, now=later)
    outcomes.record_outcome(
        session, organizer, a, {"status": "live", "url": "https://shade.example"}, now=later + timedelta(days=1)
    )
    outcomes.record_outcome(
        session, organizer, b, {"status": "stopped", "note": '=HYPERLINK("http://evil")'}, now=later
    )
    return {"first": first, "second": second, "shade": shade, "benches": benches, "a": a, "b": b, "c": c, "idea": idea}


def test_impact_of_one_event_counts_the_current_status_per_challenge(session, two_events):
    report = impact.impact_report(session, two_events["first"])
    assert [p.title for p in report["projects"]] == ["Shade map", "Stop finder"]
    assert report["totals"].counts == {"contacted": 0, "pilot": 0, "adopted": 0, "live": 1, "stopped": 1, "none": 0}
    [row] = report["challenges"]
    assert row["challenge"].id == two_events["shade"].id and len(row["group"].projects) == 2
    [proposal] = report["proposals"]
    assert proposal["proposal"].id == two_events["idea"].id and proposal["challenge"].id == two_events["shade"].id
    assert proposal["group"].counts["live"] == 1
    by_dataset = {row["slug"]: row for row in report["datasets"]}
    assert [p.title for p in by_dataset["trees"]["group"].live] == ["Shade map"]
    assert [p.title for p in by_dataset["benches"]["group"].projects] == ["Stop finder"]


def test_impact_across_events_groups_by_department_and_dataset(session, two_events):
    report = impact.impact_report(session)
    assert [p.title for p in report["projects"]] == ["Shade map", "Stop finder", "Bench rater"]  # no draft
    assert report["totals"].counts["none"] == 1
    departments = {row["department"]: row["group"].counts for row in report["departments"]}
    assert departments["Mobility"]["live"] == 1 and departments["Mobility"]["stopped"] == 1
    assert departments["Green spaces"]["none"] == 1
    datasets = {row["slug"]: len(row["group"].projects) for row in report["datasets"]}
    assert datasets == {"trees": 2, "benches": 2}
    as_json = impact.impact_dict(report)
    assert as_json["events"] == ["spring", "winter"]
    [benches] = [row for row in as_json["datasets"] if row["slug"] == "benches"]
    assert benches["projects"] == [two_events["b"].id, two_events["c"].id] and benches["live"] == []


def test_impact_counts_in_a_handful_of_queries(session, two_events):
    """No query per project: ten more projects cost no more queries."""
    import sqlalchemy as sa

    statements = []

    def count(*_args):
        statements.append(1)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        session.expire_all()
        impact.impact_report(session)
        few = len(statements)
        for n in range(10):
            project(session, two_events["second"], f"Extra {n}", data={"challenge_id": two_events["benches"].id})
        session.expire_all()
        statements.clear()
        impact.impact_report(session)
        assert len(statements) == few
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_impact_csv_is_spreadsheet_safe(session, two_events):
    text = impact.impact_csv(impact.impact_report(session))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["project"] for r in rows] == ["Shade map", "Stop finder", "Bench rater"]
    assert rows[0]["status"] == "live" and rows[0]["url"] == "https://shade.example"
    assert rows[0]["from_proposal"] == "Shade for bus stops"
    assert rows[1]["note"].startswith("'=HYPERLINK")  # a formula is text, not run
    assert "@" not in text  # nobody's e-mail address


def test_outcome_dates_are_calendar_days(session, world):
    organizer, _, submission, _ = world
    outcome = outcomes.record_outcome(
        session, organizer, submission, {"status": "adopted", "date": "2025-01-20"}, now=AFTER
    )
    assert outcome.happened_on == date(2025, 1, 20)

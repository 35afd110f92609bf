"""Publishing results: the warnings and the confirmation, the frozen snapshot, withdrawing (logged)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import ResultsPublication
from hackkit.services import assignments, judging, judging_setup, publication, scoring
from hackkit.services.errors import Conflict, Forbidden
from tests import factories as f
from tests.judging import world as w


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def _score_everything(session, world, values=None) -> None:
    """Every judge scores every project on every criterion (A best, C last by default)."""
    assignments.run_assignment(session, world.organizer, world.event, 3)
    values = values or {"A": 5, "B": 3, "C": 1}
    for n in range(3):
        judge = world.people[f"judge{n}"]
        for letter, submission in world.submissions.items():
            scores = {str(c.id): min(values[letter] + n % 2, c.scale_max) for c in world.criteria}
            scoring.save_scores(session, judge, submission, {"scores": scores})


def _public_ranking(session, event, method="normalised"):
    found = scoring.results(session, None, event, method)
    return [(row["submission_id"], row["rank"], row["score"], row["raw_score"]) for row in found["results"]]


def test_publishing_with_nothing_missing_needs_no_confirmation(session):
    world = w.build(session)
    _score_everything(session, world)
    assert publication.missing_for_publication(session, world.event) == []
    done = publication.publish_results(session, world.organizer, world.event)
    assert done["published"] is True and done["missing"] == []


def test_publishing_with_gaps_is_refused_without_confirm_and_lists_them(session):
    world = w.build(session)
    assignments.run_assignment(session, world.organizer, world.event, 1)
    judge_of_a = next(
        a.judge
        for a in assignments.assignments_of(session, world.organizer, world.event)
        if a.submission_id == world.submissions["A"].id
    )
    # One criterion of two for A; B and C nobody scored. A's judge scored nothing else, so A has
    # no normalised value either: all three are unranked.
    scoring.save_scores(session, judge_of_a, world.submissions["A"], {"scores": {str(world.criteria[0].id): 4}})
    with pytest.raises(Conflict) as refused:
        publication.publish_results(session, world.organizer, world.event)
    missing = refused.value.details["missing"]
    unranked = {m["submission_id"] for m in missing if m["kind"] == "unranked"}
    assert unranked == {s.id for s in world.submissions.values()}
    a_id = world.submissions["A"].id
    partial = [m for m in missing if m["kind"] == "missing_scores" and m["submission_id"] == a_id]
    assert partial == [
        {
            "kind": "missing_scores",
            "judge_id": judge_of_a.id,
            "judge": judge_of_a.display_name,
            "submission_id": a_id,
            "title": "Project A",
            "scored": 1,
            "criteria": 2,
            "text": f"{judge_of_a.display_name} has scored 1 of 2 criteria for Project A (#{a_id}).",
        }
    ]
    assert refused.value.errors["confirm"]  # the same list, as messages for a page
    assert judging.settings_of(session, world.event).results_published is False
    with pytest.raises(Forbidden):
        scoring.results(session, None, world.event)  # still not public
    done = publication.publish_results(session, world.organizer, world.event, confirm=True)
    assert done["published"] is True and len(done["missing"]) == len(missing)
    log = publication.publication_log(session, world.organizer, world.event)
    assert [(e.action, e.actor_id, e.missing) for e in log] == [("published", world.organizer.id, len(missing))]


def test_changing_criteria_after_publication_is_refused_and_the_public_ranking_stays(session):
    world = w.build(session)
    _score_everything(session, world)
    publication.publish_results(session, world.organizer, world.event)
    before = {m: _public_ranking(session, world.event, m) for m in ("normalised", "raw")}
    impact, data_use = world.criteria
    with pytest.raises(Conflict, match="results are published"):
        judging_setup.add_criterion(session, world.organizer, world.event, {"name": "Design", "weight": 5})
    with pytest.raises(Conflict, match="results are published"):
        judging_setup.update_criterion(session, world.organizer, impact, {"weight": 0.1})
    with pytest.raises(Conflict, match="results are published"):
        judging_setup.delete_criterion(session, world.organizer, data_use)
    session.expire_all()
    assert [(c.name, c.weight) for c in judging.criteria_of(session, world.event)] == [
        ("Impact", 2),
        ("Use of data", 1),
    ]
    assert {m: _public_ranking(session, world.event, m) for m in ("normalised", "raw")} == before


def test_every_change_to_the_judging_is_refused_while_published(session):
    world = w.build(session)
    _score_everything(session, world)
    publication.publish_results(session, world.organizer, world.event)
    organizer, event, judge = world.organizer, world.event, world.people["judge0"]
    a_sub = world.submissions["A"]
    newcomer = f.user(session, "judge")
    one = assignments.assignments_of(session, organizer, event)[0]
    refused = {
        "add judge": lambda: judging_setup.add_judge(session, organizer, event, newcomer.email),
        "remove judge": lambda: judging_setup.remove_judge(session, organizer, event, judge.id),
        "declare conflict": lambda: judging_setup.declare_conflict(session, judge, a_sub, {"kind": "relation"}),
        "record conflict": lambda: judging_setup.declare_conflict(
            session, organizer, a_sub, {"kind": "relation"}, judge_id=judge.id
        ),
        "run assignment": lambda: assignments.run_assignment(session, organizer, event, 2),
        "unassign": lambda: assignments.unassign(session, organizer, one.id),
        "score": lambda: scoring.save_scores(session, judge, a_sub, {"scores": {str(world.criteria[0].id): 1}}),
        "mode": lambda: judging_setup.update_settings(
            session, organizer, event, {"mode": "pairwise", "confirm_mode_change": True}
        ),
        "window": lambda: judging_setup.update_settings(
            session, organizer, event, {"closes_at": w.later(60).isoformat()}
        ),
    }
    allowed = []
    for name, change in refused.items():
        try:
            change()
        except Conflict as error:
            assert "results are published" in str(error.message), name
        else:
            allowed.append(name)
        session.rollback()
    assert allowed == []
    assert judging.is_judge(session, event, judge) and not judging.is_judge(session, event, newcomer)
    assert not judging.is_conflicted(session, judge, a_sub)
    # The public vote window is apart from the jury's ranking and may still be set.
    judging_setup.update_settings(session, organizer, event, {"public_vote_opens": w.later(1).isoformat()})


def test_public_readers_get_the_snapshot_organizers_the_live_results(session):
    world = w.build(session)
    _score_everything(session, world)
    publication.publish_results(session, world.organizer, world.event)
    snapshot = _public_ranking(session, world.event)
    # A change made behind the services' back (straight in the database) moves only the live view.
    settings = judging.settings_of(session, world.event)
    world.criteria[0].weight = 0.01
    session.commit()
    assert _public_ranking(session, world.event) == snapshot
    assert settings.results_snapshot["criteria"][0]["weight"] == 2
    public = scoring.results(session, None, world.event)
    assert public["published"] is True and [c["name"] for c in public["criteria"]] == ["Impact", "Use of data"]
    live = scoring.results(session, world.organizer, world.event)
    assert live["criteria"][0]["weight"] == 0.01


def test_withdrawing_is_logged_and_unfreezes_then_a_new_snapshot_is_taken(session):
    world = w.build(session)
    _score_everything(session, world)
    publication.publish_results(session, world.organizer, world.event)
    other = f.user(session, "organizer")
    publication.unpublish_results(session, other, world.event)
    settings = judging.settings_of(session, world.event)
    assert settings.results_published is False and settings.results_snapshot is None
    judging_setup.update_criterion(session, world.organizer, world.criteria[1], {"weight": 10})
    publication.publish_results(session, world.organizer, world.event)
    assert scoring.results(session, None, world.event)["criteria"][1]["weight"] == 10
    log = publication.publication_log(session, world.organizer, world.event)
    assert [(e.action, e.actor_id) for e in log] == [
        ("published", world.organizer.id),
        ("unpublished", other.id),
        ("published", world.organizer.id),
    ]
    rows = session.scalars(sa.select(ResultsPublication).where(ResultsPublication.event_id == world.event.id))
    assert all(row.created_at is not None for row in rows)


def test_publishing_twice_changes_nothing_and_logs_once(session):
    world = w.build(session)
    _score_everything(session, world)
    first = publication.publish_results(session, world.organizer, world.event)
    again = publication.publish_results(session, world.organizer, world.event)
    assert again["published_at"] == first["published_at"]
    assert len(publication.publication_log(session, world.organizer, world.event)) == 1

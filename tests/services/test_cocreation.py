"""Rules of the co-creation loop, without HTTP: usage, feedback, proposals and votes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import Dataset, ProposalVote
from hackkit.services import feedback, proposals, submissions, usage
from hackkit.services.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from tests import factories as f
from tests.cocreation import world as w


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


# Dataset usage -------------------------------------------------------------------------------


def test_a_dataset_lists_submitted_projects_with_how_they_used_it(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    heat = w.challenge(session, ev, organizer, "Cooler streets", ["trees"])
    w.project_using(session, ev, "trees", how="shade per street", title="Shade map", challenge=heat)
    w.project_using(session, ev, "trees", title="Draft idea", status="draft")
    trees = session.query(Dataset).filter_by(slug="trees").one()
    used = usage.dataset_usage(session, None, trees)
    assert [(p["title"], p["how"], p["challenge"].title) for p in used] == [
        ("Shade map", "shade per street", "Cooler streets")
    ]


def test_projects_of_a_draft_event_are_not_shown_to_the_public(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    w.project_using(session, ev, "trees")
    ev.visibility = "draft"
    session.commit()
    trees = session.query(Dataset).filter_by(slug="trees").one()
    assert usage.dataset_usage(session, None, trees) == []
    assert len(usage.dataset_usage(session, organizer, trees)) == 1


def test_reports_count_projects_challenges_and_feedback_totals_first(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    heat = w.challenge(session, ev, organizer, "Cooler streets", ["trees"])
    w.challenge(session, ev, organizer, "Safer crossings")
    w.project_using(session, ev, "trees", how="shade", title="Shade map", challenge=heat)
    w.project_using(session, ev, "trees", title="Tree quiz")
    f.catalogue_dataset(session, "bike-counts")
    reporter = f.user(session)
    feedback.create_feedback(session, reporter, {"dataset": "trees", "kind": "wrong_values", "title": "Height 900 m"})
    feedback.create_feedback(session, reporter, {"title": "Noise sensors"})

    by_dataset = usage.datasets_report(session, organizer)
    assert by_dataset["totals"] == {
        "datasets": 2,
        "datasets_used": 1,
        "projects": 2,
        "projects_using_data": 2,
        "feedback_open": 1,
        "feedback_total": 1,
        "requests_open": 1,
        "requests_total": 1,
    }
    first = by_dataset["datasets"][0]
    assert first["dataset"].slug == "trees" and len(first["projects"]) == 2
    assert [c.title for c in first["challenges"]] == ["Cooler streets"]
    assert first["feedback"]["open"] == 1

    by_challenge = usage.challenges_report(session, organizer)
    assert by_challenge["totals"]["challenges"] == 2 and by_challenge["totals"]["challenges_with_projects"] == 1
    rows = {row["challenge"].title: row for row in by_challenge["challenges"]}
    assert rows["Cooler streets"]["datasets_used"] == ["trees"] and rows["Safer crossings"]["projects"] == []
    assert [p["title"] for p in by_challenge["without_challenge"]] == ["Tree quiz"]


def test_report_csv_is_spreadsheet_safe(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    w.project_using(session, ev, "trees", how='=HYPERLINK("http://evil")', title="=1+1")
    text = usage.challenges_report_csv(session, organizer)
    assert "'=1+1" in text and "trees: =HYPERLINK" in text  # inside a cell, not at its start
    assert usage.datasets_report_csv(session, organizer).splitlines()[1].startswith("trees,")


def test_only_organizers_read_the_report(session):
    with pytest.raises(Forbidden):
        usage.datasets_report(session, f.user(session, "judge"))
    with pytest.raises(Unauthorized):
        usage.challenges_report(session, None)


# Data feedback -------------------------------------------------------------------------------


def test_a_problem_report_needs_a_problem_kind_and_a_request_no_dataset(session):
    f.catalogue_dataset(session, "trees")
    person = f.user(session)
    item = feedback.create_feedback(
        session,
        person,
        {"dataset": "trees", "kind": "broken_coordinates", "title": "Trees in the sea", "column": "lat", "row": "17"},
    )
    assert (item.kind, item.column_name, item.row_ref, item.status) == ("broken_coordinates", "lat", "17", "open")
    request = feedback.create_feedback(session, person, {"title": "Public toilets", "column": "ignored"})
    assert request.kind == "request" and request.dataset_id is None and request.column_name == ""
    with pytest.raises(Invalid) as refused:
        feedback.create_feedback(session, person, {"dataset": "trees", "kind": "request", "title": "x"})
    assert "kind" in refused.value.errors
    with pytest.raises(Invalid) as unknown:
        feedback.create_feedback(session, person, {"dataset": "nope", "title": "x"})
    assert "dataset" in unknown.value.errors
    with pytest.raises(Invalid):
        feedback.create_feedback(session, person, {"dataset": "trees", "kind": "other", "title": " "})
    assert len(feedback.list_feedback(session, None)) == 2


def test_feedback_on_a_draft_dataset_stays_hidden(session):
    organizer = f.user(session, "organizer")
    session.add(Dataset(slug="draft-data", title="Draft", status="draft"))
    session.commit()
    item = feedback.create_feedback(session, organizer, {"dataset": "draft-data", "title": "Typo"})
    with pytest.raises(Invalid):
        feedback.create_feedback(session, f.user(session), {"dataset": "draft-data", "title": "x"})
    assert feedback.list_feedback(session, None) == []
    with pytest.raises(NotFound):
        feedback.get_feedback(session, None, item.id)
    assert feedback.list_feedback(session, organizer) == [item]


def test_the_publisher_answers_and_sets_the_status(session):
    organizer = f.user(session, "organizer")
    person = f.user(session)
    item = feedback.create_feedback(session, person, {"title": "Noise measurements"})
    with pytest.raises(Forbidden):
        feedback.answer_feedback(session, person, item, {"answer": "done", "status": "fixed"})
    with pytest.raises(Invalid) as empty:
        feedback.answer_feedback(session, organizer, item, {"answer": "", "status": "answered"})
    assert "answer" in empty.value.errors
    feedback.answer_feedback(session, organizer, item, {"answer": "We publish it in May.", "status": "answered"})
    assert (item.status, item.answered_by_id) == ("answered", organizer.id) and item.answered_at is not None
    feedback.answer_feedback(session, organizer, item, {"status": "fixed"})
    assert item.status == "fixed" and item.answer == "We publish it in May."
    assert [i.id for i in feedback.list_feedback(session, None, status="fixed", kind="request")] == [item.id]
    with pytest.raises(Invalid):
        feedback.list_feedback(session, None, status="closed")


# Resident proposals --------------------------------------------------------------------------


def test_residents_propose_and_vote_once_and_the_list_is_sorted_by_votes(session):
    ev = w.upcoming_event(session)
    alice, bob = f.user(session), f.user(session)
    first = proposals.propose(session, alice, ev, {"title": "Unsafe crossing", "neighbourhood": "Noord"})
    second = proposals.propose(session, bob, ev, {"title": "No shade at the bus stop"})
    proposals.vote(session, alice, second)
    proposals.vote(session, bob, second)
    proposals.vote(session, bob, first)
    with pytest.raises(Conflict):
        proposals.vote(session, bob, first)
    listed = proposals.list_proposals(session, alice, ev)
    assert [(item.proposal.title, item.votes, item.mine) for item in listed] == [
        ("No shade at the bus stop", 2, True),
        ("Unsafe crossing", 1, False),
    ]
    proposals.unvote(session, bob, second)
    proposals.unvote(session, alice, second)
    assert [item.proposal.id for item in proposals.list_proposals(session, None, ev)] == [first.id, second.id]
    with pytest.raises(NotFound):
        proposals.unvote(session, alice, second)


def test_proposals_and_votes_close_when_the_event_starts(session):
    ev = w.upcoming_event(session)
    person = f.user(session)
    proposal = proposals.propose(session, person, ev, {"title": "Bins overflow"})
    started = ev.starts_at + timedelta(seconds=1)
    with pytest.raises(Conflict):
        proposals.propose(session, person, ev, {"title": "Too late"}, now=started)
    with pytest.raises(Conflict):
        proposals.vote(session, person, proposal, now=started)
    assert session.query(ProposalVote).count() == 0


def test_hidden_proposals_disappear_for_the_public_and_closed_ones_take_no_votes(session):
    organizer = f.user(session, "organizer")
    ev = w.upcoming_event(session, organizer)
    person = f.user(session)
    spam = proposals.propose(session, person, ev, {"title": "Buy my stuff"})
    closed = proposals.propose(session, person, ev, {"title": "Duplicate"})
    with pytest.raises(Forbidden):
        proposals.moderate(session, person, spam, {"status": "hidden"})
    proposals.moderate(session, organizer, spam, {"status": "hidden"})
    proposals.moderate(session, organizer, closed, {"status": "closed"})
    assert [i.proposal.title for i in proposals.list_proposals(session, person, ev)] == ["Duplicate"]
    assert len(proposals.list_proposals(session, organizer, ev)) == 2
    with pytest.raises(NotFound):
        proposals.get_proposal(session, person, spam.id)
    with pytest.raises(Conflict):
        proposals.vote(session, person, closed)
    with pytest.raises(Invalid):
        proposals.moderate(session, organizer, closed, {"status": "deleted"})


def test_an_organizer_turns_a_proposal_into_a_linked_challenge_once(session):
    organizer = f.user(session, "organizer")
    ev = w.upcoming_event(session, organizer)
    person = f.user(session)
    proposal = proposals.propose(session, person, ev, {"title": "Heat in the city", "description": "*Hot* squares"})
    with pytest.raises(Forbidden):
        proposals.adopt(session, person, proposal)
    f.catalogue_dataset(session, "trees")  # a challenge offers catalogue datasets only
    challenge = proposals.adopt(session, organizer, proposal, {"department": "Environment", "datasets": "trees"})
    assert (challenge.title, challenge.description, challenge.department) == (
        "Heat in the city",
        "*Hot* squares",
        "Environment",
    )
    assert challenge.event_id == ev.id and challenge.proposal is proposal and proposal.challenge_id == challenge.id
    assert proposal.status == "closed"
    with pytest.raises(Conflict):
        proposals.adopt(session, organizer, proposal)
    with pytest.raises(Conflict):
        proposals.moderate(session, organizer, proposal, {"status": "open"})
    assert len(ev.challenges) == 1


def test_a_bad_challenge_leaves_the_proposal_unchanged(session):
    organizer = f.user(session, "organizer")
    ev = w.upcoming_event(session, organizer)
    proposal = proposals.propose(session, f.user(session), ev, {"title": "Parking"})
    with pytest.raises(Invalid):
        proposals.adopt(session, organizer, proposal, {"title": "x" * 201})
    session.rollback()
    session.refresh(proposal)
    assert proposal.challenge_id is None and proposal.status == "open" and ev.challenges == []


def test_a_project_that_only_mentions_a_dataset_in_its_text_is_not_listed(session):
    ev = f.event(session)
    w.project_using(session, ev, "bikes", title="About trees and more trees")
    trees = f.catalogue_dataset(session, "trees")
    assert usage.dataset_usage(session, None, trees) == []


def test_a_deleted_account_leaves_its_words_and_takes_its_votes(session):
    from hackkit.services import accounts
    from tests.conftest import TEST_PASSWORD

    ev = w.upcoming_event(session)
    leaver, stayer = f.user(session), f.user(session)
    item = feedback.create_feedback(session, leaver, {"title": "Noise data"})
    proposal = proposals.propose(session, leaver, ev, {"title": "Loud trams"})
    proposals.vote(session, leaver, proposal)
    proposals.vote(session, stayer, proposal)
    accounts.delete_account(session, leaver, TEST_PASSWORD)
    session.expire_all()
    assert item.reporter is None and proposal.author is None
    assert [(i.votes, i.mine) for i in proposals.list_proposals(session, stayer, ev)] == [(1, True)]


def test_a_dataset_page_lists_the_version_frozen_at_the_deadline_and_no_late_credit(session):
    # After the deadline the public sees each project's last version saved before it: a credit
    # dropped later still counts, a credit first saved later does not; drafts never count.
    from hackkit.models.base import utcnow

    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    heat = w.challenge(session, ev, organizer, "Cooler streets", ["trees"])
    f.catalogue_dataset(session, "bikes")
    f.catalogue_dataset(session, "tree_s")  # a LIKE wildcard in a slug matches only itself
    before, after = utcnow() - timedelta(hours=2), utcnow() - timedelta(hours=1)

    captains = {title: f.registered(session, ev) for title in ("Kept", "Late", "Draft")}
    teams = {title: f.team(session, ev, captain=captain) for title, captain in captains.items()}

    def save(title, slug, status, now):
        data = {"title": title, "datasets": [{"slug": slug, "how": "x"}], "challenge_id": heat.id}
        submissions.save_submission(session, captains[title], teams[title], data, status=status, now=now)

    save("Kept", "trees", "submitted", before)
    save("Kept", "bikes", "submitted", after)
    save("Late", "trees", "submitted", after)
    save("Draft", "trees", "draft", before)
    ev.submission_deadline = utcnow() - timedelta(minutes=90)
    session.commit()

    def titles(slug):
        dataset = session.query(Dataset).filter_by(slug=slug).one()
        return [(p["title"], p["challenge"].title) for p in usage.dataset_usage(session, None, dataset)]

    assert titles("trees") == [("Kept", "Cooler streets")]
    assert titles("bikes") == []
    assert titles("tree_s") == []

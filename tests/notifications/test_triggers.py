"""Each happening mails the people it concerns, and only them, in their language, through a
real SMTP server on localhost; a switch turned off stops it."""

from __future__ import annotations

import re
from datetime import timedelta

from hackkit.models import OutboxItem
from hackkit.models.base import utcnow
from hackkit.services import (
    assignments,
    events,
    feedback,
    judging_setup,
    notification_settings,
    proposals,
    publication,
    scoring,
    submissions,
    teams,
)
from tests import factories as f
from tests.judging import world as judged
from tests.notifications.helpers import PUBLIC_URL, addressed_to, deliver, text_of


def quiet_event(session, organizer=None):
    """An event whose deadline is days away, so no deadline reminder joins the mails."""
    later = f.now() + timedelta(days=5)
    return f.event(session, organizer, submission_deadline=later.isoformat(), ends_at=later.isoformat())


def switch_off(session, person, kind):
    wanted = {k: True for k, on in notification_settings.preferences_of(session, person).items() if on and k != kind}
    notification_settings.update_preferences(session, person, wanted)


def test_an_announcement_reaches_the_registered_in_their_language_with_unsubscribe_headers(
    mail_app, session, smtp_server
):
    event = f.event(session)
    english, dutch, quiet = (f.registered(session, event) for _ in range(3))
    dutch.locale = "nl"
    session.commit()
    switch_off(session, quiet, "announcements")
    f.user(session)  # not registered: hears nothing
    organizer = f.user(session, "organizer")

    events.post_announcement(session, organizer, event, "The venue opens at 9:00.")
    report = deliver(mail_app)

    assert len(report.sent) == 2
    messages = smtp_server.wait_for(2)
    assert addressed_to(messages) == sorted([english.email, dutch.email])
    by_address = {m["To"]: m for m in messages}
    mail_en, mail_nl = by_address[english.email], by_address[dutch.email]
    assert "a new announcement" in mail_en["Subject"]
    assert "een nieuwe mededeling" in mail_nl["Subject"]
    assert "The venue opens at 9:00." in text_of(mail_nl)
    assert "Hallo" in text_of(mail_nl) and "Hello" in text_of(mail_en)
    for message in messages:
        unsubscribe = message["List-Unsubscribe"]
        assert re.fullmatch(rf"<{re.escape(PUBLIC_URL)}/unsubscribe/[\w.-]+>", unsubscribe), unsubscribe
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe.strip("<>") in text_of(message)  # the same link in the body
        assert f"{PUBLIC_URL}/events/{event.slug}" in text_of(message)
        assert f"{PUBLIC_URL}/account#notifications" in text_of(message)
    # The next pass sends nothing again.
    assert deliver(mail_app).handled == 0


def test_a_join_request_mails_the_captain_and_the_answer_mails_the_requester(mail_app, session, smtp_server):
    event = quiet_event(session)
    captain = f.registered(session, event)
    team = f.team(session, event, captain, name="Data Divers")
    asker, bystander = f.registered(session, event), f.registered(session, event)

    request = teams.request_to_join(session, asker, team, "I know Leaflet.")
    deliver(mail_app)
    [to_captain] = smtp_server.wait_for(1)
    assert to_captain["To"] == captain.email
    assert asker.display_name in to_captain["Subject"]
    assert "I know Leaflet." in text_of(to_captain)
    assert f"{PUBLIC_URL}/teams/{team.id}" in text_of(to_captain)

    teams.decide_join_request(session, captain, request, accept=True)
    deliver(mail_app)
    answer = smtp_server.wait_for(2)[1]
    assert answer["To"] == asker.email
    assert "You are in team Data Divers" == answer["Subject"]
    assert bystander.email not in addressed_to(smtp_server.messages)


def test_deadline_reminders_go_24h_and_1h_before_only_to_teams_that_have_not_submitted(mail_app, session, smtp_server):
    event = f.event(session)
    done_captain, late_captain = f.registered(session, event), f.registered(session, event)
    done_team = f.team(session, event, done_captain)
    late_team = f.team(session, event, late_captain)
    late_member = f.registered(session, event)
    late_member.locale = "nl"
    session.commit()
    teams.join_team(session, late_member, late_team, late_team.invite_code)
    submissions.save_submission(session, done_captain, done_team, {"title": "Ready"}, status="submitted")
    submissions.save_submission(session, late_captain, late_team, {"title": "Draft"})
    deadline = event.submission_deadline

    assert deliver(mail_app, now=deadline - timedelta(hours=30)).handled == 0  # nothing due yet
    deliver(mail_app, now=deadline - timedelta(hours=23))
    first = smtp_server.wait_for(2)
    assert addressed_to(first) == sorted([late_captain.email, late_member.email])
    subjects = {m["To"]: m["Subject"] for m in first}
    assert "one day until the deadline" in subjects[late_captain.email]
    assert "nog één dag tot de deadline" in subjects[late_member.email]
    assert deliver(mail_app, now=deadline - timedelta(hours=22)).handled == 0  # once per stage

    deliver(mail_app, now=deadline - timedelta(minutes=40))
    second = smtp_server.wait_for(4)[2:]
    assert addressed_to(second) == sorted([late_captain.email, late_member.email])
    subjects = {m["To"]: m["Subject"] for m in second}
    assert "one hour until the deadline" in subjects[late_captain.email]
    assert "nog één uur tot de deadline" in subjects[late_member.email]
    assert deliver(mail_app, now=deadline - timedelta(minutes=10)).handled == 0
    assert done_captain.email not in addressed_to(smtp_server.messages)


def test_turning_deadlines_off_leaves_that_person_out(mail_app, session, smtp_server):
    event = f.event(session)
    captain, member = f.registered(session, event), f.registered(session, event)
    team = f.team(session, event, captain)
    teams.join_team(session, member, team, team.invite_code)
    switch_off(session, member, "deadlines")
    deliver(mail_app, now=event.submission_deadline - timedelta(minutes=30))
    assert addressed_to(smtp_server.wait_for(1)) == [captain.email]
    assert len(smtp_server.messages) == 1


def test_published_results_reach_the_registered_and_judged_teams_get_their_feedback_link(
    mail_app, session, smtp_server
):
    world = judged.build(session, judges=1)
    outsider = f.registered(session, world.event)
    publication.publish_results(session, world.organizer, world.event, confirm=True)
    report = deliver(mail_app)
    people = [p for key, p in world.people.items() if not key.startswith("judge")] + [outsider]
    messages = smtp_server.wait_for(len(people))
    assert len(report.sent) == len(people)
    assert addressed_to(messages) == sorted(p.email for p in people)
    by_address = {m["To"]: text_of(m) for m in messages}
    submission_a = world.submissions["A"]
    feedback_url = f"{PUBLIC_URL}/events/{world.event.slug}/projects/{submission_a.id}/feedback"
    assert feedback_url in by_address[world.people["member_A"].email]
    assert "feedback" not in by_address[outsider.email].split("-- ")[0]
    assert f"{PUBLIC_URL}/events/{world.event.slug}/results" in by_address[outsider.email]


def test_judges_hear_their_assignments_once_and_what_is_missing_a_day_before_judging_closes(
    mail_app, session, smtp_server
):
    world = judged.build(session, judges=2)
    assignments.run_assignment(session, world.organizer, world.event, per_submission=1)
    deliver(mail_app)
    messages = smtp_server.wait_for(2)
    judges = [world.people["judge0"], world.people["judge1"]]
    assert addressed_to(messages) == sorted(j.email for j in judges)
    assert all("your projects to judge" in m["Subject"] for m in messages)
    assert any("Project A" in text_of(m) for m in messages)
    # The same plan again: nobody's list changed, no new mail.
    assignments.run_assignment(session, world.organizer, world.event, per_submission=1)
    assert deliver(mail_app).handled == 0

    # Judge 0 scores everything; judge 1 owes scores when judging is about to close.
    judge0 = judges[0]
    for assignment in assignments.assignments_of(session, judge0, world.event):
        scores = {str(c.id): c.scale_min for c in world.criteria}
        scoring.save_scores(session, judge0, assignment.submission, {"scores": scores})
    closes = utcnow() + timedelta(days=2)
    judging_setup.update_settings(session, world.organizer, world.event, {"closes_at": closes.isoformat()})
    assert deliver(mail_app, now=closes - timedelta(hours=30)).handled == 0
    deliver(mail_app, now=closes - timedelta(hours=20))
    reminder = smtp_server.wait_for(3)[2]
    assert reminder["To"] == judges[1].email
    assert "scores still missing" in reminder["Subject"]
    assert deliver(mail_app, now=closes - timedelta(hours=10)).handled == 0


def test_answers_to_data_feedback_and_proposals_reach_their_authors(mail_app, session, smtp_server):
    organizer = f.user(session, "organizer")
    reporter, resident = f.user(session), f.user(session)
    resident.email_confirmed_at = utcnow()
    session.commit()
    item = feedback.create_feedback(session, reporter, {"title": "Where are the benches?"})
    feedback.answer_feedback(session, organizer, item, {"status": "answered", "answer": "Next month."})
    deliver(mail_app)
    [answer] = smtp_server.wait_for(1)
    assert answer["To"] == reporter.email and "Where are the benches?" in answer["Subject"]
    assert "Next month." in text_of(answer)

    event = f.event(
        session,
        organizer,
        starts_at=(f.now() + timedelta(days=3)).isoformat(),
        ends_at=(f.now() + timedelta(days=4)).isoformat(),
        submission_deadline=(f.now() + timedelta(days=4)).isoformat(),
        registration_closes=(f.now() + timedelta(days=3)).isoformat(),
    )
    proposal = proposals.propose(session, resident, event, {"title": "Shade on playgrounds"})
    other = proposals.propose(session, resident, event, {"title": "More bins"})
    proposals.adopt(session, organizer, proposal)
    proposals.moderate(session, organizer, other, {"status": "closed"})
    proposals.moderate(session, organizer, other, {"status": "closed"})  # again: no second mail
    deliver(mail_app)
    adopted, closed = smtp_server.wait_for(3)[1:]
    assert adopted["To"] == closed["To"] == resident.email
    assert "into a challenge" in text_of(adopted)
    assert "closed your proposal “More bins”" in text_of(closed)
    assert len(smtp_server.messages) == 3


def test_nothing_is_queued_for_a_change_that_is_refused(mail_app, session):
    event = f.event(session)
    captain = f.registered(session, event)
    team = f.team(session, event, captain)
    outsider = f.user(session)  # not registered: the request is refused
    try:
        teams.request_to_join(session, outsider, team, "")
    except Exception:  # noqa: BLE001
        session.rollback()
    assert session.query(OutboxItem).count() == 0


def test_organizers_are_asked_what_became_of_the_projects_at_three_and_twelve_months(mail_app, session, smtp_server):
    from hackkit.services import outcomes
    from tests.outcomes.world import ENDED, past_event, project

    organizer = f.user(session, "organizer")
    organizer.locale = "nl"
    other_organizer = f.user(session, "organizer")
    session.commit()
    event = past_event(session, organizer)
    submission, captain = project(session, event, title="Bankjeszoeker")
    three = ENDED.replace(month=4)  # the event ended on 12 January: due on 12 April

    assert deliver(mail_app, now=three - timedelta(minutes=1)).handled == 0
    deliver(mail_app, now=three)
    mails = smtp_server.wait_for(2)
    assert addressed_to(mails) == sorted([organizer.email, other_organizer.email])
    assert captain.email not in addressed_to(mails)
    dutch = next(m for m in mails if m["To"] == organizer.email)
    assert "Bankjeszoeker" in text_of(dutch) and "wat is er van de projecten geworden" in dutch["Subject"]
    assert deliver(mail_app, now=three + timedelta(days=1)).handled == 0  # once per milestone

    # Recorded since: nothing at twelve months for a stopped project either.
    outcomes.record_outcome(session, organizer, submission, {"status": "stopped", "note": "no data"}, now=three)
    assert deliver(mail_app, now=ENDED.replace(year=ENDED.year + 1)).handled == 0

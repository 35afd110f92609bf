"""Organizers write to a segment of an event: counted in a dry run, then sent, kept on the event;
and the event's outbox shows what was sent and what failed, with "send again"."""

from __future__ import annotations

from datetime import timedelta

from hackkit.extensions import db
from hackkit.models import EventMessage, OutboxItem
from hackkit.models.base import utcnow
from hackkit.services import assignments, event_messages, notification_settings, outbox, scoring, teams
from tests import factories as f
from tests.conftest import TEST_PASSWORD, post_form
from tests.judging import world as judged
from tests.notifications.helpers import addressed_to, deliver, text_of


def build(session):
    """A judged event (teams A, B, C submitted, two judges), plus a team without a submission
    and two registered people without a team, one of whom turned organizers' messages off."""
    world = judged.build(session, judges=2)
    event = world.event
    event.submission_deadline = utcnow() + timedelta(days=3)  # reopen: a new team may still form
    session.commit()
    late = f.registered(session, event)
    teams.create_team(session, late, event, {"name": "Team Late"})
    loner, quiet = f.registered(session, event), f.registered(session, event)
    notification_settings.update_preferences(
        session, quiet, {k: True for k in notification_settings.LABELS if k != "organizer_messages"}
    )
    world.people.update(late=late, loner=loner, quiet=quiet)
    judged.close_submissions(session, event)
    assignments.run_assignment(session, world.organizer, event, per_submission=1)
    judge0 = world.people["judge0"]
    for assignment in assignments.assignments_of(session, judge0, event):
        scores = {str(c.id): c.scale_min for c in world.criteria}
        scoring.save_scores(session, judge0, assignment.submission, {"scores": scores})
    return world


def test_each_segment_counts_the_right_people(mail_app, session):
    world = build(session)
    p = world.people
    expected = {
        "registered": [v for k, v in p.items() if not k.startswith("judge")],
        "no_submission": [p["late"]],
        "looking_for_team": [p["loner"], p["quiet"]],
        "judges_missing_scores": [p["judge1"]],
    }
    for segment, people in expected.items():
        found = event_messages.segment_people(session, world.event, segment)
        assert sorted(u.id for u in found) == sorted(u.id for u in people), segment
    queued = session.query(OutboxItem).count()  # the judges' assignment mails
    outcome = event_messages.send_message(
        session,
        world.organizer,
        world.event,
        {"segment": "looking_for_team", "subject": "Hi", "body": "x", "dry_run": True},
    )
    assert (outcome.recipients, outcome.switched_off) == (1, 1)
    assert session.query(EventMessage).count() == 0 and session.query(OutboxItem).count() == queued


def test_the_api_counts_in_a_dry_run_then_sends_and_keeps_the_message(mail_app, smtp_server):
    # No app context around the requests: each must get its own `g` (who is calling).
    with mail_app.app_context():
        world = build(db.session)
        headers = judged.bearer(db.session, world.organizer)
        member = judged.bearer(db.session, world.people["captain_A"])
        slug, name, late = world.event.slug, world.event.name, world.people["late"].email
    deliver(mail_app)  # the judges' assignment mails
    already = len(smtp_server.wait_for(2))
    url = f"/api/v1/events/{slug}/messages"
    body = {"segment": "no_submission", "subject": "Need help?", "body": "Mentors are at table 3."}
    client = mail_app.test_client()

    dry = client.post(url, json={**body, "dry_run": True}, headers=headers)
    assert dry.status_code == 200
    assert dry.get_json() == {"recipients": 1, "switched_off": 0, "dry_run": True, "message": None}
    assert client.get(url, headers=headers).get_json() == {"messages": []}

    sent = client.post(url, json=body, headers=headers)
    assert sent.status_code == 201, sent.get_json()
    answer = sent.get_json()
    assert answer["recipients"] == 1 and answer["message"]["subject"] == "Need help?"
    assert client.post(url, json={**body, "segment": "everyone"}, headers=headers).status_code == 400
    assert client.post(url, json=body, headers=member).status_code == 403
    listed = client.get(url, headers=headers).get_json()["messages"]
    assert [m["id"] for m in listed] == [answer["message"]["id"]]

    deliver(mail_app)
    [mail] = smtp_server.wait_for(already + 1)[already:]
    assert mail["To"] == late
    assert mail["Subject"] == f"{name}: Need help?"
    assert "Mentors are at table 3." in text_of(mail)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_message_page_previews_with_the_count_then_sends(mail_app, smtp_server):
    with mail_app.app_context():
        world = build(db.session)
        slug, organizer = world.event.slug, world.organizer.email
        loner = world.people["loner"].email
    client = mail_app.test_client()
    post_form(client, "/login", {"email": organizer, "password": TEST_PASSWORD})
    url = f"/events/{slug}/messages"
    form = {"segment": "looking_for_team", "subject": "Teams", "body": "Table 5 finds you a team.", "action": "preview"}
    preview = post_form(client, url, form)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "1 person will get this e-mail." in page and "1 more turned organizers" in page
    assert "Table 5 finds you a team." in page and 'value="send"' in page
    with mail_app.app_context():
        assert db.session.query(EventMessage).count() == 0

    sent = post_form(client, url, {**form, "action": "send"})
    assert sent.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "on its way to 1 people" in page or "on its way" in page
    assert "Sent messages (1)" in page
    deliver(mail_app)
    assert loner in addressed_to(smtp_server.messages)


def test_the_outbox_page_shows_a_failure_and_sends_a_given_up_mail_again(mail_app, smtp_server):
    with mail_app.app_context():
        world = build(db.session)
        slug, organizer = world.event.slug, world.organizer.email
    smtp_server.stop()
    now = utcnow()
    for attempt in range(outbox.MAX_ATTEMPTS):
        deliver(mail_app, now=now + timedelta(days=attempt))
    with mail_app.app_context():
        dead = db.session.query(OutboxItem).filter_by(status="dead").all()
        assert dead, "every mail should have been given up"
        item_id, recipient = dead[0].id, dead[0].recipient
    client = mail_app.test_client()
    post_form(client, "/login", {"email": organizer, "password": TEST_PASSWORD})
    page = client.get(f"/events/{slug}/outbox").get_data(as_text=True)
    assert "Given up" in page and "ConnectionRefusedError" in page and recipient in page
    answer = post_form(client, f"/events/{slug}/outbox/{item_id}/retry", {}, page=f"/events/{slug}/outbox")
    assert answer.status_code == 302
    smtp_server.start()
    report = deliver(mail_app)
    assert report.sent == [item_id]
    assert smtp_server.wait_for(1)[0]["To"] == recipient

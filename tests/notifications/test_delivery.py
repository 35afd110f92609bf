"""The worker against a real SMTP server: nothing lost while it is away, sent once when it is
back; the CLI; and the unsubscribe link and account switches over HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta

from hackkit.extensions import db
from hackkit.models import Event, OutboxItem, User
from hackkit.models.base import utcnow
from hackkit.services import events, mail_worker, notification_settings, outbox
from tests import factories as f
from tests.conftest import TEST_PASSWORD, post_form
from tests.notifications.helpers import PUBLIC_URL, deliver


def quiet_event(session):
    later = f.now() + timedelta(days=5)
    return f.event(session, submission_deadline=later.isoformat(), ends_at=later.isoformat())


def announce(session, event, text="Lunch is served."):
    return events.post_announcement(session, f.user(session, "organizer"), event, text)


def test_a_mail_server_that_is_away_loses_nothing_and_the_mail_goes_once_when_it_is_back(
    mail_app, session, smtp_server
):
    event = quiet_event(session)
    person = f.registered(session, event)
    announce(session, event)
    smtp_server.stop()
    now = utcnow()
    report = deliver(mail_app, now=now)
    assert report.retrying and not report.sent
    item = session.query(OutboxItem).one()
    assert item.status == "retrying" and "Connection" in item.last_error

    smtp_server.start()
    # Not yet due: the back-off holds it back even though the server is up again.
    assert deliver(mail_app, now=now + timedelta(seconds=30)).handled == 0
    report = deliver(mail_app, now=now + outbox.backoff(1))
    assert len(report.sent) == 1
    assert deliver(mail_app, now=now + timedelta(days=2)).handled == 0
    [message] = smtp_server.wait_for(1)
    assert message["To"] == person.email
    assert len(smtp_server.messages) == 1
    session.expire_all()
    assert session.get(OutboxItem, item.id).status == "sent"


def test_mail_send_once_on_the_command_line_delivers_the_outbox(mail_app, session, smtp_server):
    event = quiet_event(session)
    person = f.registered(session, event)
    announce(session, event)
    result = mail_app.test_cli_runner().invoke(args=["mail", "send", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert smtp_server.wait_for(1)[0]["To"] == person.email


def test_the_thread_in_hackkit_run_sends_the_outbox_unless_turned_off(mail_app, smtp_server):
    with mail_app.app_context():
        event = quiet_event(db.session)
        email = f.registered(db.session, event).email
        announce(db.session, event)
    stop = threading.Event()
    thread = mail_worker.start_thread(mail_app, stop=stop)
    try:
        assert smtp_server.wait_for(1)[0]["To"] == email
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    mail_app.config["HACKKIT_MAIL_WORKER"] = "off"
    assert mail_worker.start_thread(mail_app) is None


def unsubscribe_path(message) -> str:
    return message["List-Unsubscribe"].strip("<>").removeprefix(PUBLIC_URL)


def test_the_one_click_unsubscribe_post_works_without_logging_in_and_a_get_changes_nothing(
    mail_app, session, smtp_server
):
    event = quiet_event(session)
    person = f.registered(session, event)
    announce(session, event)
    deliver(mail_app)
    path = unsubscribe_path(smtp_server.wait_for(1)[0])
    client = mail_app.test_client()

    page = client.get(path)  # a mail scanner opening the link
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
    assert notification_settings.preferences_of(session, person)["announcements"] is True

    # RFC 8058: a mail program posts this body, with no cookie and no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    session.expire_all()
    assert notification_settings.preferences_of(session, person)["announcements"] is False
    assert notification_settings.preferences_of(session, person)["deadlines"] is True  # only that kind

    announce(session, event, "Second announcement")
    assert deliver(mail_app).handled == 0
    assert len(smtp_server.messages) == 1


def test_a_forged_or_changed_unsubscribe_link_turns_nothing_off(mail_app, session, smtp_server):
    event = quiet_event(session)
    person, other = f.registered(session, event), f.registered(session, event)
    secret = mail_app.config["SECRET_KEY"]
    good = notification_settings.unsubscribe_token(person.id, "announcements", secret)
    forged = notification_settings.unsubscribe_token(other.id, "announcements", "not the hub's secret")
    changed = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    client = mail_app.test_client()
    for token in (forged, changed, "nonsense"):
        answer = client.post(f"/unsubscribe/{token}")
        assert answer.status_code == 400
        assert "not valid" in answer.get_data(as_text=True)
    session.expire_all()
    assert notification_settings.preferences_of(session, other)["announcements"] is True
    assert notification_settings.preferences_of(session, person)["announcements"] is True


def test_the_account_page_switches_turn_a_kind_off_and_choose_the_language(mail_app, smtp_server):
    # No app context held around the requests: each request must get its own (and its own g).
    with mail_app.app_context():
        event = quiet_event(db.session)
        person = f.registered(db.session, event)
        event_id, person_id, email = event.id, person.id, person.email
    client = mail_app.test_client()
    post_form(client, "/login", {"email": email, "password": TEST_PASSWORD})
    page = client.get("/account").get_data(as_text=True)
    assert 'name="kind" value="announcements"' in page and "checked" in page
    kept = [k for k in notification_settings.LABELS if k != "announcements"]
    answer = post_form(client, "/account/notifications", {"kind": kept, "locale": "nl"}, page="/account")
    assert answer.status_code == 302
    with mail_app.app_context():
        person = db.session.get(User, person_id)
        prefs = notification_settings.preferences_of(db.session, person)
        assert prefs["announcements"] is False and all(prefs[k] for k in kept)
        assert person.locale == "nl"
        announce(db.session, db.session.get(Event, event_id))
    assert deliver(mail_app).handled == 0
    page = client.get("/account").get_data(as_text=True)
    assert 'value="announcements" id="notify-announcements">' in page  # shown off

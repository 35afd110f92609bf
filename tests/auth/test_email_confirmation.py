"""Vote stuffing: sign-ups are limited per address, voting needs a confirmed e-mail address
(a link mailed through the real SMTP set-up), and organizers see how the votes came in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import Event, PublicVote, User
from hackkit.models.base import utcnow
from hackkit.services import judging_setup
from tests.api.helpers import token_for
from tests.conftest import TEST_PASSWORD, post_form
from tests.judging import world as w

PUBLIC_URL = "https://hub.example.org"
CONFIRM_LINK_RE = re.compile(r"https?://[^/\s]+(/account/confirm/\S+)")


@pytest.fixture
def app_settings(smtp_server):
    return {**smtp_server.config(), "HACKKIT_PUBLIC_URL": PUBLIC_URL, "HACKKIT_SIGNUP_LIMIT_ADDRESS": "3 per hour"}


@pytest.fixture
def vote_open(app):
    """A judged event whose public vote is open; (slug, a project's id, the organizer's e-mail)."""
    with app.app_context():
        built = w.build(db.session, judges=1)
        judging_setup.update_settings(
            db.session,
            built.organizer,
            built.event,
            {
                "public_vote_opens": (utcnow() - timedelta(minutes=1)).isoformat(),
                "public_vote_closes": (utcnow() + timedelta(hours=1)).isoformat(),
            },
        )
        return built.event.slug, built.submissions["A"].id, built.organizer.email


def sign_up(client, email: str, address: str = "192.0.2.10"):
    data = {"email": email, "display_name": "Resident", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD}
    return post_form(client, "/signup", data, environ_base={"REMOTE_ADDR": address})


def confirm_path(message) -> str:
    match = CONFIRM_LINK_RE.search(message.get_content())
    assert match, message.get_content()
    return match.group(1)


def test_a_new_account_confirms_its_address_before_it_can_vote(app, client, smtp_server, vote_open):
    slug, project, _organizer = vote_open
    # A stranger's Host header does not end up in the link: it uses HACKKIT_PUBLIC_URL.
    response = sign_up(client, "resident@example.org")
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "resident@example.org"
    assert CONFIRM_LINK_RE.search(message.get_content()).group(0).startswith(PUBLIC_URL + "/account/confirm/")

    vote_page = f"/events/{slug}/vote"
    page = client.get(vote_page).get_data(as_text=True)
    assert "To vote, confirm your e-mail address first" in page
    assert "Send the confirmation link again" in page
    assert f'name="submission_id" value="{project}"' not in page  # no vote button
    refused = post_form(client, vote_page, {"submission_id": str(project)})
    assert refused.status_code == 403
    assert "Confirm your e-mail address to vote" in refused.get_data(as_text=True)
    api = client.post(
        f"/api/v1/events/{slug}/public-votes",
        json={"submission_id": project},
        headers=token_for(client, "resident@example.org"),
    )
    assert api.status_code == 403 and "Confirm your e-mail address" in api.get_json()["error"]
    with app.app_context():
        assert db.session.query(PublicVote).count() == 0

    link = confirm_path(message)
    assert "Confirm my address" in client.get(link).get_data(as_text=True)  # a button, not a GET that confirms
    with app.app_context():
        assert db.session.query(User).filter_by(email="resident@example.org").one().email_confirmed_at is None
    assert post_form(client, link, {}).status_code == 303
    assert post_form(client, vote_page, {"submission_id": str(project)}).status_code == 302
    with app.app_context():
        assert db.session.query(PublicVote).count() == 1


def test_the_resend_button_sends_a_new_link(client, smtp_server):
    assert sign_up(client, "again@example.org").status_code == 302
    smtp_server.wait_for(1)
    response = post_form(client, "/account/confirm", {"next": "/account"}, page="/account")
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    second = smtp_server.wait_for(2)[1]
    assert second["To"] == "again@example.org"
    assert post_form(client, confirm_path(second), {}).status_code == 303
    assert "To vote, confirm" not in client.get("/account").get_data(as_text=True)


def test_a_forged_confirmation_link_is_refused(client):
    assert sign_up(client, "forger@example.org").status_code == 302
    response = post_form(client, "/account/confirm/not-a-real-token", {}, page="/account")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_sign_ups_are_limited_per_address_with_a_message_on_the_form(app):
    # A form with a mistake does not count as an account made...
    assert sign_up(app.test_client(), "not an address").status_code == 400
    for n in range(3):
        assert sign_up(app.test_client(), f"stuffer{n}@example.org").status_code == 302
    # ...but the fourth account from the same address in the hour is refused, on the form.
    refused = sign_up(app.test_client(), "stuffer9@example.org")
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Too many accounts were made from your network" in text and 'name="email"' in text
    with app.app_context():
        assert db.session.query(User).filter_by(email="stuffer9@example.org").count() == 0
    assert sign_up(app.test_client(), "elsewhere@example.org", address="198.51.100.7").status_code == 302


def test_accounts_made_by_organizers_the_cli_or_the_seed_count_as_confirmed(app, auth):
    user = auth.create_user()  # services.accounts.register_user, as the CLI and the demo seed use it
    assert user.email_confirmed_at is not None


def test_organizers_see_votes_per_hour_and_from_new_accounts(app, client, auth, vote_open):
    slug, project, organizer = vote_open
    with app.app_context():
        event = db.session.query(Event).filter_by(slug=slug).one()
        old = auth.create_user()
        old_row = db.session.get(User, old.id)
        old_row.created_at = utcnow() - timedelta(days=30)
        db.session.add(PublicVote(event_id=event.id, user_id=old.id, submission_id=project))
        for _ in range(3):
            fresh = auth.create_user()
            db.session.add(PublicVote(event_id=event.id, user_id=fresh.id, submission_id=project))
        db.session.commit()
    auth.login(organizer)
    page = client.get(f"/events/{slug}/vote").get_data(as_text=True)
    assert "How the votes came in" in page
    assert "3 of 4 votes came from accounts made less than 24 hours before they voted" in page
    hour = utcnow().strftime("%Y-%m-%d %H:00")
    assert re.search(rf"{hour}</th><td>4</td>", page)
    # Voters see neither.
    voter = app.test_client()
    auth.login(auth.create_user().email, client=voter)
    assert "How the votes came in" not in voter.get(f"/events/{slug}/vote").get_data(as_text=True)


def test_proposal_votes_need_a_confirmed_address_too(app):
    from hackkit.services import accounts, proposals
    from hackkit.services.errors import Forbidden
    from tests import factories as f
    from tests.cocreation import world as cw

    with app.app_context():
        ev = cw.upcoming_event(db.session)
        proposal = proposals.propose(db.session, f.user(db.session), ev, {"title": "Unsafe crossing"})
        newcomer = accounts.register_user(db.session, "new@example.org", "New", TEST_PASSWORD, confirmed=False)
        with pytest.raises(Forbidden) as refused:
            proposals.vote(db.session, newcomer, proposal)
        assert "Confirm your e-mail address" in str(refused.value.message)
        newcomer.email_confirmed_at = utcnow()
        db.session.commit()
        assert proposals.vote(db.session, newcomer, proposal).id

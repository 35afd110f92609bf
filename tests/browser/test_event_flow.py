"""The event hub end to end in a real browser: register, create a team, a second person joins by
the invite link, the team submits; once the deadline passes an edit is refused and the frozen
version is shown."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.models import Event, Submission
from hackkit.services import events
from tests import factories as f
from tests.conftest import TEST_PASSWORD


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("You are logged in.")


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")


def test_team_forms_joins_by_link_submits_and_is_frozen_after_the_deadline(page: Page, live_server, app, browser_log):
    browser_log.allow_console_error(r"status of 409")  # the refused late edit answers 409 on purpose
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        f.catalogue_dataset(db.session, "trees")  # projects credit catalogue datasets only
        event = f.event(db.session, organizer, name="Antwerp Data Weekend")
        events.add_challenge(db.session, organizer, event, {"title": "Shade for everyone", "datasets": "trees"})
        founder = f.user(db.session, name="Fatima Founder")
        joiner = f.user(db.session, name="Jonas Joiner")
        slug, event_id = event.slug, event.id
        founder_email, joiner_email, organizer_id = founder.email, joiner.email, organizer.id

    # The founder registers from the event page and creates a team.
    log_in(page, founder_email)
    page.goto(f"/events/{slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Antwerp Data Weekend")
    expect(page.locator("[data-countdown]")).to_contain_text(re.compile(r"seconds? left"))
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("You are registered for Antwerp Data Weekend.")
    page.get_by_role("link", name="Create a team").click()
    page.get_by_label("Team name").fill("Shade Seekers")
    page.get_by_label("Skills you are looking for").fill("design")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shade Seekers")
    invite_link = page.get_by_label("Invite link").input_value()
    assert re.search(r"/join/[\w-]+$", invite_link)
    log_out(page)

    # The second participant follows the link, logs in on the way, and confirms.
    page.goto(invite_link)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("E-mail address").fill(joiner_email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Shade Seekers")
    page.get_by_role("button", name="Join Shade Seekers").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Shade Seekers!")
    members = page.get_by_role("region", name="Members")
    expect(members).to_contain_text("Fatima Founder")
    expect(members).to_contain_text("Jonas Joiner")

    # The team submits its project.
    page.get_by_role("link", name="Edit the submission").click()
    page.get_by_label("Project title").fill("Cool Streets")
    page.get_by_label("Tagline").fill("Find the shadiest way home")
    page.get_by_label("Description").fill("A map of **shade**.")
    page.get_by_label("Repository URL").fill("https://example.org/cool-streets")
    page.get_by_label("Challenge").select_option(label="Shade for everyone")
    page.get_by_label("Dataset 1", exact=True).select_option("trees")  # picked from the catalogue
    page.get_by_label("How we used dataset 1").fill("canopy per street")
    page.get_by_label("Licence").select_option("MIT")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your project is submitted.")
    expect(page.get_by_label("Project title")).to_have_value("Cool Streets")
    expect(page.get_by_role("button", name="Withdraw to draft")).to_be_visible()

    # The organizer moves the deadline to a moment from now; the open form outlives it.
    with app.app_context():
        deadline = f.now() + timedelta(seconds=2)
        organizer = db.session.get(type(founder), organizer_id)
        events.update_event(
            db.session, organizer, db.session.get(Event, event_id), {"submission_deadline": deadline.isoformat()}
        )
    time.sleep(max(0.0, (deadline - f.now()).total_seconds()) + 1.2)

    page.get_by_label("Project title").fill("Sneaky late change")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("The submission deadline has passed")
    expect(page.get_by_role("heading", name="Frozen version: Cool Streets")).to_be_visible()
    expect(page.get_by_label("Project title")).to_have_count(0)

    with app.app_context():
        submission = db.session.scalar(db.select(Submission))
        assert submission.title == "Cool Streets" and submission.status == "submitted"

    # The public gallery shows the frozen project.
    page.goto(f"/events/{slug}/projects")
    page.get_by_role("link", name="Cool Streets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cool Streets")
    expect(page.get_by_role("main")).to_contain_text("Jonas Joiner")


def tab_to(page: Page, text: str | None = None, element_id: str | None = None, limit: int = 40) -> None:
    """Press Tab until the control with this text (a button or link) or this id has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.id, (document.activeElement.innerText || '').trim()]")
        if (element_id and focused[0] == element_id) or (text and focused[1] == text):
            return
    raise AssertionError(f"{text or element_id!r} cannot be reached with the Tab key")


def test_registering_and_creating_a_team_works_with_the_keyboard_alone(page: Page, live_server, app):
    with app.app_context():
        event = f.event(db.session, name="Keyboard Hack")
        person = f.user(db.session, name="Kim Keys")
        slug, email = event.slug, person.email

    log_in(page, email)
    page.goto(f"/events/{slug}")
    tab_to(page, "Register")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("You are registered for Keyboard Hack.")
    tab_to(page, "Create a team")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a team for Keyboard Hack")
    tab_to(page, element_id="name")
    expect(page.get_by_label("Team name")).to_be_focused()
    page.keyboard.type("Tab Masters")
    tab_to(page, "Create team")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tab Masters")

"""Resident proposals end to end in a real browser: a resident proposes a problem, a neighbour
votes for it with the keyboard, and an organizer turns it into a challenge of the event; the
challenge and the proposal link to each other."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from hackkit.extensions import db
from tests import factories as f
from tests.browser.test_event_flow import log_in, log_out
from tests.cocreation import world as w


def test_resident_proposes_neighbour_votes_and_organizer_makes_it_a_challenge(page: Page, app):
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        event = w.upcoming_event(db.session, organizer, name="Ghent Open Data Day")
        resident = f.user(db.session, name="Rosa Resident")
        neighbour = f.user(db.session, name="Nico Neighbour")
        slug = event.slug
        emails = (organizer.email, resident.email, neighbour.email)

    # A resident proposes a problem from the event page.
    log_in(page, emails[1])
    page.goto(f"/events/{slug}")
    page.get_by_role("link", name="Resident proposals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resident proposals for Ghent Open Data Day")
    page.get_by_role("link", name="Propose a problem").click()
    page.get_by_label("The problem in one line").fill("Dark cycle path along the canal")
    page.get_by_label("Describe it").fill("No lights between the **bridge** and the park.")
    page.get_by_label("Neighbourhood or district (optional)").fill("Muide")
    page.get_by_role("button", name="Publish the proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Your proposal is published.")
    expect(page.locator("main strong", has_text="bridge")).to_be_visible()  # Markdown, rendered
    log_out(page)

    # A neighbour finds it in the list and votes with the keyboard alone.
    log_in(page, emails[2])
    page.goto(f"/events/{slug}/proposals")
    vote = page.get_by_role("button", name="Vote for Dark cycle path along the canal")
    vote.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your vote is counted.")
    card = page.locator("li.card", has_text="Dark cycle path along the canal")
    expect(card).to_contain_text("1 vote")
    expect(card).to_contain_text("you voted for this")
    expect(page.get_by_role("button", name="Take back my vote for Dark cycle path along the canal")).to_be_visible()
    log_out(page)

    # The organizer turns it into a challenge.
    log_in(page, emails[0])
    page.goto(f"/events/{slug}/proposals")
    page.get_by_role("link", name="Turn Dark cycle path along the canal into a challenge").click()
    expect(page.get_by_label("Title")).to_have_value("Dark cycle path along the canal")
    page.get_by_label("City department").fill("Mobility")
    page.get_by_role("button", name="Create the challenge").click()
    expect(page.get_by_role("status")).to_contain_text("The proposal is now the challenge")
    challenge = page.locator("article.challenge", has_text="Dark cycle path along the canal")
    expect(challenge).to_contain_text("Proposed by residents:")
    expect(challenge).to_contain_text("From Mobility")

    # The link back: the proposal says what it became, and takes no more votes.
    challenge.get_by_role("link", name="Dark cycle path along the canal", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dark cycle path along the canal")
    expect(page.get_by_role("main")).to_contain_text("Became the challenge")
    expect(page.get_by_role("button", name="Vote for Dark cycle path along the canal")).to_have_count(0)

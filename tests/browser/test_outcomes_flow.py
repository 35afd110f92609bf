"""What became of a project, in a real browser: an organizer records that a project went live
from its page, and the event's impact page shows it, in English and in Dutch, on a desktop
and on a phone. HACKKIT_JOURNEY_SHOTS=<folder> keeps screenshots to look at."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.services import events, proposals
from tests import factories as f
from tests.browser.test_event_flow import log_in
from tests.browser.test_journeys import PHONE, shot, to_dutch
from tests.outcomes.world import past_event, project

TEXT = {
    "en": {
        "record": "Record what happened next",
        "status": "What happened",
        "live": "Live",
        "when": "When",
        "link": "Link",
        "button": "Record outcome",
        "done": "Recorded: Live.",
        "impact": "What came of the projects",
        "challenge": "Per challenge",
        "projects": "Projects",
        "current": "current status",
    },
    "nl": {
        "record": "Leg vast wat er daarna gebeurde",
        "status": "Wat er gebeurde",
        "live": "In gebruik",
        "when": "Wanneer",
        "link": "Link",
        "button": "Resultaat vastleggen",
        "done": "Vastgelegd: In gebruik.",
        "impact": "Wat er van de projecten kwam",
        "challenge": "Per uitdaging",
        "projects": "Projecten",
        "current": "huidige stand",
    },
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_organizer_records_an_outcome_and_the_impact_page_shows_it(page: Page, app, language):
    t = TEXT[language]
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        f.catalogue_dataset(db.session, "benches", "Benches")
        event = past_event(db.session, organizer, name="Antwerp Data Weekend")
        idea = proposals.propose(
            db.session,
            f.user(db.session),
            event,
            {"title": "Somewhere to sit"},
            now=event.starts_at - timedelta(days=3),
        )
        challenge = proposals.adopt(db.session, organizer, idea, {"department": "Green spaces"})
        submission, _ = project(
            db.session, event, "Bench rater", data={"challenge_id": challenge.id, "datasets": ["benches"]}
        )
        project(db.session, event, "Shade map", data={"challenge_id": challenge.id})
        events.add_challenge(db.session, organizer, event, {"title": "Quiet streets", "department": "Mobility"})
        email, slug, team_id = organizer.email, event.slug, submission.team_id

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, email)
    if language == "nl":
        to_dutch(page)
    page.goto(f"/teams/{team_id}/project")
    page.get_by_text(t["record"]).click()
    page.get_by_label(t["status"]).select_option(label=t["live"])
    page.get_by_label(t["when"]).fill("2025-06-01")
    page.get_by_label(t["link"], exact=True).fill("https://banken.example")
    page.get_by_role("button", name=t["button"]).click()
    expect(page.get_by_role("status")).to_contain_text(t["done"])
    timeline = page.locator("#outcomes")
    expect(timeline).to_contain_text(t["current"])
    expect(timeline.get_by_role("link", name="https://banken.example")).to_be_visible()
    shot(page, f"outcome-project-{language}")

    page.goto(f"/events/{slug}")
    page.get_by_role("link", name=t["impact"]).first.click()
    expect(page.get_by_role("heading", name=t["challenge"])).to_be_visible()
    listed = page.locator("li", has_text="Bench rater").first  # under its challenge, the first table
    expect(listed.locator(".badge")).to_have_text(t["live"])
    expect(page.get_by_role("link", name="Somewhere to sit")).to_be_visible()  # the resident's idea
    shot(page, f"outcome-impact-desktop-{language}")

    # On a phone each value carries its column's name, and nothing is wider than the screen.
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_function(
        """(want) => {
            const cell = document.querySelector("table.labelled tbody tr td:nth-child(3)");
            return cell !== null && getComputedStyle(cell, "::before").content.includes(want);
        }""",
        arg=t["projects"],
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(page, f"outcome-impact-phone-{language}")

    # The dashboard lists the project nobody has recorded anything for (the event ended in 2025).
    page.goto(f"/events/{slug}/manage")
    due = page.locator("#outcome-reminders")
    expect(due.get_by_role("link", name="Shade map")).to_be_visible()
    expect(due.get_by_role("link", name="Bench rater")).to_have_count(0)
    shot(page, f"outcome-reminders-phone-{language}")

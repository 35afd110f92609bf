"""Prizes in a real browser: the organizer sets them up and confirms winners; at the ceremony the
presenter steps through the prizes and the projector (another browser) follows without reloading."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.services import prizes
from tests.browser.test_account_flow import log_in
from tests.prizes import world as pw

# The projector asks for news every few seconds: waiting for it may take one round more.
POLLED_MS = 10_000


def test_organizer_sets_up_a_prize_deletes_one_after_confirming_and_chooses_a_winner_with_a_reason(
    app, page: Page, live_server, browser_log
):
    browser_log.allow_console_error(r"status of 400")  # the refused choice comes back as a 400 page
    with app.app_context():
        built = pw.build(db.session)
        slug, organizer_email = built.event.slug, built.organizer.email

    log_in(page, live_server, organizer_email)
    page.goto(f"/events/{slug}/prizes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prizes of Antwerp Data Weekend")
    page.get_by_label("Name").fill("Clean air pilot")
    page.get_by_label("What it is").select_option("pilot")
    page.get_by_label("Value").fill("A six-month pilot")
    page.get_by_label("Given by").fill("Environment department")
    page.get_by_label("Awarded for").select_option("challenge")
    page.get_by_label("Challenge", exact=True).select_option(label="Cleaner air")
    page.get_by_role("button", name="Add prize").click()
    expect(page.get_by_role("status")).to_contain_text("The prize Clean air pilot is added.")
    card = page.locator(".prize-card", has_text="Clean air pilot")
    expect(card).to_contain_text("For the best project of the challenge Cleaner air")

    page.get_by_label("Name").fill("To be deleted")
    page.get_by_role("button", name="Add prize").click()
    page.get_by_role("link", name="Delete To be deleted…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete To be deleted?")
    page.get_by_role("link", name="No, keep it").click()
    expect(page.locator(".prize-card", has_text="To be deleted")).to_be_visible()  # asking deleted nothing
    page.get_by_role("link", name="Delete To be deleted…").click()
    page.get_by_role("button", name="Yes, delete To be deleted").click()
    expect(page.get_by_role("status")).to_contain_text("The prize To be deleted is deleted.")
    expect(page.locator(".prize-card", has_text="To be deleted")).to_have_count(0)

    page.get_by_role("link", name="Winners of Clean air pilot").click()
    expect(page.locator("table.proposal")).to_contain_text("Project C")  # first among the air projects
    page.get_by_role("checkbox", name="Project C").uncheck()
    page.get_by_role("checkbox", name="Project D").check()
    page.get_by_role("button", name="Save winners").click()
    expect(page.locator(".error-summary")).to_contain_text("Say why you chose Project D")
    page.get_by_label("Reason for Project D").fill("Measured the air at every school")
    page.get_by_role("button", name="Save winners").click()
    expect(page.get_by_role("status")).to_contain_text("The winners of Clean air pilot are saved.")
    expect(page.get_by_role("checkbox", name="Project D")).to_be_checked()


def test_presenter_steps_through_the_ceremony_and_the_projector_follows_without_reloading(
    app, browser, page: Page, live_server
):
    with app.app_context():
        built = pw.build(db.session)
        first = pw.prize(db.session, built, name="Golden bench", sponsor_name="Parks department", position=1)
        pw.prize(db.session, built, name="People's bench", scope="jury_choice", position=2)
        prizes.confirm_winners(
            db.session, built.organizer, first, {"winners": [{"submission_id": built.submissions["A"].id}]}
        )
        slug, organizer_email = built.event.slug, built.organizer.email

    projector_context = browser.new_context(base_url=live_server, locale="en-US", service_workers="block")
    projector_context.route(lambda url: not url.startswith(live_server), lambda route: route.abort())
    try:
        projector = projector_context.new_page()
        projector.goto(f"/events/{slug}/live")
        expect(projector.locator("[data-live-dashboard]")).to_contain_text("projects submitted")
        expect(projector.locator("[data-live-submitted]")).to_have_text("4")
        projector.evaluate("window.loadedOnce = true")  # gone if the page were reloaded

        log_in(page, live_server, organizer_email)
        page.goto(f"/events/{slug}/live/presenter")
        page.get_by_role("button", name="Start the ceremony").click()
        expect(page.locator("[data-presenter-next]")).to_have_text("People's bench")
        expect(page.locator("[data-presenter-status]")).to_contain_text("winners hidden")

        stage = projector.locator("[data-live-ceremony]")
        expect(stage.locator("[data-live-prize]")).to_have_text("Golden bench", timeout=POLLED_MS)
        expect(stage).to_contain_text("Given by Parks department")
        expect(stage).to_contain_text("And the winner is…")
        expect(stage).not_to_contain_text("Project A")

        page.keyboard.press("ArrowRight")  # the focus is still on the ceremony's buttons: keys step it
        expect(page.locator("[data-presenter-status]")).to_contain_text("the prize and its winners")
        expect(stage.locator("[data-live-winners]")).to_contain_text("Project A", timeout=POLLED_MS)

        page.keyboard.press("Space")
        expect(stage.locator("[data-live-prize]")).to_have_text("People's bench", timeout=POLLED_MS)
        expect(stage).not_to_contain_text("Project A")
        page.keyboard.press("ArrowLeft")
        expect(stage.locator("[data-live-winners]")).to_contain_text("Project A", timeout=POLLED_MS)

        page.get_by_role("button", name="End the ceremony").click()
        expect(projector.locator("[data-live-dashboard]")).to_be_visible(timeout=POLLED_MS)
        assert projector.evaluate("window.loadedOnce") is True
    finally:
        projector_context.close()

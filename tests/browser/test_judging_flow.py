"""A jury in a real browser: a judge scores a frozen project, an organizer publishes results."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.models import Submission
from hackkit.services import assignments
from tests.browser.test_account_flow import log_in
from tests.judging import world as w


def test_judge_scores_a_frozen_project_and_organizer_publishes_results(app, page: Page, live_server):
    with app.app_context():
        built = w.build(db.session)
        judge = built.people["judge0"]
        sub_a = built.submissions["A"]
        assignments.assign_manually(db.session, built.organizer, built.event, judge.id, sub_a.id)
        # A change to the live row after the deadline must not reach the judge.
        db.session.get(Submission, sub_a.id).title = "Edited after the deadline"
        db.session.commit()
        slug, judge_email, organizer_email = built.event.slug, judge.email, built.organizer.email

    log_in(page, live_server, judge_email)
    page.goto(f"/events/{slug}/judging")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Judging")
    page.get_by_role("link", name="Project A").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Project A")
    expect(page.get_by_role("main")).not_to_contain_text("Edited after the deadline")
    page.get_by_label("Impact").fill("5")
    page.get_by_label("Use of data").fill("8")
    page.get_by_label("Feedback for the team").fill("A clear, useful map.")
    page.get_by_label("Private note for the jury").fill("My favourite so far.")
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_role("status")).to_contain_text("Scores saved.")
    expect(page.get_by_label("Impact")).to_have_value("5")

    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    log_in(page, live_server, organizer_email)
    page.goto(f"/events/{slug}/jury")
    results = page.locator("table.results")
    expect(results).to_contain_text("Project A")
    expect(page.get_by_role("main")).to_contain_text("Preview: only organizers see these results")
    # Projects B and C have no scores: the page lists them and publishing is a confirmed choice.
    expect(page.locator("#publish-warnings")).to_contain_text("Project B")
    expect(page.locator("#publish-warnings")).to_contain_text("has no rank yet")
    page.get_by_role("button", name="Publish anyway").click()
    expect(page.get_by_role("status")).to_contain_text("Results published.")

    page.get_by_role("link", name="Public results page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    expect(page.get_by_role("main")).to_contain_text("How the results were computed")
    expect(page.locator("table.results")).to_contain_text("Project A")


def test_organizer_assigns_by_hand_records_a_conflict_and_is_refused_the_conflicted_assignment(
    app, page: Page, live_server
):
    with app.app_context():
        built = w.build(db.session)
        slug, organizer_email = built.event.slug, built.organizer.email
        judge1 = built.people["judge1"]
        judge_label = f"{judge1.display_name} ({judge1.email})"
        project_b = f"Project B (#{built.submissions['B'].id})"

    log_in(page, live_server, organizer_email)
    page.goto(f"/events/{slug}/jury")
    assign = page.locator("form", has=page.get_by_role("button", name="Assign this judge"))
    assign.get_by_label("Judge").select_option(label=judge_label)
    assign.get_by_label("Project").select_option(label=project_b)
    assign.get_by_role("button", name="Assign this judge").click()
    expect(page.get_by_role("status")).to_contain_text("Judge assigned to the project.")
    table = page.get_by_role("table", name="Who judges which project")
    expect(table).to_contain_text("Project B")
    expect(table).to_contain_text("by hand")

    # The same judge turns out to know team B: the organizer records it, the assignment goes.
    conflict = page.locator("form", has=page.get_by_role("button", name="Record the conflict"))
    conflict.get_by_label("Judge").select_option(label=judge_label)
    conflict.get_by_label("Project").select_option(label=project_b)
    conflict.get_by_label("Kind of conflict").select_option("organisation")
    conflict.get_by_role("button", name="Record the conflict").click()
    expect(page.get_by_role("status")).to_contain_text("Conflict of interest recorded")
    expect(page.get_by_role("table", name="Who judges which project")).to_have_count(0)

    assign = page.locator("form", has=page.get_by_role("button", name="Assign this judge"))
    assign.get_by_label("Judge").select_option(label=judge_label)
    assign.get_by_label("Project").select_option(label=project_b)
    assign.get_by_role("button", name="Assign this judge").click()
    expect(page.get_by_role("status")).to_contain_text("This judge has a conflict of interest with this project.")

"""Issue 16, second part, in a real browser: the submission's "started from", datasets used and
district picked from lists; announcements edited and deleted after a confirmation page; the
pairwise vote's skip; the dataset preview's "Previous". Desktop and phone, English and Dutch.

HACKKIT_JOURNEY_SHOTS=<folder> saves screenshots of what the tests walk through.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.services import events, judging_setup, teams
from tests import factories as f
from tests.browser.test_account_flow import log_in
from tests.browser.test_journeys import DESKTOP, PHONE, shot, to_dutch
from tests.datasets.helpers import import_file, write_csv
from tests.judging import world as w

DISTRICTS_FILE = Path(__file__).resolve().parents[2] / "datasets" / "districts" / "districts.geojson"


@pytest.fixture
def app_settings():
    return {"HACKKIT_TILES": "none"}  # dataset pages embed a map: no tile requests


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_team_picks_its_template_datasets_and_district_from_lists(app, page: Page, live_server, viewport):
    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    with app.app_context():
        f.catalogue_dataset(db.session, "trees", "Street trees")
        event = f.event(db.session)
        captain = f.registered(db.session, event)
        team_id = teams.create_team(db.session, captain, event, {"name": "Shade"}).id
        email = captain.email
    page.set_viewport_size(viewport)
    log_in(page, live_server, email)
    page.goto(f"/teams/{team_id}/submission")
    page.get_by_label("Project title").fill("Cool streets")
    expect(page.get_by_label("Sample app you started from")).to_have_count(0)  # one field, not two
    page.get_by_label("Started from").select_option("hello-map")
    page.get_by_label("Dataset 1", exact=True).select_option("trees")
    page.get_by_label("How we used dataset 1").fill("shade per street")
    district = page.get_by_label("District or neighbourhood")
    expect(district.locator("option")).not_to_have_count(1)  # the districts dataset's names
    district.select_option(index=2)
    chosen = district.input_value()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your draft is saved.")
    expect(page.get_by_label("Dataset 1", exact=True)).to_have_value("trees")
    expect(page.get_by_label("How we used dataset 1")).to_have_value("shade per street")
    expect(page.get_by_label("Dataset 2", exact=True)).to_have_value("")  # rows to add more
    expect(page.get_by_label("Started from")).to_have_value("hello-map")
    expect(page.get_by_label("District or neighbourhood")).to_have_value(chosen)
    name = "desktop" if viewport is DESKTOP else "phone"
    shot(page, f"submission-lists-{name}-en")
    to_dutch(page)
    expect(page.get_by_label("Begonnen vanuit")).to_have_value("hello-map")
    shot(page, f"submission-lists-{name}-nl")


def test_organizer_edits_an_announcement_and_is_asked_before_deleting_it_on_a_phone_in_dutch(
    app, page: Page, live_server
):
    with app.app_context():
        organizer = f.user(db.session, "organizer")
        event = f.event(db.session, organizer)
        events.post_announcement(db.session, organizer, event, "Doors open at nine.")
        slug, email = event.slug, organizer.email
    page.set_viewport_size(PHONE)
    log_in(page, live_server, email)
    page.goto(f"/events/{slug}/manage")
    to_dutch(page)
    page.get_by_role("link", name=re.compile("^Bewerken")).click()
    page.get_by_label("Mededeling", exact=True).fill("Doors open at ten.")
    page.get_by_text("Dezelfde mededeling in een andere taal").click()
    page.get_by_label("In het Nederlands (niet verplicht)").fill("De deuren gaan om tien uur open.")
    shot(page, "announcement-edit-phone-nl")
    page.get_by_role("button", name="Mededeling opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De mededeling is opgeslagen.")
    page.goto(f"/events/{slug}")
    expect(page.get_by_text("De deuren gaan om tien uur open.")).to_be_visible()  # the Dutch text for Dutch readers
    expect(page.get_by_text(re.compile("bewerkt op"))).to_be_visible()

    page.goto(f"/events/{slug}/manage")
    page.get_by_role("button", name=re.compile("^Verwijderen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze mededeling verwijderen?")
    button = page.get_by_role("button", name="Mededeling verwijderen")
    assert "danger" in button.get_attribute("class")
    shot(page, "announcement-delete-confirm-phone-nl")
    page.get_by_role("link", name="Annuleren, niets veranderen").click()  # cancelling keeps it
    expect(page.get_by_text("Doors open at ten.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Verwijderen")).click()
    page.get_by_role("button", name="Mededeling verwijderen").click()
    expect(page.get_by_role("status")).to_contain_text("De mededeling is verwijderd.")
    expect(page.get_by_text("Doors open at ten.")).to_have_count(0)


def test_organizer_is_asked_before_a_judge_is_removed(app, page: Page, live_server):
    with app.app_context():
        built = w.build(db.session, judges=1)
        slug, email, judge = built.event.slug, built.organizer.email, built.people["judge0"].display_name
    log_in(page, live_server, email)
    page.goto(f"/events/{slug}/jury")
    page.get_by_role("button", name=f"Remove {judge} from the jury").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remove {judge} from the jury?")
    shot(page, "remove-judge-confirm-desktop-en")
    page.get_by_role("button", name="Remove from the jury").click()
    expect(page.get_by_role("status")).to_contain_text("Judge removed from the jury")


def test_a_judge_compares_two_projects_side_by_side_or_skips_the_pair(app, page: Page, live_server):
    with app.app_context():
        built = w.build(db.session, judges=1)
        judging_setup.update_settings(db.session, built.organizer, built.event, {"mode": "pairwise"})
        slug, email = built.event.slug, built.people["judge0"].email
    log_in(page, live_server, email)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/events/{slug}/judging/pairwise")
    cards = page.locator(".pair > section")
    left, right = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert right["x"] >= left["x"] + left["width"] and abs(right["y"] - left["y"]) < 5  # side by side
    first_right = cards.nth(1).get_by_role("heading").inner_text()
    shot(page, "pairwise-desktop-en")
    page.get_by_role("button", name="Skip: no preference").click()
    expect(page.get_by_role("status")).to_contain_text("Skipped: no preference")
    expect(page.get_by_text("0 votes so far.")).to_be_visible()
    expect(cards.nth(1).get_by_role("heading")).not_to_have_text(first_right)  # another project to compare
    to_dutch(page)
    expect(page.get_by_role("button", name="Overslaan: geen voorkeur")).to_be_visible()
    page.set_viewport_size(PHONE)
    shot(page, "pairwise-phone-nl")


def test_the_dataset_preview_goes_back_with_previous(app, page: Page, live_server, tmp_path):
    rows = "".join(f"{i};street {i}\n" for i in range(1, 46))
    import_file(app, write_csv(tmp_path, "s.csv", "id;naam\n" + rows), slug="streets")
    page.goto("/datasets/streets")
    expect(page.get_by_role("link", name="Previous rows")).to_have_count(0)
    page.get_by_role("link", name="Next rows").click()
    page.get_by_role("link", name="Next rows").click()
    expect(page.get_by_text("rows 41 to 45")).to_be_visible()
    page.get_by_role("link", name="Previous rows").click()
    expect(page.get_by_text("rows 21 to 40")).to_be_visible()
    expect(page.get_by_role("cell", name="street 21", exact=True)).to_be_visible()
    page.get_by_role("link", name="Previous rows").click()
    expect(page.get_by_text("rows 1 to 20")).to_be_visible()
    expect(page.get_by_role("link", name="Previous rows")).to_have_count(0)
    to_dutch(page)
    expect(page.get_by_role("link", name="Volgende rijen")).to_be_visible()

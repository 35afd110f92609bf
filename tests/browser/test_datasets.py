"""The data catalogue in a real browser: find a dataset, filter and sort its preview, upload one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_account_flow import log_in
from tests.datasets.helpers import import_file, write_csv


@pytest.fixture
def app_settings():
    # The dataset page embeds a map: with OSM tiles it would ask tile.openstreetmap.org.
    return {"HACKKIT_TILES": "none"}


CSV = "id;naam;lat;lon;capaciteit\n1;Meir;51.218;4.41;10\n2;Zuid;51.2;4.39;25\n3;Noord;51.23;4.42;18\n"


def test_visitor_finds_a_dataset_and_filters_its_preview(page: Page, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="bike-stations", title="Bike stations", license="CC0-1.0")
    page.goto("/")
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_label("Search datasets").fill("bike")
    page.get_by_label("CC0 1.0 (1)").check()  # the licence's name, not its code
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Bike stations").click()
    expect(page.get_by_role("heading", name="Bike stations", level=1)).to_be_visible()
    expect(page.locator("svg.histogram").first).to_be_visible()

    page.get_by_label("Column", exact=True).select_option("capaciteit")
    page.get_by_label("Condition").select_option("gte")
    page.get_by_label("Value").fill("18")
    page.get_by_role("button", name="Add filter").click()
    expect(page.get_by_text("2 matching rows")).to_be_visible()
    page.get_by_role("link", name="capaciteit", exact=True).click()
    page.get_by_role("link", name="capaciteit", exact=True).click()  # second click: descending
    first_row = page.locator("table.preview tbody tr").first
    expect(first_row).to_contain_text("Zuid")


def test_organizer_uploads_and_corrects_a_guess(page: Page, app, auth, live_server, tmp_path):
    organizer = auth.create_user("organizer")
    log_in(page, live_server, organizer.email)
    path = write_csv(tmp_path, "stops.csv", CSV)
    page.goto("/datasets/upload")
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Title").fill("Stops")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page).to_have_url(re.compile(r"/datasets/stops/report$"))
    expect(page.get_by_label("Delimiter")).to_have_value(";")
    page.get_by_label("Type of capaciteit").select_option("text")
    page.get_by_role("button", name="Import again with these corrections").click()
    # A correction is a new version, kept as a draft by default (issue 14) until the organizer publishes it.
    expect(page.get_by_role("status")).to_contain_text("Imported as draft version 2.")
    expect(page.get_by_label("Type of capaciteit")).to_have_value("text")


def test_visitor_finds_the_data_package_and_the_dcat_catalogue(page: Page, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="bike-stations", title="Bike stations", license="CC0-1.0")
    page.goto("/datasets/")
    turtle = page.get_by_role("link", name="Turtle", exact=True)
    expect(turtle).to_be_visible()
    catalogue = page.request.get(turtle.get_attribute("href"))
    assert catalogue.ok and "dcat:Catalog" in catalogue.text()
    page.get_by_role("link", name="Bike stations").click()
    package_link = page.get_by_role("link", name="Frictionless Data Package (datapackage.json)")
    expect(package_link).to_be_visible()
    package_link.click()
    expect(page).to_have_url(re.compile(r"/datasets/bike-stations/datapackage\.json$"))
    expect(page.locator("body")).to_contain_text('"name":"bike-stations"')

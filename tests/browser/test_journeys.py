"""The journeys of issue 16 in a real browser, without dead ends: an invite survives sign-up,
forms show every problem at once, a screenshot keeps the typed edits, the jury's feedback is
found from the team page, a code can be typed in, registration says when it opens, and a
phone gets a header menu and tables that keep their headers.

With HACKKIT_JOURNEY_SHOTS=<folder> set, the tests also save screenshots of what they walk
through (desktop and phone, English and Dutch) for a person to look at.
"""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.services import assignments, publication, scoring, teams
from tests import factories as f
from tests.browser.test_account_flow import log_in, path_is
from tests.conftest import TEST_PASSWORD
from tests.datasets.helpers import import_file, write_csv
from tests.judging import world as w

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("HACKKIT_JOURNEY_SHOTS")
WIDE_CSV = (
    "id;naam;straat;wijk;beheerder;type;lat;lon;capaciteit\n"
    "1;Meir;Meir 1;Centrum;Stad Antwerpen;overdekt;51.218;4.41;10\n"
    "2;Zuid;Vlaamse Kaai 2;Zuid;Stad Antwerpen;open;51.2;4.39;25\n"
)


@pytest.fixture
def app_settings():
    # The dataset page embeds a map: with OSM tiles it would ask tile.openstreetmap.org.
    return {"HACKKIT_TILES": "none"}


def shot(page: Page, name: str) -> None:
    """A screenshot for a person to look at, only when asked for (see the module's doc)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def to_dutch(page: Page) -> None:
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


# 2. Invite links survive sign-up and log-in ------------------------------------------------


def test_invite_link_is_carried_through_sign_up_to_the_join_confirmation(app, page: Page, live_server):
    with app.app_context():
        event = f.event(db.session, name="Ghent Open Data Day")
        captain = f.registered(db.session, event)
        team = teams.create_team(db.session, captain, event, {"name": "Bike Counters"})
        code = team.invite_code

    page.goto(f"/join/{code}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("The team Bike Counters invited you to join them at Ghent Open Data Day.")
    shot(page, "invite-login-desktop-en")
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/signup\?next=(%2F|/)join(%2F|/)"))
    expect(page.get_by_role("note")).to_contain_text("Bike Counters")
    page.get_by_label("E-mail address").fill("newcomer@example.org")
    page.get_by_label("Display name").fill("Nina Newcomer")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Repeat the password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()

    expect(page).to_have_url(path_is(live_server, f"/join/{code}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Bike Counters")
    page.get_by_role("button", name="Join Bike Counters").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Bike Counters!")
    expect(page.get_by_role("region", name="Members")).to_contain_text("Nina Newcomer")


def test_log_in_to_register_returns_to_the_event_after_sign_up_in_dutch(app, page: Page, live_server):
    with app.app_context():
        slug = f.event(db.session, name="Ghent Open Data Day").slug

    page.goto(f"/events/{slug}")
    to_dutch(page)
    page.get_by_role("link", name="Log in om je in te schrijven").click()
    expect(page.get_by_role("note")).to_contain_text("om je in te schrijven voor Ghent Open Data Day")
    shot(page, "register-login-desktop-nl")
    page.get_by_role("link", name="Maak een account").click()
    page.get_by_label("E-mailadres").fill("nieuw@example.org")
    page.get_by_label("Weergavenaam").fill("Noor Nieuw")
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Registreren", exact=True).click()
    expect(page).to_have_url(path_is(live_server, f"/events/{slug}"))
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_role("status")).to_contain_text("Je bent ingeschreven")


def test_a_next_address_on_another_site_is_never_followed(app, page: Page, live_server):
    with app.app_context():
        email = f.user(db.session).email
    page.goto("/login?next=https://evil.example/steal")
    expect(page.get_by_role("link", name="Create an account")).to_have_attribute("href", "/signup")
    log_in(page, live_server, email)
    expect(page).to_have_url(path_is(live_server, "/"))
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    page.goto("/signup?next=//evil.example/steal")
    page.get_by_label("E-mail address").fill("someone@example.org")
    page.get_by_label("Display name").fill("Someone")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Repeat the password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page).to_have_url(path_is(live_server, "/account"))


# 3. Every problem at once, in a summary that takes the focus ---------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_sign_up_shows_every_problem_at_once_keeps_the_typing_and_focuses_the_summary(
    app, page: Page, live_server, browser_log, viewport
):
    browser_log.allow_console_error(r"status of 400")  # the refused form answers 400 on purpose
    with app.app_context():
        taken = f.user(db.session).email
    page.set_viewport_size(viewport)
    page.goto("/signup")
    page.get_by_label("E-mail address").fill(taken)
    page.get_by_label("Display name").fill("Tom Typist")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Sign up", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    # The address is taken and the password too short: both said at once, not one per submit.
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary).to_contain_text("An account with this e-mail address already exists")
    expect(summary).to_contain_text("Password:")
    expect(page.get_by_label("E-mail address")).to_have_value(taken)
    expect(page.get_by_label("Display name")).to_have_value("Tom Typist")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")  # passwords are never sent back
    name = "desktop" if viewport is DESKTOP else "phone"
    shot(page, f"signup-errors-{name}-en")
    summary.get_by_role("link", name=re.compile("^Password")).click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()


def test_submission_form_shows_every_problem_at_once_in_dutch(app, page: Page, live_server, browser_log):
    browser_log.allow_console_error(r"status of 400")  # the refused form answers 400 on purpose
    with app.app_context():
        event = f.event(db.session)
        captain = f.registered(db.session, event)
        team_id = teams.create_team(db.session, captain, event, {"name": "Shade"}).id
        email = captain.email
    log_in(page, live_server, email)
    page.goto(f"/teams/{team_id}/submission")
    to_dutch(page)
    page.get_by_label("Projecttitel").fill("Koele straten")
    page.get_by_label("Repository-URL").fill("geen adres")
    page.get_by_label("Demo-URL").fill("ook fout")
    page.get_by_role("button", name="Concept opslaan").click()
    summary = page.get_by_role("alert").first
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary).to_contain_text("Er zijn 2 problemen")
    expect(page.get_by_label("Projecttitel")).to_have_value("Koele straten")
    shot(page, "submission-errors-desktop-nl")


# 4. A screenshot no longer throws away what was typed -----------------------------------------


def test_adding_a_screenshot_keeps_the_unsaved_edits(app, page: Page, live_server):
    with app.app_context():
        event = f.event(db.session)
        captain = f.registered(db.session, event)
        team_id = teams.create_team(db.session, captain, event, {"name": "Shade"}).id
        email = captain.email
    log_in(page, live_server, email)
    page.goto(f"/teams/{team_id}/submission")
    page.get_by_label("Project title").fill("Cool Streets")
    page.get_by_label("Tagline").fill("Typed but not saved")
    page.get_by_label("Screenshot", exact=True).set_input_files(
        {"name": "map.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_label("What the screenshot shows").fill("The shade map")
    page.get_by_role("button", name="Add screenshot").click()
    expect(page.get_by_role("status")).to_contain_text("The screenshot is added and your changes are saved.")
    expect(page.get_by_label("Project title")).to_have_value("Cool Streets")
    expect(page.get_by_label("Tagline")).to_have_value("Typed but not saved")
    expect(page.get_by_role("img", name="The shade map")).to_be_visible()

    page.get_by_label("Tagline").fill("Changed again")
    page.get_by_role("button", name="Remove screenshot 1").click()
    # A destructive button asks first; what was typed is already saved.
    expect(page.get_by_role("heading", name="Remove this screenshot?")).to_be_visible()
    page.get_by_role("button", name="Remove the screenshot").click()
    expect(page.get_by_role("status")).to_contain_text("The screenshot is removed.")
    expect(page.get_by_label("Tagline")).to_have_value("Changed again")


# 1 and 5. The jury's feedback is found; no link leads to an error page ------------------------


def test_team_finds_the_jury_feedback_from_team_project_results_and_my_hackathons(app, page: Page, live_server):
    with app.app_context():
        built = w.build(db.session, judges=1)
        judge, sub = built.people["judge0"], built.submissions["A"]
        assignments.assign_manually(db.session, built.organizer, built.event, judge.id, sub.id)
        scores = {str(c.id): c.scale_max for c in built.criteria}
        scoring.save_scores(db.session, judge, sub, {"scores": scores, "feedback": "Lovely use of the tree data."})
        slug, team_id, sub_id = built.event.slug, sub.team_id, sub.id
        member_email = built.people["member_A"].email
        organizer, event = built.organizer, built.event

    log_in(page, live_server, member_email)
    page.goto(f"/events/{slug}")
    expect(page.get_by_role("main").get_by_role("link", name="Results", exact=True)).to_have_count(0)
    page.goto(f"/teams/{team_id}")
    expect(page.get_by_role("main")).to_contain_text("as soon as the organizers publish the results")
    expect(page.get_by_role("link", name="Read the jury's feedback")).to_have_count(0)

    with app.app_context():
        # Only project A is scored, so publishing lists what is missing and the organizer confirms it.
        publication.publish_results(db.session, db.session.merge(organizer), db.session.merge(event), confirm=True)

    feedback_url = path_is(live_server, f"/events/{slug}/projects/{sub_id}/feedback")
    page.reload()
    expect(page.get_by_role("note")).to_contain_text("The jury's feedback on your project is here.")
    shot(page, "team-feedback-notice-desktop-en")
    page.get_by_role("link", name="Read the jury's feedback").click()
    expect(page).to_have_url(feedback_url)
    expect(page.get_by_role("main")).to_contain_text("Lovely use of the tree data.")

    page.goto(f"/teams/{team_id}/project")
    page.get_by_role("link", name="Read the jury's feedback on this project").click()
    expect(page).to_have_url(feedback_url)

    page.goto(f"/events/{slug}")
    page.get_by_role("main").get_by_role("link", name="Results", exact=True).click()
    page.get_by_role("link", name="Read the jury's feedback on your project").click()
    expect(page).to_have_url(feedback_url)

    page.get_by_role("banner").get_by_role("link", name="My hackathons").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My hackathons")
    shot(page, "my-hackathons-desktop-en")
    page.get_by_role("link", name="The jury's feedback").click()
    expect(page).to_have_url(feedback_url)


def test_project_page_is_linked_only_once_there_is_something_to_see(app, page: Page, live_server):
    with app.app_context():
        event = f.event(db.session)
        captain = f.registered(db.session, event)
        team = teams.create_team(db.session, captain, event, {"name": "Drafty"})
        from hackkit.services import submissions

        submissions.save_submission(db.session, captain, team, {"title": "Half done"}, status="draft")
        visitor_email, team_id = f.registered(db.session, event).email, team.id
    log_in(page, live_server, visitor_email)
    page.goto(f"/teams/{team_id}")
    expect(page.get_by_role("link", name="Project page")).to_have_count(0)  # a draft: it would 404


# 6. An invite code typed in; the link copied ---------------------------------------------------


def test_participant_types_an_invite_code_and_a_member_copies_the_link(app, page: Page, live_server, browser_log):
    browser_log.allow_console_error(r"status of 400")  # the refused form answers 400 on purpose
    with app.app_context():
        event = f.event(db.session, name="Ghent Open Data Day")
        captain = f.registered(db.session, event)
        team = teams.create_team(db.session, captain, event, {"name": "Bike Counters"})
        code, slug, team_id = team.invite_code, event.slug, team.id
        joiner_email, captain_email = f.registered(db.session, event).email, captain.email

    log_in(page, live_server, joiner_email)
    page.goto(f"/events/{slug}")
    page.get_by_text("Have an invite code from a team?").click()
    page.get_by_label("Invite code").fill("not-a-code")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("This invite link is not valid")
    expect(page.get_by_label("Invite code")).to_have_value("not-a-code")
    page.get_by_label("Invite code").fill(f"  {code} ")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Bike Counters")
    page.get_by_role("banner").get_by_role("button", name="Log out").click()

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    log_in(page, live_server, captain_email)
    page.goto(f"/teams/{team_id}")
    page.get_by_role("button", name="Copy the invite link").click()
    expect(page.locator("#invite-copied")).to_have_text("The invite link is copied.")
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/join/{code}")


# 7. Registration says when it opens ---------------------------------------------------------------


def test_event_says_when_registration_opens_in_its_time_zone(app, page: Page, live_server):
    with app.app_context():
        start = f.now() + timedelta(days=20)
        event = f.event(
            db.session,
            timezone="America/New_York",
            registration_opens=(start - timedelta(days=10)).isoformat(),
            registration_closes=(start - timedelta(days=1)).isoformat(),
            starts_at=start.isoformat(),
            ends_at=(start + timedelta(days=2)).isoformat(),
            submission_deadline=(start + timedelta(days=1)).isoformat(),
        )
        slug = event.slug
    page.goto(f"/events/{slug}")
    actions = page.locator(".actions")
    expect(actions).to_contain_text("Registration opens on")
    expect(actions).to_contain_text("(America/New_York)")
    expect(actions).not_to_contain_text("Registration is closed")
    to_dutch(page)
    expect(page.locator(".actions")).to_contain_text("De inschrijving opent op")


# 8. A phone: a header menu, and tables that keep their headers --------------------------------------


@pytest.mark.parametrize("language", ["en", "nl"])
def test_phone_header_folds_into_a_menu_and_tables_keep_their_headers(app, page: Page, live_server, language, tmp_path):
    import_file(app, write_csv(tmp_path, "stalling.csv", WIDE_CSV), slug="bike-sheds", title="Bike sheds")
    with app.app_context():
        organizer = f.user(db.session, "organizer", name="Olga Organizer")
        event = f.event(db.session, organizer)
        f.registered(db.session, event)
        email, slug = organizer.email, event.slug
    page.set_viewport_size(PHONE)
    log_in(page, live_server, email)
    if language == "nl":
        to_dutch(page)
    menu_name = "Menu"
    menu = page.get_by_role("banner").get_by_role("button", name=menu_name)
    nav = page.get_by_role("banner").get_by_role("navigation")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    header_height = page.get_by_role("banner").bounding_box()["height"]
    assert header_height < PHONE["height"] / 8, header_height  # no longer a quarter of the screen
    shot(page, f"phone-header-closed-{language}")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    shot(page, f"phone-header-open-{language}")
    people = "People" if language == "en" else "Mensen"
    nav.get_by_role("link", name=people).click()

    # The people tables (everyone; an event's registered people): each value labelled with its column.
    for path in ("/admin/users", f"/events/{slug}/manage"):
        if path != "/admin/users":
            page.goto(path)
        # Waits on the condition itself: the page (and its style sheet) may still be loading.
        page.wait_for_function(
            """(want) => {
                const cell = document.querySelector("table.labelled tbody tr td");
                return cell !== null && getComputedStyle(cell, "::before").content.includes(want);
            }""",
            arg="Name" if language == "en" else "Naam",
        )
        shot(page, f"phone-people-{language}-{path.count('/')}")

    # The dataset's columns: the header row stays, and the table scrolls sideways.
    # The dataset's columns and preview: the header rows stay, and the tables scroll sideways.
    page.goto("/datasets/bike-sheds")
    for table in (page.locator("table.columns"), page.locator("table.preview")):
        expect(table.locator("thead th").first).to_be_visible()
    scroller = page.locator(".table-scroll").first
    assert scroller.evaluate("(box) => box.scrollWidth > box.clientWidth")  # the preview scrolls...
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # ...not the page
    shot(page, f"phone-dataset-{language}")


def test_desktop_header_shows_the_links_without_a_menu(page: Page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.get_by_role("banner").get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign up")).to_be_visible()
    icon = page.request.get(page.evaluate("document.querySelector('link[rel=icon]').href"))
    assert icon.ok and icon.headers["content-type"].startswith("image/svg")
    shot(page, "home-desktop-en")


def test_new_event_address_is_made_from_the_name_until_the_organizer_types_one(app, page: Page, live_server):
    with app.app_context():
        email = f.user(db.session, "organizer").email
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, email)
    page.goto("/events/new")
    page.get_by_label("Name", exact=True).fill("Gent fietst 2026: Één dag!")
    expect(page.get_by_label("Web address", exact=True)).to_have_value("gent-fietst-2026-een-dag")
    page.get_by_label("Web address", exact=True).fill("gent-2026")
    page.get_by_label("Name", exact=True).fill("Gent fietst")
    expect(page.get_by_label("Web address", exact=True)).to_have_value("gent-2026")  # the organizer's own words stay


def test_the_time_zone_is_picked_from_a_list_that_finds_a_city(app, page: Page, live_server):
    with app.app_context():
        email = f.user(db.session, "organizer").email
    log_in(page, live_server, email)
    page.goto("/events/new")
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_attribute("list", "time-zones")
    assert page.locator('datalist#time-zones option[value="Europe/Brussels"]').count() == 1
    assert page.locator('datalist#time-zones option[value="America/New_York"]').count() == 1


def test_judge_reads_the_project_beside_the_score_form_and_the_criterion_under_its_label(app, page: Page, live_server):
    from hackkit.models import Criterion

    with app.app_context():
        built = w.build(db.session, judges=1)
        judge, sub = built.people["judge0"], built.submissions["A"]
        db.session.get(Criterion, built.criteria[0].id).description = "How much it helps people in the city."
        db.session.commit()
        assignments.assign_manually(db.session, built.organizer, built.event, judge.id, sub.id)
        url, email = f"/events/{built.event.slug}/judging/projects/{sub.id}", judge.email
    log_in(page, live_server, email)
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    project = page.get_by_role("region", name="The project").bounding_box()
    scores = page.get_by_role("region", name="Your scores").bounding_box()
    assert scores["x"] > project["x"] + project["width"] - 1 and abs(scores["y"] - project["y"]) < 5  # side by side
    expect(page.get_by_label("Impact")).to_have_accessible_description(
        re.compile("How much it helps people in the city.")
    )
    page.set_viewport_size(PHONE)
    project = page.get_by_role("region", name="The project").bounding_box()
    scores = page.get_by_role("region", name="Your scores").bounding_box()
    assert scores["y"] >= project["y"] + project["height"]  # one under the other on a phone

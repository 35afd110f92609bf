"""A participant's account, end to end in a real browser: sign up, profile, language,
log out and in, a wrong password, and the keyboard-only path."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import TEST_PASSWORD

BIO = "Urban planner who maps bike lanes with open data."
WRONG_PASSWORD_MESSAGE = "That e-mail address and password do not match an account."


def path_is(live_server: str, path: str) -> re.Pattern:
    """A URL pattern for exactly this path on the live server (a #fragment is allowed)."""
    return re.compile(re.escape(live_server + path) + r"(#.*)?$")


def header_nav(page: Page):
    return page.get_by_role("banner").get_by_role("navigation")


def sign_up(page: Page, live_server: str, email: str, name: str = "Nadia Newcomer") -> None:
    """From the home page, through the header's "Sign up" link, to the profile page."""
    page.goto("/")
    header_nav(page).get_by_role("link", name="Sign up", exact=True).click()
    expect(page).to_have_url(path_is(live_server, "/signup"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Repeat the password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page).to_have_url(path_is(live_server, "/account"))


def log_in(page: Page, live_server: str, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()


def test_signup_saves_profile_when_newcomer_fills_it_in(page: Page, live_server):
    sign_up(page, live_server, "nadia@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("status")).to_contain_text("Welcome, Nadia Newcomer!")
    expect(page.get_by_role("note")).to_contain_text("To vote, confirm your e-mail address first")

    page.get_by_label("Skills").fill("Python, GIS")
    page.get_by_label("Short bio").fill(BIO)
    looking = page.get_by_label("I am looking for a team")
    expect(looking).not_to_be_checked()
    looking.check()
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(path_is(live_server, "/account"))
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")

    page.reload()
    expect(page.get_by_role("status")).not_to_contain_text("Your profile is saved.")  # flashed once only
    expect(page.get_by_label("Display name")).to_have_value("Nadia Newcomer")
    expect(page.get_by_label("Skills")).to_have_value("Python, GIS")
    expect(page.get_by_label("Short bio")).to_have_value(BIO)
    expect(page.get_by_label("I am looking for a team")).to_be_checked()


def test_language_switch_shows_dutch_when_nederlands_is_chosen(page: Page, live_server, auth):
    user = auth.create_user(email="lotte@example.org")
    log_in(page, live_server, user.email)
    page.goto("/account")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Nederlands").click()
    expect(page).to_have_url(path_is(live_server, "/account"))  # the switch returns to the same page
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(page.get_by_role("button", name="Nederlands")).to_have_attribute("aria-current", "true")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(path_is(live_server, "/account"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")


def test_language_switch_translates_login_link_when_visitor_is_anonymous(page: Page, live_server):
    page.goto("/")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(header_nav(page).get_by_role("link", name="Inloggen", exact=True)).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(header_nav(page).get_by_role("link", name="Log in", exact=True)).to_be_visible()


def test_login_reaches_home_when_user_logged_out_before(page: Page, live_server):
    email = "ruben@example.org"
    sign_up(page, live_server, email, name="Ruben Returner")
    nav = header_nav(page)
    expect(nav.get_by_role("link", name="My account")).to_be_visible()

    nav.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(path_is(live_server, "/"))
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
    expect(nav.get_by_role("link", name="My account")).to_have_count(0)
    expect(nav.get_by_role("link", name="Log in", exact=True)).to_be_visible()

    # The account page is closed again once logged out.
    page.goto("/account")
    expect(page).to_have_url(re.compile(re.escape(live_server + "/login")))

    log_in(page, live_server, email)
    expect(page).to_have_url(path_is(live_server, "/"))
    expect(page.get_by_role("status")).to_contain_text("You are logged in.")
    expect(nav.get_by_role("link", name="My account")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()


def test_login_shows_error_when_password_is_wrong(page: Page, live_server, auth, browser_log):
    user = auth.create_user(email="wim@example.org")
    # A rejected log-in answers 401 (the rate limit counts those); Chromium reports that status.
    browser_log.allow_console_error(r"status of 401 \(UNAUTHORIZED\) \(" + re.escape(live_server + "/login") + r"\)$")
    log_in(page, live_server, user.email, password="not the right password")

    expect(page).to_have_url(path_is(live_server, "/login"))
    expect(page.get_by_role("main")).to_contain_text(WRONG_PASSWORD_MESSAGE)
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")  # never echoed back
    expect(page.get_by_label("E-mail address")).to_have_value(user.email)
    expect(header_nav(page).get_by_role("link", name="My account")).to_have_count(0)


def focused(page: Page) -> dict:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),"
        " text: (el.textContent || '').trim()}; }"
    )


def test_skip_link_moves_focus_to_main_when_keyboard_user_presses_enter(page: Page, live_server):
    page.goto("/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a" and first["text"] == "Skip to main content", first
    expect(page.get_by_role("link", name="Skip to main content")).to_have_attribute("href", "#main")

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert focused(page)["tag"] == "main"
    expect(page).to_have_url(path_is(live_server, "/"))  # the path is unchanged; only #main added


def test_signup_completes_when_only_keyboard_is_used(page: Page, live_server):
    page.goto("/signup")
    email = page.get_by_label("E-mail address")
    # Tab from the top of the page until the first field is reached; it must be reachable.
    for _ in range(25):
        page.keyboard.press("Tab")
        if focused(page)["name"] == "email":
            break
    expect(email).to_be_focused()

    page.keyboard.type("kees@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Display name")).to_be_focused()
    page.keyboard.type("Kees Keyboard")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Repeat the password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("main").get_by_role("button", name="Sign up", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(path_is(live_server, "/account"))
    expect(page.get_by_role("status")).to_contain_text("Welcome, Kees Keyboard!")
    expect(page.get_by_label("Display name")).to_have_value("Kees Keyboard")

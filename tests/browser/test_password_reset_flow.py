"""Forgot your password? End to end in a real browser, with the mail caught by a real local
SMTP server: ask, read the e-mail, follow the link, choose a password, log in; the link then
refuses a second use. The keyboard carries the whole way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from hackkit.extensions import db
from hackkit.services.accounts import register_user
from tests.browser.test_account_flow import log_in, path_is
from tests.mailserver import reset_link

NEW_PASSWORD = "a fresh start for spring"


@pytest.fixture
def app_settings(smtp_server):
    """The live server's app sends its mail to the test's SMTP server."""
    return smtp_server.config()


def test_forgotten_password_is_reset_by_e_mail_with_the_keyboard(
    page: Page, live_server, app, smtp_server, browser_log
):
    with app.app_context():
        register_user(db.session, "forgetful@example.org", "Frida Forgetful", "the password I forgot")

    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_is(live_server, "/auth/reset"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    email = page.get_by_label("E-mail address")
    email.fill("forgetful@example.org")
    email.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.get_by_role("main")).to_contain_text("If an account exists for forgetful@example.org")

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "forgetful@example.org"
    link = reset_link(message.get_content())
    assert message.get_content().count(live_server) == 1  # the link points at this hub

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)  # the confirmation field is next in the tab order
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_is(live_server, "/login"))
    expect(page.get_by_role("status")).to_contain_text("Your password is set.")

    log_in(page, live_server, "forgetful@example.org", NEW_PASSWORD)
    expect(page).to_have_url(path_is(live_server, "/"))
    expect(page.get_by_role("status")).to_contain_text("You are logged in.")

    browser_log.allow_console_error("status of 400")  # the used link's page is a 400
    page.goto(link)  # the same link again
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    expect(page.get_by_role("alert")).to_contain_text("already been used")
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page).to_have_url(path_is(live_server, "/auth/reset"))

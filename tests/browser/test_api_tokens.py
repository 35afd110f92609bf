"""API tokens and CORS in a real browser: a token made on the account page, shown once,
used over HTTP and revoked; and a page on another origin reading the API but not writing."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

from tests.browser.test_account_flow import sign_up


def api_status(live_server: str, path: str, token: str) -> int:
    request = urllib.request.Request(live_server + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_token_made_on_the_account_page_is_shown_once_and_can_be_revoked(page: Page, live_server):
    sign_up(page, live_server, "tess@example.org", name="Tess Token")
    page.get_by_label("Token name").fill("Tree dashboard")
    page.get_by_label("Access").select_option(label="Read only")
    page.get_by_role("button", name="Create token").click()

    secret_box = page.get_by_label("Token", exact=True)
    expect(secret_box).to_have_attribute("readonly", "")
    expect(page.get_by_text("it is shown only once")).to_be_visible()
    secret = secret_box.input_value()
    assert secret.startswith("hk_")
    assert api_status(live_server, "/api/v1/me", secret) == 200

    row = page.get_by_role("row").filter(has_text="Tree dashboard")
    expect(row).to_contain_text("Read only")
    page.goto("/account")  # (a reload would re-send the form and make a second token)
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)  # never shown again
    expect(page.get_by_role("row").filter(has_text="Tree dashboard")).not_to_contain_text("Never")

    page.get_by_role("button", name="Revoke the token Tree dashboard").click()
    expect(page.get_by_role("status")).to_contain_text("is revoked")
    expect(page.get_by_role("row").filter(has_text="Tree dashboard")).to_contain_text("Revoked")
    assert api_status(live_server, "/api/v1/me", secret) == 401


def test_a_page_on_another_origin_can_read_the_api_but_not_write(browser, live_server):
    # localhost and 127.0.0.1 are different origins for the browser, served by the same hub.
    port = live_server.rsplit(":", 1)[1]
    other_origin = f"http://localhost:{port}"
    # The hub's page at the other origin stands in for a third-party site; its own
    # Content-Security-Policy (connect only to itself) is the hub's, not the other site's.
    context = browser.new_context(bypass_csp=True)
    try:
        context.route(
            lambda url: not url.startswith((other_origin, live_server)), lambda route: route.abort("blockedbyclient")
        )
        page = context.new_page()
        page.goto(other_origin + "/")
        read = page.evaluate(
            """async (url) => {
                const response = await fetch(url);
                return {status: response.status, limit: response.headers.get("X-RateLimit-Limit"),
                        body: await response.json()};
            }""",
            live_server + "/api/v1/events",
        )
        assert read["status"] == 200 and read["limit"] and isinstance(read["body"], dict | list)
        write = page.evaluate(
            """async (url) => {
                try {
                    await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"});
                    return "sent";
                } catch (error) { return "blocked"; }
            }""",
            live_server + "/api/v1/events",
        )
        assert write == "blocked", json.dumps(write)
    finally:
        context.close()

"""The base layout: accessible structure and no asset from another server."""

import re
from html.parser import HTMLParser

import pytest


class PageStructure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> PageStructure:
    page = PageStructure()
    page.feed(html)
    return page


ANONYMOUS_PAGES = ["/", "/login", "/signup", "/does-not-exist"]
ORGANIZER_PAGES = ["/", "/account", "/account/password", "/account/delete", "/admin/users"]


def pages_to_check(client, auth):
    for url in ANONYMOUS_PAGES:
        yield url, client.get(url).get_data(as_text=True)
    auth.login_as("organizer")
    for url in ORGANIZER_PAGES:
        yield url, client.get(url).get_data(as_text=True)


def test_pages_load_no_script_style_or_image_from_another_server(client, auth):
    for url, html in pages_to_check(client, auth):
        page = parse(html)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for attrs in page.find(tag):
                value = attrs.get(attr) or ""
                assert not re.match(r"^(https?:)?//", value), f"{url} loads {value}"


def test_pages_have_landmarks_skip_link_and_a_language(client, auth):
    for url, html in pages_to_check(client, auth):
        page = parse(html)
        assert page.find("html")[0].get("lang") in {"en", "nl"}, url
        for landmark in ("header", "nav", "main", "footer"):
            assert page.find(landmark), f"{url} has no <{landmark}>"
        first_link = page.find("a")[0]
        assert first_link.get("href") == "#main" and "skip-link" in first_link.get("class", ""), url
        assert page.find("main", id="main"), url
        assert len(page.find("h1")) == 1, f"{url} should have exactly one h1"


def test_every_form_control_has_a_label(client, auth):
    for url, html in pages_to_check(client, auth):
        page = parse(html)
        label_targets = {attrs.get("for") for attrs in page.find("label")}
        for tag in ("input", "select", "textarea"):
            for attrs in page.find(tag):
                if attrs.get("type") in {"hidden", "submit"}:
                    continue
                assert attrs.get("id") in label_targets or attrs.get("aria-label"), f"{url}: unlabelled {attrs}"


def test_form_errors_are_tied_to_their_inputs(client):
    html = client.post("/signup", data={}).get_data(as_text=True)  # no CSRF: refused before the form
    assert "reload the page" in html
    from tests.conftest import post_form

    html = post_form(client, "/signup", {"email": "ada@example.org"}).get_data(as_text=True)
    inputs = {a.get("name"): a for a in parse(html).find("input")}
    assert inputs["display_name"].get("aria-invalid") == "true"
    assert "display_name-error" in inputs["display_name"]["aria-describedby"]
    assert 'id="display_name-error"' in html
    assert "aria-invalid" not in inputs["email"] and "aria-describedby" not in inputs["email"]
    assert inputs["password"]["aria-describedby"] == "password-hint password-error"
    assert "None" not in html


@pytest.mark.parametrize("asset", ["/static/css/hackkit.css"])
def test_the_hub_serves_its_own_assets(client, asset):
    response = client.get(asset)
    assert response.status_code == 200 and len(response.data) > 500


def test_focus_is_always_visible_in_the_stylesheet(client):
    css = client.get("/static/css/hackkit.css").get_data(as_text=True)
    assert ":focus-visible" in css and "outline: none" not in css.replace("main:focus { outline: none; }", "")

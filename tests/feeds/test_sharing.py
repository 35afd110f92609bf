"""Sharing through real HTTP: Open Graph and Twitter-card metadata on the pages, the share
images (1200×630 PNG, cached, following the page's visibility) and the plain share links."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from PIL import Image

from hackkit.datasets.commands import ShellActor
from hackkit.extensions import db
from hackkit.security import HUB_POLICY
from hackkit.services import datasets, events, proposals, screenshots, submissions
from tests import factories as f

META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')


def _meta(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in META.findall(page)}


def _png(colour=(200, 30, 30), size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _world(app, visibility="published"):
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        ev = f.event(session, organizer, tagline="Shade and *water* for everyone")
        shown = f.team(session, ev, name="Team Shown")
        captain = shown.memberships[0].user
        submissions.save_submission(session, captain, shown, {"title": "Cool Routes"}, status="submitted")
        screenshots.add_screenshot(session, captain, shown, _png(), "The route map")
        draft = f.team(session, ev, name="Team Draft")
        submissions.save_submission(session, draft.memberships[0].user, draft, {"title": "Not yet"})
        proposal = proposals.propose(
            session, f.registered(session, ev), ev, {"title": "Drinking fountains"}, now=ev.starts_at - _day()
        )
        if visibility != "published":
            events.update_event(session, organizer, ev, {"visibility": visibility})
        return {
            "slug": ev.slug,
            "shown": shown.id,
            "draft": draft.id,
            "proposal": proposal.id,
            "captain": captain.email,
            "draft_captain": draft.memberships[0].user.email,
        }


def _day():
    from datetime import timedelta

    return timedelta(days=1)


def _image(client, url: str) -> Image.Image:
    response = client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200, url
    assert response.mimetype == "image/png"
    assert "max-age=3600" in response.headers["Cache-Control"]
    image = Image.open(io.BytesIO(response.get_data()))
    assert image.size == (1200, 630)
    return image


def test_event_page_carries_open_graph_feeds_and_plain_share_links(app, client):
    world = _world(app)
    response = client.get(f"/events/{world['slug']}")
    page = response.get_data(as_text=True)
    meta = _meta(page)
    assert meta["og:title"] == "Antwerp Data Weekend"
    assert meta["og:description"] == "Shade and water for everyone"  # plain text, not Markdown
    assert meta["og:url"] == f"http://localhost/events/{world['slug']}"
    assert meta["og:type"] == "website"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"] == f"http://localhost/share/event/{world['slug']}.png"
    for kind, href in (
        ("application/atom+xml", f"/events/{world['slug']}/announcements.atom"),
        ("application/atom+xml", f"/events/{world['slug']}/projects.atom"),
        ("text/calendar", f"/events/{world['slug']}/schedule.ics"),
    ):
        assert re.search(rf'<link rel="alternate" type="{re.escape(kind)}"[^>]*href="{re.escape(href)}"', page)
    links = re.findall(r'<li><a href="([^"]+)" rel="noopener noreferrer">', page)
    assert any(link.startswith("https://bsky.app/intent/compose?text=Antwerp+Data+Weekend") for link in links)
    assert any(link.startswith("https://www.linkedin.com/sharing/share-offsite/?url=http") for link in links)
    assert any(link.startswith("mailto:?subject=Antwerp%20Data%20Weekend") for link in links)
    assert any(link.startswith("http://localhost/share/mastodon?text=") for link in links)
    # No third-party script, and the page's policy is the hub's strict one.
    assert not re.search(r"<script[^>]+src=\"https?://", page)
    assert response.headers["Content-Security-Policy"] == HUB_POLICY
    _image(client, meta["og:image"])


def test_share_image_is_drawn_once_per_content_and_cached_on_disk(app, client):
    world = _world(app)
    url = f"/share/event/{world['slug']}.png"
    first = client.get(url)
    folder = Path(app.instance_path) / "share-images"
    assert len(list(folder.glob("*.png"))) == 1
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    with app.app_context():
        ev = events.get_event(db.session, None, world["slug"])
        ev.name = "Ghent Data Weekend"  # a new title: a new picture, at the same address
        db.session.commit()
    changed = client.get(url)
    assert changed.status_code == 200 and changed.get_data() != first.get_data()
    assert len(list(folder.glob("*.png"))) == 2


def test_project_page_and_image_show_the_public_project_with_its_screenshot(app, client, auth):
    world = _world(app)
    page = client.get(f"/teams/{world['shown']}/project").get_data(as_text=True)
    meta = _meta(page)
    assert meta["og:title"] == "Cool Routes" and meta["og:type"] == "article"
    image = _image(client, meta["og:image"]).convert("RGB")
    # The first screenshot (a red picture) is on the card, in the right-hand part.
    reds = sum(1 for x in range(640, 1200, 8) for y in range(90, 400, 8) if image.getpixel((x, y)) == (200, 30, 30))
    assert reds > 50


def test_a_project_that_is_not_public_has_no_share_image_nor_metadata(app, client, auth):
    world = _world(app)
    assert client.get(f"/share/project/{world['draft']}.png").status_code == 404
    auth.login(world["draft_captain"])  # the team sees its draft page, but nothing to share
    page = client.get(f"/teams/{world['draft']}/project").get_data(as_text=True)
    assert "og:image" not in page and "bsky.app" not in page
    assert client.get(f"/share/project/{world['draft']}.png").status_code == 404


def test_a_draft_events_pages_have_no_share_images(app, client, auth):
    world = _world(app, visibility="draft")
    for url in (
        f"/share/event/{world['slug']}.png",
        f"/share/project/{world['shown']}.png",
        f"/share/proposal/{world['proposal']}.png",
    ):
        assert client.get(url).status_code == 404, url
    auth.login_as("organizer")
    page = client.get(f"/events/{world['slug']}").get_data(as_text=True)
    assert "og:image" not in page and "application/atom+xml" not in page
    assert client.get(f"/share/event/{world['slug']}.png").status_code == 404


def test_dataset_and_proposal_pages_carry_open_graph(app, client, tmp_path):
    world = _world(app)
    source = tmp_path / "parks.csv"
    source.write_text("name,lat,lon\nStadspark,51.2140,4.4130\n", encoding="utf-8")
    draft_source = tmp_path / "benches.csv"
    draft_source.write_text("name,lat,lon\nBench,51.2140,4.4130\n", encoding="utf-8")
    with app.app_context():
        meta = {"slug": "parks", "title": "City parks", "description": "Every **park** of the city."}
        datasets.import_dataset(db.session, ShellActor(), source, metadata=meta)
        draft = {"slug": "benches", "title": "Benches"}
        datasets.import_dataset(db.session, ShellActor(), draft_source, metadata=draft, draft=True)
    dataset_meta = _meta(client.get("/datasets/parks").get_data(as_text=True))
    assert dataset_meta["og:title"] == "City parks"
    assert dataset_meta["og:description"] == "Every park of the city."
    _image(client, dataset_meta["og:image"])
    assert client.get("/share/dataset/benches.png").status_code == 404  # a draft dataset: nothing
    proposal_page = client.get(f"/events/{world['slug']}/proposals/{world['proposal']}").get_data(as_text=True)
    proposal_meta = _meta(proposal_page)
    assert proposal_meta["og:title"] == "Drinking fountains"
    _image(client, proposal_meta["og:image"])
    assert client.get("/share/proposal/not-a-number.png").status_code == 404


def test_mastodon_share_asks_for_the_server_then_links_to_it(client):
    asked = client.get("/share/mastodon?text=Cool+Routes+http://localhost/teams/1/project")
    assert asked.status_code == 200 and 'name="instance"' in asked.get_data(as_text=True)
    chosen = client.get("/share/mastodon", query_string={"text": "Cool Routes", "instance": "https://Mastodon.Social/"})
    body = chosen.get_data(as_text=True)
    assert 'href="https://mastodon.social/share?text=Cool+Routes"' in body
    wrong = client.get("/share/mastodon", query_string={"text": "x", "instance": "javascript:alert(1)//"})
    assert wrong.status_code == 400
    assert "Enter the name of your Mastodon server" in wrong.get_data(as_text=True)
    assert "javascript:alert" not in re.findall(r'href="([^"]*)"', wrong.get_data(as_text=True))[-1]


def test_sharing_and_following_speak_dutch(app, client):
    world = _world(app)
    dutch = {"Accept-Language": "nl"}
    page = client.get(f"/events/{world['slug']}", headers=dutch).get_data(as_text=True)
    assert "Volg dit evenement" in page and "Delen" in page
    asked = client.get("/share/mastodon?text=x", headers=dutch).get_data(as_text=True)
    assert "Delen op Mastodon" in asked

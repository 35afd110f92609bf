"""The event's project map (/maps/events/<slug>/projects) and its place in the gallery.

What the map draws is checked in a real browser (tests/browser/test_maps.py); these check
what it counts (the public view only), escaping, and who may see it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hackkit.extensions import db
from hackkit.services import datasets, submissions
from tests import factories as f
from tests.datasets.helpers import import_file, write_csv
from tests.events.test_views import log_in_new

DISTRICTS_FILE = Path(__file__).resolve().parents[2] / "datasets" / "districts" / "districts.geojson"
NAMES = [feature["properties"]["name"] for feature in json.loads(DISTRICTS_FILE.read_text("utf-8"))["features"]]
HOSTILE = '<img src=x onerror="alert(1)"> & Co'


def event_with_projects(app, **event_overrides) -> tuple[str, str]:
    """An event with two public projects in the first district (one of them with a
    hostile title), one in the second with its name spelled loosely, and a draft in the third."""
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        event = f.event(session, organizer)
        projects = [
            (HOSTILE, NAMES[0], "submitted"),
            ("Bench finder", NAMES[0], "submitted"),
            ("Tree census", f"  {NAMES[1].upper()} ", "submitted"),
            ("Secret draft", NAMES[2], None),
            ("Anywhere", "", "submitted"),
        ]
        for title, district, status in projects:
            team = f.team(session, event)
            member = team.memberships[0].user
            submissions.save_submission(session, member, team, {"title": title, "district": district}, status=status)
        if event_overrides:
            from hackkit.services import events

            events.update_event(session, organizer, event, event_overrides)
        return event.slug, organizer.email


def features(html: str) -> dict[str, dict]:
    """District name -> {"projects": n, "tooltip": its HTML}, from the GeoJSON in the page."""
    found = {}
    for count, tooltip in re.findall(r'"projects": (\d+), "tooltip": ("(?:[^"\\]|\\.)*")', html):
        text = json.loads(tooltip)
        name = next(name for name in NAMES if text.startswith(f"<strong>{name}</strong>"))
        found[name] = {"projects": int(count), "tooltip": text}
    return found


def test_map_counts_public_projects_per_district_and_escapes_titles(client, app):
    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    slug, _organizer = event_with_projects(app)
    response = client.get(f"/maps/events/{slug}/projects")
    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    counts = {name: props["projects"] for name, props in features(html).items()}
    # The draft's district counts nothing: the map shows what the gallery shows.
    assert counts == {name: {NAMES[0]: 2, NAMES[1]: 1}.get(name, 0) for name in NAMES}
    assert "Secret draft" not in html
    assert "<img" not in html
    first = features(html)[NAMES[0]]["tooltip"]
    assert "<li>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co</li><li>Bench finder</li>" in first
    assert "No project yet" in features(html)[NAMES[2]]["tooltip"]

    gallery = client.get(f"/events/{slug}/projects").get_data(as_text=True)
    assert f'src="/maps/events/{slug}/projects"' in gallery
    assert 'title="Map of the projects of Antwerp Data Weekend per district"' in gallery
    missing = gallery[gallery.index("Districts without a project:") :].split("</p>")[0]
    assert NAMES[2] in missing and NAMES[0] not in missing and NAMES[1] not in missing


def test_map_and_gallery_are_in_dutch_for_dutch_visitors(client, app):
    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    slug, _organizer = event_with_projects(app)
    html = client.get(f"/maps/events/{slug}/projects", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    tooltips = {name: props["tooltip"] for name, props in features(html).items()}
    assert '<html lang="nl">' in html and "2 projecten" in tooltips[NAMES[0]]
    assert "Nog geen project" in tooltips[NAMES[2]]


def test_draft_event_map_is_for_organizers_only(client, app, auth):
    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts")
    slug, organizer = event_with_projects(app, visibility="draft")
    url = f"/maps/events/{slug}/projects"
    assert client.get(url).status_code == 404
    log_in_new(auth)
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login(organizer)
    assert client.get(url).status_code == 200
    assert client.get("/maps/events/no-such-event/projects").status_code == 404


def test_no_map_when_the_districts_dataset_has_points_not_polygons(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "d.csv", "name;lat;lon\nMeir;51.218;4.41\n"), slug="districts", title="D")
    slug, _organizer = event_with_projects(app)
    assert client.get(f"/maps/events/{slug}/projects").status_code == 404
    assert "iframe" not in client.get(f"/events/{slug}/projects").get_data(as_text=True)


def test_no_map_without_visible_district_polygons(client, app):
    slug, _organizer = event_with_projects(app)
    assert client.get(f"/maps/events/{slug}/projects").status_code == 404
    assert "iframe" not in client.get(f"/events/{slug}/projects").get_data(as_text=True)

    import_file(app, DISTRICTS_FILE, slug="districts", title="Districts", draft=True)
    assert client.get(f"/maps/events/{slug}/projects").status_code == 404
    assert "iframe" not in client.get(f"/events/{slug}/projects").get_data(as_text=True)

    with app.app_context():
        dataset = datasets.get_dataset(db.session, f.user(db.session, "organizer"), "districts")
        dataset.status = "published"
        db.session.commit()
    assert client.get(f"/maps/events/{slug}/projects").status_code == 200
    assert "iframe" in client.get(f"/events/{slug}/projects").get_data(as_text=True)

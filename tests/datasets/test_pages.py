"""The catalogue pages: search and facets, the dataset page, upload, corrections, curation."""

import io
import json
import re

import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Dataset
from tests.conftest import csrf_token, post_form
from tests.datasets.helpers import import_file, write_csv

CSV = (
    "id;naam;lat;lon;postcode;capaciteit\n"
    "1;Meir;51.218;4.41;2000;10\n2;Zuid;51.2;4.39;2018;25\n3;Noord;51.23;4.42;2060;\n"
)


def test_catalogue_searches_and_filters_by_facet(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", title="Bike stations", license="CC0-1.0")
    import_file(app, write_csv(tmp_path, "b.csv", "x\n1\n"), slug="numbers", title="Numbers", license="CC-BY-4.0")
    page = client.get("/datasets/").get_data(as_text=True)
    assert "Bike stations" in page and "Numbers" in page and 'name="license" value="CC0-1.0"' in page
    filtered = client.get("/datasets/?license=CC-BY-4.0").get_data(as_text=True)
    assert "Numbers" in filtered and "Bike stations" not in filtered
    assert "Bike stations" in client.get("/datasets/?q=bike").get_data(as_text=True)


def test_drafts_show_to_organizers_only(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="secret", title="Secret plans", draft=True)
    assert "Secret plans" not in client.get("/datasets/").get_data(as_text=True)
    assert client.get("/datasets/secret").status_code == 404
    auth.login_as("organizer")
    assert "Secret plans" in client.get("/datasets/").get_data(as_text=True)
    assert client.get("/datasets/secret").status_code == 200


def test_dataset_page_shows_metadata_columns_downloads_snippets_and_json_ld(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", title="Bike stations", license="CC0-1.0")
    page = client.get("/datasets/stations").get_data(as_text=True)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["@type"] == "Dataset" and ld["name"] == "Bike stations" and ld["distribution"]
    assert '<svg class="histogram"' in page  # capaciteit is numeric
    expected_parts = (
        "rows.csv",
        "rows.geojson",
        "/datasets/stations/original",
        "pd.read_csv",
        "folium.GeoJson",
        "curl",
    )
    for expected in expected_parts:
        assert expected in page
    assert 'id="map-preview"' in page
    original = client.get("/datasets/stations/original")
    assert original.status_code == 200 and original.data.decode() == CSV


def test_preview_filters_sorts_and_pages_without_javascript(client, app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations")
    page = client.get("/datasets/stations?f_col=capaciteit&f_op=gte&f_val=10&_sort_desc=capaciteit&_size=1")
    text = page.get_data(as_text=True)
    assert "2 matching rows" in text and "<td>Zuid</td>" in text and "<td>Meir</td>" not in text
    assert 'rel="prev"' not in text  # the first page has no way back
    next_link = re.search(r'rel="next" href="([^"#]*)', text).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "<td>Meir</td>" in second and "rows 2 to 2" in second
    previous = re.search(r'rel="prev" href="([^"#]*)', second).group(1).replace("&amp;", "&")
    first = client.get(previous).get_data(as_text=True)  # back to the first page, filter and sort kept
    assert "<td>Zuid</td>" in first and "<td>Meir</td>" not in first and "2 matching rows" in first
    assert 'rel="prev"' not in first
    bad = client.get("/datasets/stations?capaciteit__gt=lots")
    assert bad.status_code == 200 and "not a valid integer" in bad.get_data(as_text=True)


def test_organizer_uploads_sees_the_report_and_corrects_a_type(client, app, auth, tmp_path):
    auth.login_as("organizer")
    token = csrf_token(client, "/datasets/upload")
    response = client.post(
        "/datasets/upload",
        data={"csrf_token": token, "file": (io.BytesIO(CSV.encode()), "stations.csv"), "title": "Stations"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/datasets/stations/report")
    report = client.get("/datasets/stations/report").get_data(as_text=True)
    assert "semicolon" in report and 'name="type-capaciteit"' in report
    fixed = post_form(
        client,
        "/datasets/stations/report",
        {"encoding": "utf-8", "delimiter": ";", "header": "yes", "type-capaciteit": "text", "type-id": "integer"},
    )
    assert fixed.status_code == 302
    detail = client.get("/api/v1/datasets/stations").get_json()
    assert detail["version"] == 2 and {c["name"]: c["type"] for c in detail["columns"]}["capaciteit"] == "text"


def test_unreadable_upload_shows_one_clear_message_and_keeps_nothing(client, app, auth):
    auth.login_as("organizer")
    token = csrf_token(client, "/datasets/upload")
    response = client.post(
        "/datasets/upload",
        data={"csrf_token": token, "file": (io.BytesIO(b"\x00\x01\x02" * 50), "x.csv"), "license": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "cannot be imported" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Dataset)) == 0


def test_participants_cannot_upload_or_edit(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations")
    auth.login_as("participant")
    assert client.get("/datasets/upload").status_code == 403
    assert client.get("/datasets/stations/edit").status_code == 403
    assert client.post("/datasets/stations/report", data={}).status_code in (400, 403)


def test_organizer_curates_metadata_and_publishes_a_draft(client, app, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", draft=True)
    auth.login_as("organizer")
    response = post_form(
        client,
        "/datasets/stations/edit",
        {
            "title": "Bike stations",
            "description": "Where to pick up a bike.",
            "publisher": "City of Antwerp",
            "license": "modellicentie-gratis-hergebruik",
            "themes": ["TRAN", "REGI"],
            "keywords": "bike, mobility",
            "update_frequency": "daily",
            "source_url": "https://example.org/bikes",
            "status": "published",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        dataset = db.session.scalar(sa.select(Dataset))
        assert dataset.status == "published" and dataset.themes == ["TRAN", "REGI"]
        assert dataset.keywords == ["bike", "mobility"]
    bad = post_form(
        client, "/datasets/stations/edit", {"title": "x", "source_url": "ftp://nope", "status": "published"}
    )
    assert bad.status_code == 200 and "http://" in bad.get_data(as_text=True)


def test_description_and_version_notes_render_as_markdown_without_scripts(client, app, tmp_path):
    hostile = (
        "**Bold** and [a link](https://example.org).\n\n<script>alert(1)</script>\n\n"
        '<a href="javascript:alert(2)">click</a> <b onmouseover="alert(3)">hover</b>\n\n[x](javascript:alert(4))'
    )
    path = write_csv(tmp_path, "a.csv", CSV)
    with app.app_context():
        from hackkit.datasets.commands import ShellActor
        from hackkit.services import datasets

        datasets.import_dataset(
            db.session,
            ShellActor(),
            path,
            metadata={"slug": "stations", "title": "Stations", "description": hostile},
            notes="Fixed *typos*. <img src=x onerror=alert(5)>",
        )
    page = client.get("/datasets/stations").get_data(as_text=True)
    # The JSON-LD block holds the raw text, escaped for JSON; check what the page renders.
    page = re.sub(r'<script type="application/ld\+json">.*?</script>', "", page, flags=re.S)
    assert "<strong>Bold</strong>" in page and "<em>typos</em>" in page
    assert 'href="https://example.org"' in page
    for trace in ("<script>alert", "javascript:", "onmouseover", "onerror", "<img src=x"):
        assert trace not in page, trace


def test_importer_messages_reach_the_organizer_in_their_language(client, app, auth, runner, tmp_path):
    auth.login_as("organizer")
    post_form(client, "/language", {"lang": "nl"}, page="/")
    token = csrf_token(client, "/datasets/upload")
    broken = client.post(
        "/datasets/upload",
        data={"csrf_token": token, "file": (io.BytesIO(b'[{"a": 1}, 2]'), "broken.json"), "title": "Kapot"},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422
    assert "Deze JSON is geen lijst van records (een array van objecten)." in broken.get_data(as_text=True)

    # What it detected, and its notes, in Dutch too ("postcode" holds codes: kept as text).
    data = CSV.replace("capaciteit", "aantal") + "4;Oost;51.21;4.44;2100;x\n"
    response = client.post(
        "/datasets/upload",
        data={"csrf_token": token, "file": (io.BytesIO(data.encode()), "stations.csv"), "title": "Stations"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report = client.get("/datasets/stations/report").get_data(as_text=True)
    assert "punten uit de kolommen voor breedte-/lengtegraad lat/lon" in report
    assert "postcode blijft tekst: naar zijn naam bevat het codes, geen hoeveelheden." in report
    assert "punten uit de kolommen voor breedte-/lengtegraad lat/lon" in client.get("/datasets/stations").get_data(
        as_text=True
    )
    wrong = post_form(client, "/datasets/stations/report", {"delimiter": ";", "header": "yes", "type-naam": "integer"})
    assert wrong.status_code == 422
    assert "Rij 1, kolom naam: &#39;Meir&#39; is geen geldige waarde van het type integer." in wrong.get_data(
        as_text=True
    )
    # The API and the CLI keep the English text.
    api_report = client.get("/api/v1/datasets/stations").get_json()["report"]
    assert api_report["geometry"]["detected"] == "points from the latitude/longitude columns lat/lon"
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(args=["datasets", "import", str(empty)])
    assert result.exit_code != 0 and "The file is empty." in result.output


def test_a_refused_query_that_names_markup_shows_it_as_text(client, app, tmp_path):
    # Error messages are lazy translations holding user input; they must be escaped like the rest.
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", title="Stations")
    page = client.get("/datasets/stations?_sort=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_original_download_over_http_carries_one_date_header(app, live_server, tmp_path):
    import http.client

    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations")
    connection = http.client.HTTPConnection(live_server.removeprefix("http://"), timeout=10)
    connection.request("GET", "/datasets/stations/original")
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200 and body.decode() == CSV
    assert len(response.headers.get_all("Date")) == 1  # the server's own, not a second from the app


def test_map_rows_answer_a_clicked_point_for_whoever_sees_the_dataset(client, app, auth, tmp_path):
    # What the preview's point layer asks when a point is clicked: the rows in a box around it.
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="stations", draft=True)
    box = "/datasets/stations/map-rows?lat__gte=51.19999&lat__lte=51.20001&lon__gte=4.38999&lon__lte=4.39001&_size=1"
    assert client.get(box).status_code == 404  # a draft: not for visitors
    auth.login_as("organizer")  # previewing the draft with a session, not an API token
    answer = client.get(box).get_json()
    assert answer["total"] == 1 and answer["rows"][0]["naam"] == "Zuid"
    assert client.get("/datasets/stations/map-rows?nope__gte=1").status_code == 400

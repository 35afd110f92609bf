"""The correction form of the report page: header, delimiter, encoding and location source
can change; the columns that come out are typed anew; a failure leaves the dataset as it was."""

import html
import re

from tests.conftest import post_form
from tests.datasets.helpers import dataset_tables, write_csv


def run(runner, *args):
    result = runner.invoke(args=["datasets", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def browser_form(client, slug: str, **changes) -> dict:
    """What the browser posts: every field of the report form as shown, then the changes."""
    text = client.get(f"/datasets/{slug}/report").get_data(as_text=True)
    form = {}
    for name, body in re.findall(r'<select id="[^"]*" name="([^"]+)">(.*?)</select>', text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body) or re.search(r'<option value="([^"]*)"', body)
        form[name] = html.unescape(chosen.group(1)) if chosen else ""
    form.update(changes)
    return form


def correct(client, slug: str, **changes):
    page = f"/datasets/{slug}/report"
    return post_form(client, page, browser_form(client, slug, **changes), follow_redirects=True)


def detail(client, slug: str, version: int | None = None) -> dict:
    suffix = f"?_version={version}" if version else ""
    return client.get(f"/api/v1/datasets/{slug}{suffix}").get_json()


def test_header_correction_reads_new_columns_and_guesses_their_types(runner, client, auth, tmp_path):
    path = write_csv(tmp_path, "names.csv", "Anna,Antwerpen,3\nBram,Gent,4\nCor,Brugge,5\n")
    run(runner, "import", path, "--slug", "names", "--header", "yes")
    auth.login_as("organizer")
    response = correct(client, "names", header="no", draft="")
    text = html.unescape(response.get_data(as_text=True))
    assert "There is no column" not in text and "Imported and published as version 2" in text
    body = detail(client, "names")
    assert body["row_count"] == 3
    assert {c["name"]: c["type"] for c in body["columns"]} == {
        "column_1": "text",
        "column_2": "text",
        "column_3": "integer",
    }


def test_delimiter_correction(runner, client, auth, tmp_path):
    path = write_csv(tmp_path, "a.csv", "id;naam\n1;Anna\n2;Bram\n")
    run(runner, "import", path, "--slug", "people", "--delimiter", ",")
    auth.login_as("organizer")
    correct(client, "people", delimiter=";", draft="")
    assert [c["name"] for c in detail(client, "people")["columns"]] == ["id", "naam"]


def test_encoding_correction(runner, client, auth, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("naam;plaats\nJosé;Liège\nAnaïs;Namen\n".encode("cp1252"))
    run(runner, "import", path, "--slug", "latin", "--encoding", "utf-8")
    auth.login_as("organizer")
    correct(client, "latin", encoding="cp1252", draft="")
    rows = client.get("/api/v1/datasets/latin/rows").get_json()["rows"]
    assert rows[0]["naam"] == "José" and rows[1]["naam"] == "Anaïs"


def test_correcting_a_converted_location_keeps_working(runner, client, auth, tmp_path):
    # The importer adds longitude/latitude columns for x/y data; the form lists them too.
    path = write_csv(tmp_path, "rd.csv", "id;px;py;label\n1;121000;487000;a\n2;122000;488000;b\n")
    run(runner, "import", path, "--slug", "rd", "--geometry", "px,py", "--crs", "28992")
    auth.login_as("organizer")
    response = correct(client, "rd", **{"type-label": "text", "type-id": "text", "draft": ""})
    assert "There is no column" not in html.unescape(response.get_data(as_text=True))
    body = detail(client, "rd")
    assert body["version"] == 2 and {c["name"]: c["type"] for c in body["columns"]}["id"] == "text"
    assert body["geometry"]["from"]["crs"] == "EPSG:28992"  # the earlier choice is kept


def test_location_source_can_be_changed(runner, client, auth, tmp_path):
    path = write_csv(
        tmp_path, "two.csv", "id;a_lat;a_lon;b_lat;b_lon\n1;51.2;4.4;50.85;4.35\n2;51.21;4.41;50.86;4.36\n"
    )
    run(runner, "import", path, "--slug", "two", "--geometry", "a_lat,a_lon")
    auth.login_as("organizer")
    correct(client, "two", geometry_lat="b_lat", geometry_lon="b_lon", draft="")
    geometry = detail(client, "two")["geometry"]
    assert (geometry["lat"], geometry["lon"]) == ("b_lat", "b_lon")
    correct(client, "two", geometry_none="1", draft="")
    assert detail(client, "two")["geometry"] is None


def test_a_correction_is_a_draft_when_asked(runner, client, auth, tmp_path):
    run(runner, "import", write_csv(tmp_path, "a.csv", "id;naam\n1;Anna\n"), "--slug", "people")
    auth.login_as("organizer")
    assert 'id="draft" name="draft" value="1" checked' in client.get("/datasets/people/report").get_data(as_text=True)
    correct(client, "people", **{"type-id": "text", "draft": "1"})
    public = client.application.test_client()
    assert {c["name"]: c["type"] for c in detail(public, "people")["columns"]}["id"] == "integer"


def test_a_failed_correction_says_the_dataset_is_unchanged(runner, client, app, auth, tmp_path):
    run(runner, "import", write_csv(tmp_path, "a.csv", "id;naam\n1;Anna\n2;Bram\n"), "--slug", "people")
    auth.login_as("organizer")
    response = correct(client, "people", **{"type-naam": "integer", "draft": ""})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "The change could not be applied:" in text and "The dataset is unchanged." in text
    assert "This file cannot be imported" not in text
    assert detail(client, "people")["version"] == 1 and len(dataset_tables(app)) == 1


def test_long_column_names_wrap_and_keep_their_full_title(runner, client, auth, tmp_path):
    long_title = "https://data.example.org/vocabulary/" + "measurement-of-something-" * 5 + "end"
    run(runner, "import", write_csv(tmp_path, "a.csv", f"id;{long_title}\n1;x\n"), "--slug", "long")
    auth.login_as("organizer")
    text = client.get("/datasets/long/report").get_data(as_text=True)
    assert '<table class="report-columns">' in text
    assert f'class="column-title" title="{long_title}"' in text
    assert re.search(r'<code class="column-name" title="[^"]+">', text)
    css = client.get("/static/css/hackkit.css").get_data(as_text=True)
    assert ".report-columns th, .report-columns td { overflow-wrap: anywhere" in css


def test_the_other_location_candidates_are_offered_and_one_can_be_chosen(runner, client, auth, tmp_path):
    # Two coordinate pairs: the importer takes the one that places every row; the other
    # (filled for one row only) is offered on the report page with how many rows it places.
    rows = ["naam,lat_a,lon_a,lat_b,lon_b", "Markt,51.2194,4.4025,51.2200,4.4000", "Zoo,51.2170,4.4210,,"]
    run(runner, "import", write_csv(tmp_path, "two.csv", "\n".join(rows) + "\n"), "--slug", "two")
    assert detail(client, "two")["geometry"]["lat"] == "lat_a"
    auth.login_as("organizer")
    page = html.unescape(client.get("/datasets/two/report").get_data(as_text=True))
    offered = re.findall(r"name=\"geometry_candidate\" value='([^']+)'", page)
    assert len(offered) == 1 and "lat_b" in offered[0] and "places 1 row" in page
    correct(client, "two", geometry_candidate=offered[0], draft="")
    assert detail(client, "two")["geometry"]["lat"] == "lat_b"

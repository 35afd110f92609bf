"""datastore_search and /datastore/dump over dataset versions, as CKAN's DataStore answers."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from tests.api.ckan.test_actions import call
from tests.datasets.helpers import import_file, write_csv


def resources(client, slug: str) -> list[dict]:
    return call(client, "package_show", id=slug)["resources"]


def search(client, status: int = 200, **args):
    return call(client, "datastore_search", status, **args)


def test_search_returns_records_fields_total_and_links(client, catalogue):
    current = resources(client, "stops")[0]
    result = search(client, resource_id=current["id"], limit=2)
    assert result["resource_id"] == current["id"] and result["limit"] == 2
    assert result["records_format"] == "objects" and result["include_total"] is True
    assert result["total"] == 4 and result["total_was_estimated"] is False
    assert result["records"][0] == {
        "_id": 1, "id": 1, "naam": "Meir", "lat": 51.218, "lon": 4.41, "postcode": "2000", "open": True,
    }  # fmt: skip
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert types == {"_id": "int", "id": "int", "naam": "text", "lat": "numeric", "lon": "numeric",
                     "postcode": "text", "open": "bool"}  # fmt: skip
    links = result["_links"]
    assert links["start"].startswith("/api/3/action/datastore_search?") and "offset" not in links["start"]
    following = client.get(links["next"]).get_json()["result"]
    assert [r["_id"] for r in following["records"]] == [3, 4]
    assert search(client, resource_id=current["id"], offset=4)["records"] == []


def test_old_versions_stay_readable_and_the_dataset_name_is_an_alias(client, catalogue):
    newest, oldest = resources(client, "stops")
    assert search(client, resource_id=oldest["id"])["total"] == 2
    by_alias = search(client, resource_id="stops")
    assert by_alias["resource_id"] == newest["id"] and by_alias["total"] == 4


def test_filters_q_fields_sort_and_distinct(client, catalogue):
    result = search(client, resource_id="stops", filters='{"open": true}', fields="naam", sort="naam desc")
    assert result["records"] == [{"naam": "Noord Station"}, {"naam": "Meir"}]
    assert result["filters"] == {"open": True} and result["total"] == 2
    assert [f["id"] for f in result["fields"]] == ["naam"]
    listed = search(client, resource_id="stops", filters='{"postcode": ["2000", "2600"]}', fields="_id")
    assert listed["records"] == [{"_id": 1}, {"_id": 4}]
    assert search(client, resource_id="stops", q="station")["records"][0]["naam"] == "Noord Station"
    nulls_first = search(client, resource_id="stops", sort="open, _id desc", fields="_id,open")["records"]
    assert [r["_id"] for r in nulls_first] == [4, 2, 3, 1]
    trees = search(client, resource_id="trees", filters='{"hoogte": 20}')["records"]
    assert trees[0]["soort"] == "eik" and trees[0]["geplant"].startswith("1990-11-15")
    distinct = search(client, resource_id="stops", fields="open", distinct="true", sort="open")
    assert distinct["records"] == [{"open": None}, {"open": False}, {"open": True}] and distinct["total"] == 3


def test_distinct_without_fields_is_distinct_in_the_datas_own_fields(client, catalogue):
    # The row id would make every row distinct: it is neither compared nor returned.
    result = search(client, resource_id="stops", distinct="true")
    assert result["records"] and all("_id" not in record for record in result["records"])
    assert "_id" not in [f["id"] for f in result["fields"]]
    assert result["total"] == len(result["records"]) == len({tuple(r.values()) for r in result["records"]})
    dump = client.get("/datastore/dump/stops", query_string={"distinct": "true"})
    assert dump.status_code == 200
    assert not dump.get_data(as_text=True).lstrip("\ufeff").startswith("_id")


def test_post_body_with_real_json_values(client, catalogue):
    body = {"resource_id": "stops", "filters": {"id": [1, 3]}, "fields": ["naam"], "limit": 1, "sort": "id desc"}
    response = client.post("/api/3/action/datastore_search", json=body).get_json()
    assert response["success"] and response["result"]["records"] == [{"naam": "Noord Station"}]
    assert response["result"]["total"] == 2
    # the links carry a POSTed search too, so a client can follow them with GET
    following = client.get(response["result"]["_links"]["next"]).get_json()["result"]
    assert following["records"] == [{"naam": "Meir"}]


def test_records_formats(client, catalogue):
    lists = search(client, resource_id="stops", records_format="lists", fields="_id,naam", limit=2)
    assert lists["records"] == [[1, "Meir"], [2, "Zuid"]]
    as_csv = search(client, resource_id="stops", records_format="csv", fields="naam,open", limit=2)
    assert as_csv["records"] == "Meir,true\nZuid,false\n"
    as_tsv = search(client, resource_id="stops", records_format="tsv", fields="naam,lat", limit=1)
    assert as_tsv["records"] == "Meir\t51.218\n"
    no_total = search(client, resource_id="stops", include_total="false", limit=0)
    assert "total" not in no_total and no_total["records"] == [] and no_total["fields"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"limit": "abc"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"offset": "x"}, "offset"),
        ({"filters": "{not json"}, "filters"),
        ({"filters": "[1, 2]"}, "filters"),
        ({"filters": '{"colour": "red"}'}, "filters"),
        ({"filters": '{"id": "one"}'}, "filters"),
        ({"sort": "colour desc"}, "sort"),
        ({"sort": "naam upwards"}, "sort"),
        ({"fields": "naam,colour"}, "fields"),
        ({"records_format": "xml"}, "records_format"),
        ({"q": '{"naam": "Meir"}'}, "q"),
        ({"distinct": "true", "fields": "naam", "sort": "postcode"}, "sort"),
        ({"include_total": "perhaps"}, "include_total"),
        ({"filter": "{}"}, "filter"),
    ],
)
def test_bad_datastore_parameters_are_validation_errors(client, catalogue, args, field):
    error = search(client, 409, resource_id="stops", **args)
    assert error["__type"] == "Validation Error" and error[field] and error["message"]


def test_q_as_an_object_in_a_post_body_is_refused_clearly(client, catalogue):
    response = client.post("/api/3/action/datastore_search", json={"resource_id": "stops", "q": {"naam": "x"}})
    assert response.status_code == 409 and response.get_json()["error"]["q"]


def test_unknown_and_draft_resources_are_not_found(client, catalogue):
    assert search(client, 404, resource_id="secret")["__type"] == "Not Found Error"
    assert search(client, 404, resource_id="00000000-0000-0000-0000-000000000000")["__type"] == "Not Found Error"
    assert search(client, 409)["resource_id"] == ["Missing value"]
    assert client.get("/datastore/dump/secret").status_code == 404


def test_dump_streams_csv_json_and_honours_q_and_limit(client, catalogue):
    rid = resources(client, "stops")[0]["id"]
    response = client.get(f"/datastore/dump/{rid}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["_id", "id", "naam", "lat", "lon", "postcode", "open"] and len(rows) == 5
    assert rows[1] == ["1", "1", "Meir", "51.218", "4.41", "2000", "true"]
    found = client.get(f"/datastore/dump/{rid}?q=station").get_data(as_text=True).splitlines()
    assert len(found) == 2 and "Noord Station" in found[1]
    limited = client.get(f"/datastore/dump/{rid}?limit=1&fields=naam").get_data(as_text=True).splitlines()
    assert limited == ["naam", "Meir"]
    as_json = client.get(f"/datastore/dump/{rid}?format=json&limit=2").get_json()
    assert as_json["fields"][0] == {"id": "_id", "type": "int"} and as_json["records"][1][2] == "Zuid"
    with_bom = client.get(f"/datastore/dump/{rid}?bom=true").get_data()
    assert with_bom.startswith("\ufeff".encode())
    assert client.get(f"/datastore/dump/{rid}?format=xml").status_code == 400
    assert client.get(f"/datastore/dump/{rid}?limit=lots").status_code == 400


def test_dump_of_formula_like_text_is_spreadsheet_safe(client, app, tmp_path):
    from tests.datasets.helpers import import_file, write_csv

    import_file(app, write_csv(tmp_path, "f.csv", "name\n=HYPERLINK(1)\n"), slug="formulas", title="Formulas")
    text = client.get("/datastore/dump/formulas").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


def dump_error(response, status: int, kind: str) -> dict:
    assert response.status_code == status and response.mimetype == "application/json", response.get_data()[:200]
    body = response.get_json()
    assert body["success"] is False and body["help"].endswith("/api/3/action/help_show?name=datastore_search")
    assert body["error"]["__type"] == kind and body["error"]["message"]
    return body["error"]


def test_dump_answers_failures_in_ckans_json_envelope(client, catalogue):
    dump_error(client.get("/datastore/dump/secret"), 404, "Not Found Error")
    dump_error(client.get("/datastore/dump/stops", headers={"Authorization": "nope"}), 403, "Authorization Error")
    assert dump_error(client.get("/datastore/dump/stops?format=xml"), 400, "Validation Error")["format"]
    assert dump_error(client.get("/datastore/dump/stops?limit=lots"), 400, "Validation Error")["limit"]


def test_dump_answers_a_database_failure_as_503_in_the_envelope(app, client, tmp_path):
    _slug, table = import_file(app, write_csv(tmp_path, "gone.csv", "x\n1\n"), slug="gone")
    with app.app_context():
        db.session.execute(sa.text(f'DROP TABLE "{table}"'))  # what a broken database looks like to the query
        db.session.commit()
    response = client.get("/datastore/dump/gone")
    dump_error(response, 503, "Service Unavailable")
    assert response.headers["Retry-After"]

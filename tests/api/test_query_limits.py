"""Numbers no column can hold, forged page tokens and oversized filter lists: every one is a
400 with a message (CKAN's Validation Error on the CKAN API) before the database sees it,
and a stream (rows.csv, rows.geojson, /datastore/dump) answers it before its first byte."""

from __future__ import annotations

import base64
import json

import pytest

from hackkit.services.dataset_rows import MAX_FILTER_VALUES, MAX_FILTERS
from tests.datasets.helpers import import_file, write_csv

HUGE = "9" * 30
PAST_INT64 = str(2**63)
STOPS = "id;naam;lat;lon;seen\n1;Meir;51.218;4.41;2024-01-02\n2;Zuid;51.2;4.39;2024-01-03\n3;Noord;51.23;4.42;\n"


@pytest.fixture
def stops(app, tmp_path):
    import_file(app, write_csv(tmp_path, "stops.csv", STOPS), slug="stops", title="Bus stops")
    return "stops"


def token(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def assert_bad_request(response, field: str | None = None):
    body = response.get_json()
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    assert body["ok"] is False and body["status"] == 400 and body["error"]
    if field:
        assert body["errors"][field], body


@pytest.mark.parametrize(
    "query, field",
    [
        (f"id={HUGE}", "id"),
        (f"id=-{HUGE}", "id"),
        (f"id__gt=-{HUGE}", "id__gt"),
        (f"id__lte={PAST_INT64}", "id__lte"),
        (f"id__in=1,{HUGE}", "id__in"),
        (f"id__not={HUGE}", "id__not"),
        ("lat=1e400", "lat"),
        ("lat__gt=-1e400", "lat__gt"),
        ("_next=" + token(None, False, None, int(HUGE), 5), "_next"),
        ("_next=" + token(None, False, None, -int(HUGE), 5), "_next"),
        ("_next=" + token(None, False, None, 1, int(HUGE)), "_next"),
        ("_next=" + token(None, False, None, True, 5), "_next"),
        ("_next=" + token(None, False, None, 1, True), "_next"),
        ("_next=" + token(None, False, None, 1, -5), "_next"),
        ("_next=" + token(None, 0, None, 1, 5), "_next"),
        ("_sort=id&_next=" + token("id", False, int(HUGE), 1, 5), "_next"),
        ("_sort=id&_next=" + token("id", False, HUGE, 1, 5), "_next"),
        ("_sort=lat&_next=" + token("lat", False, 1e308 * 10, 1, 5), "_next"),
        ("_sort=lat&_next=" + token("lat", False, "NaN", 1, 5), "_next"),
        ("_sort=naam&_next=" + token("naam", False, [1, 2], 1, 5), "_next"),
        ("_sort=naam&_next=" + token("naam", False, {"a": 1}, 1, 5), "_next"),
        # Digits str.isdigit accepts and int() refuses (a 500 before): only 0-9 make a number.
        ("_size=²", "_size"),
        ("_version=²", "_version"),
        ("_version=١", "_version"),
    ],
)
@pytest.mark.parametrize("suffix", ["rows", "rows.csv", "rows.geojson"])
def test_numbers_out_of_range_and_forged_tokens_are_400_before_any_byte(client, stops, suffix, query, field):
    assert_bad_request(client.get(f"/api/v1/datasets/stops/{suffix}?{query}"), field)


def test_the_largest_64_bit_numbers_still_work(client, stops):
    for query in (f"id={2**63 - 1}", f"id__gt={-(2**63)}", f"id__lt={2**63 - 1}", "lat__lt=1e308"):
        body = client.get(f"/api/v1/datasets/stops/rows?{query}").get_json()
        assert "rows" in body, (query, body)
    assert len(client.get(f"/api/v1/datasets/stops/rows?id__gt={-(2**63)}").get_json()["rows"]) == 3
    assert client.get(f"/api/v1/datasets/stops/rows.csv?id__lt={2**63 - 1}").status_code == 200


def test_filter_lists_are_capped_with_a_message_naming_the_limit(client, stops):
    many = ",".join(str(i) for i in range(MAX_FILTER_VALUES + 1))
    response = client.get(f"/api/v1/datasets/stops/rows?id__in={many}")
    assert_bad_request(response, "id__in")
    assert str(MAX_FILTER_VALUES) in response.get_json()["error"]
    at_limit = ",".join(str(i) for i in range(MAX_FILTER_VALUES))
    assert len(client.get(f"/api/v1/datasets/stops/rows?id__in={at_limit}").get_json()["rows"]) == 3
    conditions = "&".join(f"id__gte={i % 2}" for i in range(MAX_FILTERS + 1))
    response = client.get(f"/api/v1/datasets/stops/rows.csv?{conditions}")
    assert_bad_request(response)
    assert str(MAX_FILTERS) in response.get_json()["error"]


# -- CKAN: datastore_search and /datastore/dump ------------------------------------------------


def ckan_error(response, status: int = 409) -> dict:
    body = response.get_json()
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert body["success"] is False and body["help"].endswith("name=datastore_search")
    assert body["error"]["__type"] == "Validation Error" and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    "args, field",
    [
        ({"filters": {"id": int(HUGE)}}, "filters"),
        ({"filters": {"id": [1, -int(HUGE)]}}, "filters"),
        ({"filters": {"_id": int(PAST_INT64)}}, "filters"),
        ({"filters": json.dumps({"id": HUGE})}, "filters"),
        ({"offset": int(HUGE)}, "offset"),
        ({"offset": HUGE}, "offset"),
        ({"offset": PAST_INT64}, "offset"),
        ({"limit": HUGE}, "limit"),
        ({"filters": {"id": list(range(70_000))}}, "filters"),
        ({"filters": {"id": list(range(MAX_FILTER_VALUES + 1))}}, "filters"),
    ],
)
def test_datastore_search_refuses_numbers_out_of_range_and_long_lists(client, stops, args, field):
    error = ckan_error(client.post("/api/3/action/datastore_search", json={"resource_id": "stops", **args}))
    assert error[field], error


def test_datastore_search_still_takes_the_largest_offset_and_a_full_list(client, stops):
    body = client.post(
        "/api/3/action/datastore_search",
        json={"resource_id": "stops", "offset": 2**63 - 1, "filters": {"id": list(range(MAX_FILTER_VALUES))}},
    ).get_json()
    assert body["success"] is True and body["result"]["records"] == [] and body["result"]["total"] == 3


@pytest.mark.parametrize(
    "query, field",
    [
        (f"offset={HUGE}", "offset"),
        (f"limit={HUGE}", "limit"),
        (f"offset={PAST_INT64}&limit={PAST_INT64}", "offset"),
        ("filters=" + json.dumps({"id": int(HUGE)}), "filters"),
        ("filters=" + json.dumps({"id": list(range(MAX_FILTER_VALUES + 1))}), "filters"),
    ],
)
@pytest.mark.parametrize("form", ["csv", "json", "tsv"])
def test_dump_refuses_them_in_ckans_envelope_before_any_byte(client, stops, query, field, form):
    error = ckan_error(client.get(f"/datastore/dump/stops?format={form}&{query}"), 400)
    assert error[field], error


def test_dump_with_the_largest_offset_and_limit_is_an_empty_table(client, stops):
    response = client.get(f"/datastore/dump/stops?offset={2**63 - 1}&limit={2**63 - 1}")
    assert response.status_code == 200 and response.get_data(as_text=True).splitlines() == ["_id,id,naam,lat,lon,seen"]

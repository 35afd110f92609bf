"""package_search with CKAN/Solr semantics: phrases, boolean operators, fields, wildcards,
date ranges, CKAN's sort keys, q and fq together, and Search Query Error for the rest."""

from __future__ import annotations

import ckanapi
import pytest

from tests.api.ckan.conftest import CATALOGUE
from tests.api.ckan.test_actions import call


def names(client, **args) -> list[str]:
    return [r["name"] for r in call(client, "package_search", rows=100, sort="name asc", **args)["results"]]


def test_phrases_words_and_wildcards_follow_solr(client, searchable):
    assert names(client, q='"public toilets"') == ["public-toilets"]  # the words side by side only
    assert names(client, q="public toilets") == ["public-toilets", "toilet-cleaning"]  # both words, anywhere
    assert names(client, q="bike OR toilets") == ["bike-stations", "public-toilets", "toilet-cleaning"]
    assert names(client, q="bike*") == ["bike-stations"]
    assert names(client, q="toil?t*") == ["public-toilets", "toilet-cleaning"]
    assert names(client, q="*:*") == sorted(CATALOGUE)


def test_fields_and_negation(client, searchable):
    assert names(client, q="title:bike") == ["bike-stations"]
    assert names(client, q="title:public") == ["public-toilets"]
    assert names(client, q="notes:weekly") == ["toilet-cleaning"]
    assert names(client, q="toilets -title:cleaning") == ["public-toilets"]
    assert names(client, q="toilets AND NOT organization:city-of-ghent") == ["toilet-cleaning"]
    assert names(client, fq="-organization:city-of-ghent -organization:works") == ["street-trees"]
    assert names(client, fq="name:street-*") == ["street-trees"]
    assert names(client, fq="tags:bike OR tags:trees") == ["bike-stations", "street-trees"]
    assert names(client, fq='organization:"city-of-ghent" AND (title:bike OR title:public)') == [
        "bike-stations",
        "public-toilets",
    ]


def test_fq_groups_and_is_an_intersection_or_a_union(client, searchable):
    assert names(client, fq="groups:envi AND groups:tran") == ["street-trees"]
    assert names(client, fq="(groups:envi OR groups:tran)") == ["bike-stations", "street-trees"]
    assert names(client, fq="groups:(envi OR heal)") == ["public-toilets", "street-trees", "toilet-cleaning"]
    # q and fq both apply.
    assert names(client, q="toilets", fq="organization:works") == ["toilet-cleaning"]
    assert names(client, q="bike", fq="groups:heal") == []


def test_date_ranges(client, searchable):
    assert names(client, fq="metadata_modified:[2026-01-01T00:00:00Z TO *]") == ["public-toilets", "toilet-cleaning"]
    assert names(client, fq="metadata_modified:[* TO 2025-01-01T00:00:00Z}") == ["street-trees"]
    assert names(client, fq="metadata_created:{2025-06-01T00:00:00Z TO 2026-03-01T00:00:00Z]") == [
        "public-toilets",
        "toilet-cleaning",
    ]
    assert names(client, fq="metadata_modified:[NOW-100000DAYS TO NOW]") == sorted(CATALOGUE)


def test_sort_keys(client, searchable):
    every = call(client, "package_search", rows=10, sort="id asc")["results"]
    assert [p["id"] for p in every] == sorted(p["id"] for p in every)
    newest = call(client, "package_search", sort="metadata_modified desc")["results"]
    assert [p["name"] for p in newest] == ["toilet-cleaning", "public-toilets", "bike-stations", "street-trees"]
    by_org = call(client, "package_search", sort="metadata_created asc, name desc", rows=2)["results"]
    assert [p["name"] for p in by_org] == ["street-trees", "bike-stations"]
    # score: a title match ranks above a description match; CKAN's default sort.
    ranked = call(client, "package_search", q="toilets")["results"]
    assert [p["name"] for p in ranked][0] == "public-toilets"
    assert call(client, "package_search", q="toilets")["sort"] == "score desc, metadata_modified desc"


def test_facet_false_gives_no_facets(client, searchable):
    found = call(client, "package_search", facet="false", **{"facet.field": '["groups"]'})
    assert found["facets"] == {} and found["search_facets"] == {} and found["count"] == 4


@pytest.mark.parametrize(
    "args",
    [
        {"q": "bike~"},
        {"q": '"bike stations"~2'},
        {"q": "title:[a TO b]"},
        {"q": "/bik.*/"},
        {"fq": "owner:x"},
        {"q": "(groups:tran"},
        {"q": "bike && toilets"},
        {"fq": "metadata_modified:[yesterday TO *]"},
        {"sort": "colour asc"},
        {"sort": "name sideways"},
        {"q": "(" * 1900 + "bike" + ")" * 1900},
        {"q": "x" * 5000},
    ],
)
def test_what_the_grammar_does_not_cover_is_a_search_query_error(client, searchable, args):
    error = call(client, "package_search", 409, **args)
    assert error["__type"] == "Search Query Error"
    assert error["message"].startswith("Search Query is invalid: ")


def test_ckanapi_raises_its_search_query_error(live_server, searchable):
    site = ckanapi.RemoteCKAN(live_server)
    with pytest.raises(ckanapi.SearchQueryError):
        site.action.package_search(q="bike~")
    assert site.action.package_search(q='"public toilets"')["count"] == 1


def test_group_and_organization_lists_filter_and_date(client, searchable):
    assert call(client, "group_list", groups="envi,tran") == ["envi", "tran"]
    assert call(client, "group_list", groups='["heal"]', all_fields="true")[0]["package_count"] == 2
    orgs = call(client, "organization_list", organizations=["works", "parks-department"], all_fields="true")
    assert [o["name"] for o in orgs] == ["parks-department", "works"]
    assert orgs[0]["created"] == "2024-01-01T00:00:00"
    by_title = call(client, "organization_list", sort="title desc")
    assert by_title == ["works", "parks-department", "city-of-ghent"]
    assert call(client, "group_show", id="heal")["created"] == "2026-02-01T00:00:00"
    assert call(client, "site_read") is True


def test_the_ckan_dataset_address_redirects_to_the_dataset_page(client, searchable):
    response = client.get("/dataset/bike-stations")
    assert response.status_code == 302 and response.headers["Location"].endswith("/datasets/bike-stations")
    package_id = call(client, "package_show", id="street-trees")["id"]
    assert client.get(f"/dataset/{package_id}").headers["Location"].endswith("/datasets/street-trees")
    assert client.get("/dataset/bike-stations", follow_redirects=True).status_code == 200

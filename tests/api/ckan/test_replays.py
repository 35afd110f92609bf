"""Two CKAN clients people use against a city portal, replayed request by request over real
HTTP: the QGIS plugin CKAN-Browser and ckanext-harvest's CKAN harvester. The request shapes
are taken from their source (cited at each replay); the assertions are the datasets each
client would list."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

import requests

from tests.api.ckan.conftest import CATALOGUE

# QGIS CKAN-Browser sends a desktop browser's headers with every API call
# (BergWerkGIS/QGIS-CKAN-Browser, CKAN-Browser/ckanconnector.py, `ua_chrome`).
QGIS_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate",
    "Accept-Language": "en-US,en;q=0.8,de;q=0.6",
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0",
}
QGIS_ROWS = 50  # the plugin's default `results_limit`


def qgis_get(api: str, action: str) -> dict:
    """CkanConnector.__get_data: the URL is the API root plus the action text as built (not
    url-encoded by the plugin); it fails unless HTTP 200 and `success` is true."""
    response = requests.get(api + action, headers=QGIS_HEADERS, timeout=30)
    assert response.status_code == 200, (action, response.text[:300])
    body = response.json()
    assert body["success"] is True, body
    return body["result"]


def listed(result: dict) -> list[str]:
    return [p["name"] for p in result["results"]]


def test_qgis_ckan_browser_lists_categories_and_their_datasets(live_server, searchable):
    # The plugin's setting is the API root ending in "3/" (CkanConnector._validate_ckan_url).
    api = f"{live_server}/api/3/"
    # get_groups(): 'action/group_list?all_fields=true'
    groups = qgis_get(api, "action/group_list?all_fields=true")
    assert {g["name"]: g["package_count"] for g in groups} == {"envi": 1, "heal": 2, "tran": 2}
    assert all(g["display_name"] for g in groups)

    # show_group(name, page): double-clicking a category lists all of its datasets,
    # 'action/package_search?q=&fq=(groups:{0})&sort={1}&rows={2}{3}', sort 'name asc',
    # page 1 -> '&start=0' (__get_start: limit * page - limit).
    transport = qgis_get(api, f"action/package_search?q=&fq=(groups:tran)&sort=name asc&rows={QGIS_ROWS}&start=0")
    assert listed(transport) == ["bike-stations", "street-trees"] and transport["count"] == 2
    health = qgis_get(api, f"action/package_search?q=&fq=(groups:heal)&sort=name asc&rows={QGIS_ROWS}")
    assert listed(health) == ["public-toilets", "toilet-cleaning"]

    # package_search(text, groups, page): ticked categories become
    # '&fq=(' + '+OR+'.join('groups:{0}') + ')' after 'q={text}'.
    ticked = qgis_get(
        api, f"action/package_search?q=&fq=(groups:envi+OR+groups:heal)&sort=name asc&rows={QGIS_ROWS}&start=0"
    )
    assert listed(ticked) == ["public-toilets", "street-trees", "toilet-cleaning"]
    with_text = qgis_get(
        api, f"action/package_search?q=toilets&fq=(groups:tran+OR+groups:heal)&sort=name asc&rows={QGIS_ROWS}&start=0"
    )
    assert listed(with_text) == ["public-toilets", "toilet-cleaning"]
    # Nothing ticked: no fq at all; the "list all" button sends an empty text.
    everything = qgis_get(api, f"action/package_search?q=&sort=name asc&rows={QGIS_ROWS}&start=0")
    assert listed(everything) == sorted(CATALOGUE)
    words = qgis_get(api, f"action/package_search?q=bike&sort=name asc&rows={QGIS_ROWS}&start=0")
    assert listed(words) == ["bike-stations"]
    # Page 2 of a category with the plugin's paging: start = 50 * 2 - 50.
    second = qgis_get(api, f"action/package_search?q=&fq=(groups:tran)&sort=name asc&rows={QGIS_ROWS}&start=50")
    assert second["results"] == [] and second["count"] == 2


def harvester_gather(base: str, fq_terms: list[str]) -> tuple[list[dict], list[str]]:
    """CKANHarvester._search_for_datasets (ckan/ckanext-harvest,
    ckanext/harvest/harvesters/ckanharvester.py): params rows=100, start=0, sort 'id asc',
    fq the terms joined by a space; GET {base}/api/3/action/package_search?urlencode(params),
    next page start += rows until a page is empty; the same body twice is a paging error."""
    params = {"rows": "100", "start": "0", "sort": "id asc"}
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    found, urls, previous = [], [], None
    while True:
        url = f"{base}/api/3/action/package_search?{urlencode(params)}"
        urls.append(url)
        response = requests.get(url, timeout=60)
        assert response.status_code == 200, (url, response.text[:300])
        assert response.text != previous, "the paging doesn't seem to work"
        previous = response.text
        page = response.json()["result"]["results"]
        if not page:
            return found, urls
        found += page
        params["start"] = str(int(params["start"]) + int(params["rows"]))


def gathered(base: str, *fq_terms: str) -> list[str]:
    return sorted(p["name"] for p in harvester_gather(base, list(fq_terms))[0])


def test_ckanext_harvest_gathers_with_its_filters(live_server, searchable):
    base = live_server
    datasets, urls = harvester_gather(base, [])
    assert sorted(p["name"] for p in datasets) == sorted(CATALOGUE)
    assert [p["id"] for p in datasets] == sorted(p["id"] for p in datasets)  # sort=id asc
    assert urls[0] == f"{base}/api/3/action/package_search?rows=100&start=0&sort=id+asc"
    assert len(urls) == 2  # one full page, then the empty one that ends the gather

    # organizations_filter_include: ' OR '.join('organization:%s'); exclude: '-organization:%s' each.
    assert gathered(base, "organization:works OR organization:parks-department") == ["street-trees", "toilet-cleaning"]
    assert gathered(base, "-organization:city-of-ghent") == ["street-trees", "toilet-cleaning"]
    assert gathered(base, "-organization:city-of-ghent", "-organization:works") == ["street-trees"]
    # groups_filter_include / groups_filter_exclude, built the same way with 'groups:'.
    assert gathered(base, "groups:envi OR groups:heal") == ["public-toilets", "street-trees", "toilet-cleaning"]
    assert gathered(base, "-groups:heal") == ["bike-stations", "street-trees"]
    assert gathered(base, "organization:city-of-ghent", "-groups:tran") == ["public-toilets"]


def test_ckanext_harvest_incremental_run_and_fetch(live_server, searchable):
    base = live_server
    # Incremental: 'metadata_modified:[{since}Z TO *]' with since = (last job's
    # gather_started - 1 hour).isoformat(), a naive UTC time with microseconds.
    last_job_started = datetime(2026, 1, 15, 10, 30, 0, 123456)
    since = (last_job_started - timedelta(hours=1)).isoformat()
    changed = gathered(base, f"metadata_modified:[{since}Z TO *]")
    assert changed == ["public-toilets", "toilet-cleaning"]
    # ...combined with the organization filter (fq_terms + [fq_since_last_time]).
    assert gathered(base, "-organization:works", f"metadata_modified:[{since}Z TO *]") == ["public-toilets"]
    # Nothing changed since: an empty first page, so the job ends with no objects.
    assert gathered(base, "metadata_modified:[2099-01-01T00:00:00Z TO *]") == []

    # Import stage with remote_orgs/remote_groups 'create': organization_show?id=<owner_org>
    # and group_show?id=<group id> on the source (_get_organization, _get_group).
    package = harvester_gather(base, ["name:bike-stations"])[0][0]
    org = requests.get(f"{base}/api/3/action/organization_show?id={package['owner_org']}", timeout=30).json()
    assert org["success"] and org["result"]["name"] == "city-of-ghent"
    group = requests.get(f"{base}/api/3/action/group_show?id={package['groups'][0]['id']}", timeout=30).json()
    assert group["success"] and group["result"]["name"] == "tran"
    # What the harvester stores and later shows as the source: the package by id.
    shown = requests.get(f"{base}/api/3/action/package_show?id={package['id']}", timeout=30).json()
    assert shown["result"]["name"] == "bike-stations"

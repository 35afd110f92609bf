"""Real CKAN clients against a real server: the ckanapi library and command line, and
frictionless's CKAN reader. If these work, scripts written for CKAN portals work here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ckanapi
import frictionless
import pytest

from tests.api.helpers import token_for

BIN = Path(sys.executable).parent  # the venv's bin: ckanapi's dump runs `ckanapi` workers from PATH


def run_ckanapi(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(BIN / "ckanapi"), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_ckanapi_library_searches_shows_and_reads_rows(live_server, catalogue):
    site = ckanapi.RemoteCKAN(live_server)
    found = site.action.package_search(q="bus", rows=5, **{"facet.field": ["organization"]})
    assert found["count"] == 1 and found["results"][0]["name"] == "stops"
    assert found["search_facets"]["organization"]["items"][0]["name"] == "city-of-antwerp"
    package = site.action.package_show(id="stops")
    assert package["organization"]["title"] == "City of Antwerp"
    rows = site.action.datastore_search(resource_id=package["resources"][0]["id"], filters={"naam": "Zuid"})
    assert rows["records"][0]["postcode"] == "2018" and rows["total"] == 1
    assert site.action.status_show()["ckan_version"].startswith("2.11")
    assert sorted(site.action.group_list()) == ["envi", "regi", "tran"]


def test_ckanapi_library_raises_ckan_exceptions(live_server, catalogue):
    site = ckanapi.RemoteCKAN(live_server)
    with pytest.raises(ckanapi.NotFound):
        site.action.package_show(id="secret")
    with pytest.raises(ckanapi.ValidationError) as error:
        site.action.datastore_search(resource_id="stops", sort="nope desc")
    assert "sort" in error.value.error_dict
    with pytest.raises(ckanapi.ValidationError):
        site.action.package_search(rows=-1)
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(live_server, apikey="hk_revoked").action.package_list()
    with pytest.raises(ckanapi.CKANAPIError):
        site.action.package_delete(id="stops")


def test_ckanapi_library_with_an_organizer_token_sees_drafts(live_server, client, auth, catalogue):
    token = token_for(client, auth.create_user("organizer").email, scope="read")["Authorization"].split()[1]
    assert ckanapi.RemoteCKAN(live_server, apikey=token).action.package_show(id="secret")["state"] == "draft"


def test_ckanapi_command_line_search_datasets(live_server, catalogue):
    done = run_ckanapi("search", "datasets", "-r", live_server, "q=trees")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [p["name"] for p in lines] == ["trees"]
    every = run_ckanapi("search", "datasets", "-r", live_server, "fq=res_format:CSV")
    assert sorted(json.loads(line)["name"] for line in every.stdout.splitlines()) == ["stops", "trees"]


def test_ckanapi_command_line_dump_all_datasets(live_server, catalogue, tmp_path):
    out = tmp_path / "datasets.jsonl"
    done = run_ckanapi("dump", "datasets", "--all", "-r", live_server, "-O", str(out), "-q", "--datastore-fields")
    assert done.returncode == 0, done.stderr
    dumped = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["name"] for p in dumped] == ["stops", "trees"]  # never the draft
    fields = dumped[0]["resources"][0]["datastore_fields"]
    assert fields[0] == {"id": "_id", "type": "int"} and {"id": "open", "type": "bool"}.items() <= fields[-1].items()


def test_frictionless_reads_a_package_and_its_typed_rows(live_server, catalogue):
    package = frictionless.Package(f"{live_server}/dataset/stops")
    assert package.name == "stops" and package.title == "Bus stops"
    assert package.licenses[0]["name"] == "CC0-1.0"
    resource = package.resources[0]
    assert resource.format == "csv"
    rows = resource.read_rows()
    assert [r["naam"] for r in rows] == ["Meir", "Zuid", "Noord Station", "Berchem"]
    assert rows[0]["open"] is True and float(rows[0]["lat"]) == pytest.approx(51.218) and rows[3]["open"] is None


def test_frictionless_catalog_of_an_organization(live_server, catalogue):
    control = frictionless.portals.CkanControl(baseurl=live_server, organization_name="parks-department")
    catalog = frictionless.Catalog(control=control)
    assert [d.name for d in catalog.datasets] == ["trees"]


def test_frictionless_catalog_of_a_group(live_server, catalogue):
    catalog = frictionless.Catalog(control=frictionless.portals.CkanControl(baseurl=live_server, group_id="tran"))
    assert [d.name for d in catalog.datasets] == ["stops"]

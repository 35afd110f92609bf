"""Hub to hub through the CKAN API: every table arrives byte for byte, every metadata field
both sides have arrives, the source link is a real page, and neither a second run nor the
same hub's DCAT catalogue makes a twin or a new version."""

from __future__ import annotations

from datetime import date

import requests
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Dataset
from tests.datasets.helpers import import_file, write_csv
from tests.datasets.test_harvest import datasets_in, second_app  # noqa: F401  (fixture)

# A column called `id` (the DataStore's own `_id` must not take its place), a semicolon file,
# values a spreadsheet would read as formulas, negative numbers, dates, booleans and blanks.
STATIONS = "id;naam;lat;lon;docks\n1;Korenmarkt;51.054;3.721;20\n2;Sint-Pieters;51.036;3.710;35\n"
BUDGET = (
    "id,post,bedrag,datum,actief\n"
    "1,=SUM(A1),-1250.50,2024-01-31,true\n"
    "2,Onderwijs – scholen,300,2024-02-29,false\n"
    "3,,,,\n"
)
TREES = "soort,hoogte\nlinde,12.5\neik,20\n"
METADATA = {
    "stations": {
        "title": "Bike stations",
        "description": "Docks per station.",
        "publisher": "City of Ghent",
        "license": "CC-BY-4.0",
        "keywords": ["bike", "mobility"],
        "themes": ["TRAN"],
        "spatial": "Ghent",
        "temporal_start": date(2024, 1, 1),
        "temporal_end": date(2024, 12, 31),
        "contact": "data@stad.gent",
        "update_frequency": "monthly",
    },
    "budget": {"title": "Budget", "description": "Lines of the budget.", "publisher": "Finance", "license": "CC0-1.0"},
    "trees": {"title": "Street trees", "description": "Trees.", "publisher": "Parks", "themes": ["ENVI"]},
}
FIELDS = (
    "title", "description", "publisher", "contact", "license", "keywords", "themes", "spatial",
    "temporal_start", "temporal_end", "update_frequency", "status",
)  # fmt: skip


def first_hub(app, tmp_path) -> None:
    for slug, text in (("stations", STATIONS), ("budget", BUDGET), ("trees", TREES)):
        import_file(app, write_csv(tmp_path, f"{slug}.csv", text), slug=slug, **METADATA[slug])
    with app.app_context():
        # A portal whose resource offers only its DataStore copy: the dump, as other CKANs have it.
        trees = db.session.scalar(sa.select(Dataset).where(Dataset.slug == "trees"))
        trees.current.original_path = ""
        db.session.commit()


def table_bytes(app, slug: str) -> tuple[bytes, bytes]:
    client = app.test_client()
    rows = client.get(f"/api/v1/datasets/{slug}/rows.csv")
    original = client.get(f"/datasets/{slug}/original")
    assert rows.status_code == 200
    return rows.data, original.data if original.status_code == 200 else b""


def test_a_ckan_harvest_round_trip_keeps_every_table_and_field(app, live_server, second_app, tmp_path):  # noqa: F811
    first_hub(app, tmp_path)
    runner = second_app.test_cli_runner()
    result = runner.invoke(args=["datasets", "harvest", live_server])
    assert result.exit_code == 0 and "3 new" in result.output, result.output

    source, copy = datasets_in(app), datasets_in(second_app)
    assert set(copy) == {"stations", "budget", "trees"}
    for slug in copy:
        for name in FIELDS:
            assert getattr(copy[slug], name) == getattr(source[slug], name), (slug, name)
        assert [(c["name"], c["type"]) for c in copy[slug].current.columns] == [
            (c["name"], c["type"]) for c in source[slug].current.columns
        ], slug
        assert copy[slug].current.row_count == source[slug].current.row_count
        rows_here, original_here = table_bytes(second_app, slug)
        rows_there, original_there = table_bytes(app, slug)
        assert rows_here == rows_there, slug  # every table, byte for byte
        if original_there:
            assert original_here == original_there, slug  # the very file the source imported
        # The saved source link is the source's dataset page, which answers.
        assert copy[slug].source_url == f"{live_server}/dataset/{slug}"
        page = requests.get(copy[slug].source_url, timeout=30)
        assert page.status_code == 200 and page.url == f"{live_server}/datasets/{slug}"
    assert rows_there_header(app, "stations").startswith(b"id,naam,")  # `id` is the real id column

    # Unchanged source: no new version. The same hub's DCAT catalogue: the same datasets.
    again = runner.invoke(args=["datasets", "harvest", live_server])
    assert again.exit_code == 0 and "3 unchanged" in again.output, again.output
    dcat = runner.invoke(args=["datasets", "harvest", f"{live_server}/catalog.ttl"])
    assert dcat.exit_code == 0, dcat.output
    after = datasets_in(second_app)
    assert set(after) == {"stations", "budget", "trees"}  # no stations-2
    # (For trees the DataStore dump without `_id` and DCAT's rows.csv are the same bytes.)
    assert {slug: [v.number for v in d.versions] for slug, d in after.items()} == {
        "stations": [1],
        "budget": [1],
        "trees": [1],
    }


def rows_there_header(app, slug: str) -> bytes:
    return table_bytes(app, slug)[0].split(b"\n", 1)[0]


def test_dcat_first_then_ckan_is_still_one_dataset(app, live_server, second_app, tmp_path):  # noqa: F811
    import_file(app, write_csv(tmp_path, "s.csv", STATIONS), slug="stations", **METADATA["stations"])
    runner = second_app.test_cli_runner()
    assert runner.invoke(args=["datasets", "harvest", f"{live_server}/catalog.ttl"]).exit_code == 0
    ckan = runner.invoke(args=["datasets", "harvest", live_server])
    assert ckan.exit_code == 0 and "1 unchanged" in ckan.output, ckan.output
    after = datasets_in(second_app)
    assert list(after) == ["stations"] and [v.number for v in after["stations"].versions] == [1]

"""A small catalogue to read through the CKAN API: two published datasets (one with two
versions), one draft, from two publishers, with themes and keywords."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Dataset
from tests.datasets.helpers import import_file, write_csv

STOPS = "id;naam;lat;lon;postcode;open\n1;Meir;51.218;4.41;2000;true\n2;Zuid;51.2;4.39;2018;false\n"
STOPS_V2 = STOPS + "3;Noord Station;51.23;4.42;2060;true\n4;Berchem;51.19;4.43;2600;\n"
TREES = "soort,hoogte,geplant\nlinde,12.5,2001-04-01\neik,20,1990-11-15\nplataan,,\n"


@pytest.fixture
def catalogue(app, tmp_path):
    """Import the datasets; returns their slugs."""
    meta = {"publisher": "City of Antwerp", "license": "CC0-1.0", "themes": ["TRAN"], "keywords": ["bus", "mobility"]}
    import_file(app, write_csv(tmp_path, "stops.csv", STOPS), slug="stops", title="Bus stops", **meta)
    import_file(app, write_csv(tmp_path, "stops2.csv", STOPS_V2), slug="stops", title="Bus stops")
    import_file(
        app,
        write_csv(tmp_path, "trees.csv", TREES),
        slug="trees",
        title="Street trees",
        publisher="Parks Department",
        license="CC-BY-4.0",
        themes=["ENVI", "REGI"],
        keywords=["trees"],
        description="Every street tree.",
    )
    import_file(
        app,
        write_csv(tmp_path, "secret.csv", "x\n1\n"),
        slug="secret",
        title="Secret plans",
        draft=True,
        publisher="City of Antwerp",
    )
    return ["stops", "trees"]


SEARCH_ROWS = "id,name\n1,a\n"
# slug: (title, description, publisher, themes, keywords, last change)
CATALOGUE = {
    "bike-stations": ("Bike stations", "Docks for shared bikes.", "City of Ghent", ["TRAN"], ["bike"], "2025-06-01"),
    "public-toilets": ("Public toilets", "Where the public toilets are.", "City of Ghent", ["HEAL"], [], "2026-02-01"),
    "toilet-cleaning": (
        "Toilet cleaning",
        "Public works: toilets cleaned weekly.",
        "Works",
        ["HEAL"],
        [],
        "2026-03-01",
    ),
    "street-trees": ("Street trees", "Every tree.", "Parks Department", ["ENVI", "TRAN"], ["trees"], "2024-01-01"),
}


@pytest.fixture
def searchable(app, tmp_path):
    """Four datasets for search semantics, each last changed on a known day."""
    for slug, (title, notes, publisher, themes, keywords, _changed) in CATALOGUE.items():
        path = write_csv(tmp_path, f"{slug}.csv", SEARCH_ROWS)
        import_file(
            app, path, slug=slug, title=title, description=notes, publisher=publisher, themes=themes, keywords=keywords
        )
    with app.app_context():
        for dataset in db.session.scalars(sa.select(Dataset)):
            moment = datetime.fromisoformat(CATALOGUE[dataset.slug][5]).replace(tzinfo=UTC)
            dataset.created_at = dataset.updated_at = moment
            for version in dataset.versions:
                version.created_at = moment
        db.session.commit()

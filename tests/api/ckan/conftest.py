"""A small catalogue to read through the CKAN API: two published datasets (one with two
versions), one draft, from two publishers, with themes and keywords."""

from __future__ import annotations

import pytest

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

"""Catalogue search finds Dutch (and English) words as people type them: plurals, stems,
accents, and words inside compounds."""

import pytest

from hackkit.extensions import db
from hackkit.models import Dataset
from hackkit.services import catalogue


@pytest.fixture
def session(app):
    with app.app_context():
        for slug, title, keywords, description in (
            ("speeltuinen", "Speeltuinen in Antwerpen", ["speeltuin", "kinderen"], "Waar kinderen spelen."),
            ("deelfietsen", "Deelfietsstations", ["mobiliteit"], "Stations van de deelfietsen."),
            ("bomen", "Bomen op straat", ["groen"], "Elke boom met zijn soort."),
            ("cafes", "Cafés en terrassen", [], ""),
            ("toilets", "Public toilets", ["toilets"], "Where to go."),
        ):
            db.session.add(
                Dataset(slug=slug, title=title, keywords=keywords, description=description, status="published")
            )
        db.session.commit()
        yield db.session


def found(session, q: str) -> set[str]:
    return {d.slug for d in catalogue.search_catalogue(session, None, q)["datasets"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("speeltuin", {"speeltuinen"}),  # the keyword, and inside the title's plural
        ("speeltuinen", {"speeltuinen"}),
        ("Speeltuin", {"speeltuinen"}),
        ("fiets", {"deelfietsen"}),  # inside a compound word
        ("fietsen", {"deelfietsen"}),  # a plural finds the compound by its stem
        ("boom", {"bomen"}),  # "bomen" is stemmed to "boom"
        ("cafe", {"cafes"}),  # accents do not matter
        ("toilet", {"toilets"}),  # English plurals too
        ("speeltuin kinderen", {"speeltuinen"}),  # every word must be found
        ("speeltuin fiets", set()),
    ],
)
def test_dutch_words_are_found_by_their_stems(session, query, expected):
    assert found(session, query) == expected


def test_a_short_stem_does_not_match_unrelated_words(session):
    assert catalogue.stems_of("data") == frozenset({"data"})  # Dutch "dat" would be too short

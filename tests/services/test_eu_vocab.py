"""Reading other portals' licence, theme, frequency and format names back into hackkit's."""

import pytest

from hackkit.services import eu_vocab

EU = "http://publications.europa.eu/resource/authority/"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (EU + "licence/CC_BY_4_0", "CC-BY-4.0"),
        (EU + "licence/CC0", "CC0-1.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0", "CC0-1.0"),
        ("odc-odbl", "ODbL-1.0"),
        ("cc-zero", "CC0-1.0"),
        ("CC-BY-4.0", "CC-BY-4.0"),
        ("https://example.org/our-own-licence", None),
        ("", None),
    ],
)
def test_licences_are_recognised_in_every_spelling(given, expected):
    assert eu_vocab.licence_id(given) == expected


def test_every_licence_with_an_iri_reads_back_to_itself():
    for licence in ("CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "ODbL-1.0", "modellicentie-gratis-hergebruik"):
        assert eu_vocab.licence_id(eu_vocab.licence_iri(licence)) == licence


@pytest.mark.parametrize(
    ("given", "expected"),
    [(EU + "data-theme/TRAN", "TRAN"), ("envi", "ENVI"), ("https://example.org/theme/TRAN", None), ("XYZ", None)],
)
def test_themes_come_only_from_the_eu_list(given, expected):
    assert eu_vocab.theme_code(given) == expected


@pytest.mark.parametrize(
    ("hints", "expected"),
    [
        ((EU + "file-type/CSV", None, None), "csv"),
        (("", "http://www.iana.org/assignments/media-types/application/geo+json", None), "geojson"),
        (("XLSX", None, None), "xlsx"),
        (("", "", "https://x.example/data/trees.json?download=1"), "json"),
        (("PDF", "application/pdf", "https://x.example/report.pdf"), None),
    ],
)
def test_formats_are_read_from_iris_media_types_names_or_suffixes(hints, expected):
    assert eu_vocab.format_name(*hints) == expected


def test_frequencies_round_trip():
    for name, code in eu_vocab.FREQUENCIES.items():
        assert eu_vocab.frequency_name(eu_vocab.FREQUENCY + code) == name

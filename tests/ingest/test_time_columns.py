"""A column corrected to `time` takes the ways people write a time of day."""

import pytest

from hackkit.ingest.columns import converter


@pytest.mark.parametrize(
    ("written", "stored"),
    [("08:30:00", "08:30:00"), ("8:30", "08:30:00"), ("08:30", "08:30:00"), ("1899-12-30T08:30:00", "08:30:00")],
)
def test_times_of_day_are_read(written, stored):
    assert converter("time", None)(written) == stored


def test_fractions_of_a_second_are_dropped_so_the_csv_matches_its_schema():
    # The Table Schema says %H:%M:%S; "08:30:00.500000" would not validate.
    assert converter("time", None)("08:30:00.500") == "08:30:00"


@pytest.mark.parametrize("written", ["25:00", "8h30", "noon"])
def test_other_text_is_refused_by_name(written):
    with pytest.raises(ValueError, match="not a valid time"):
        converter("time", None)(written)

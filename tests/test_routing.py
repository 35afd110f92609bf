"""Numbers in URLs: ids up to the database's limit match, larger ones are simply not found."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hackkit.routing import MAX_ID, UP_TO_MAX_ID


@pytest.mark.parametrize("number", [0, 1, 9, 10, 99, 123456789, 999999999, 1000000000, 2147483599, MAX_ID])
def test_every_id_up_to_the_limit_matches(number):
    assert re.fullmatch(UP_TO_MAX_ID, str(number))


@pytest.mark.parametrize("text", [str(MAX_ID + 1), "2147483650", "2999999999", "99999999999", "007", "-1", "1e3", ""])
def test_larger_numbers_and_other_spellings_do_not(text):
    assert not re.fullmatch(UP_TO_MAX_ID, text)


@pytest.mark.parametrize("url", [f"/api/v1/teams/{MAX_ID + 1}", "/api/v1/criteria/763824238780", "/teams/99999999999"])
def test_a_huge_id_is_not_found_not_a_server_error(client, url):
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code in (404, 405)  # 405 only where no DELETE exists at all


@given(st.integers(min_value=0, max_value=2**40))
def test_the_pattern_matches_exactly_the_numbers_up_to_the_limit(number):
    assert bool(re.fullmatch(UP_TO_MAX_ID, str(number))) == (number <= MAX_ID)

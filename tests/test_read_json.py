"""The engines read JSON columns with models.base.read_json: the same values json.loads gives."""

import json
import math

import pytest

from hackkit.extensions import db
from hackkit.models.base import read_json
from tests import factories as f

SAMPLES = ["[]", "{}", "null", "[1, 2]", '{"a": [], "b": {}}', '"text"', "12345678901234567890123", '["één", "😀"]']


@pytest.mark.parametrize("text", SAMPLES)
def test_read_json_gives_what_json_loads_gives_from_text_and_from_utf8_bytes(text):
    assert read_json(text) == json.loads(text)
    assert read_json(text.encode()) == json.loads(text)


def test_empty_values_are_new_each_time_so_one_reader_cannot_change_anothers():
    first = read_json(b"[]")
    first.append("changed")
    assert read_json(b"[]") == [] and read_json("{}") == {}


def test_nan_in_a_datasets_statistics_still_reads():
    assert math.isnan(read_json('{"mean": NaN}')["mean"])


def test_json_columns_read_back_as_written_on_the_configured_database(app):
    with app.app_context():
        ev = f.event(db.session)
        team = f.team(db.session, ev)
        team.missing_skills = ["GIS", "één"]
        db.session.commit()
        team_id = team.id
        db.session.expunge_all()
        from hackkit.models import Team

        assert db.session.get(Team, team_id).missing_skills == ["GIS", "één"]
        assert db.engine.dialect._json_deserializer is read_json


def test_postgresql_sends_json_as_utf8_whatever_the_database_encoding(app):
    from hackkit.config import engine_options

    options = engine_options("postgresql+psycopg://hub@db/hackkit")
    assert options["connect_args"]["client_encoding"] == "utf8" and options["json_deserializer"] is read_json

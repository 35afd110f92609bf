"""The engines read JSON columns with models.base.read_json: the same values json.loads gives."""

import json
import math
import uuid

import pytest
import sqlalchemy as sa

from hackkit.config import engine_options
from hackkit.extensions import db
from hackkit.models.base import read_json
from tests import factories as f
from tests.conftest import DB_KIND, POSTGRES_ADMIN_URL

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


@pytest.mark.skipif(DB_KIND != "postgresql", reason="a database in another encoding is PostgreSQL's")
def test_postgresql_sends_json_as_utf8_whatever_the_database_encoding():
    """read_json reads PostgreSQL's bytes as UTF-8: the engine asks for that client encoding, so a
    database made in LATIN1 (an old server's default) still reads back a value with accents."""
    name = f"hackkit_test_latin1_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            sa.text(f"CREATE DATABASE {name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
        )
    url = sa.make_url(POSTGRES_ADMIN_URL).set(database=name)
    engine = sa.create_engine(url, **engine_options(url.render_as_string(hide_password=False)))
    try:
        values = sa.Table(
            "values", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("data", sa.JSON)
        )
        with engine.begin() as conn:
            values.create(conn)
            # Written as text, as psql or another program would: the hub's own writer escapes
            # every non-ASCII character, so only such a value has bytes to decode.
            conn.execute(sa.text("""INSERT INTO "values" VALUES (1, '{"name": "Één café"}'), (2, '[]')"""))
        with engine.connect() as conn:
            assert conn.execute(sa.select(values.c.data).order_by(values.c.id)).scalars().all() == [
                {"name": "Één café"},
                [],
            ]
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

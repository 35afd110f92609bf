"""Whatever bytes are uploaded, the API answers 201 or one clear 422 and never leaves debris."""

import io

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hackkit.extensions import db
from hackkit.models import DatasetVersion
from tests.api.test_datasets_api import token_for
from tests.datasets.helpers import dataset_tables

PIECES = [
    b",",
    b";",
    b"\n",
    b'"',
    b"id",
    b"1",
    b"2,5",
    b"\xc3\xa9",
    b"\xe9",
    b"NA",
    b"POINT (4 51)",
    b"\x00",
    b"{",
    b"[",
]
CONTENT = st.one_of(st.binary(max_size=300), st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=CONTENT, name=st.sampled_from(["f.csv", "f.json", "f.xlsx", "f.geojson", "f"]))
def test_any_upload_is_imported_or_refused_cleanly(client, app, auth, content, name):
    headers = getattr(app, "_bench_token", None) or token_for(client, auth, "organizer")
    app._bench_token = headers
    response = client.post(
        "/api/v1/datasets",
        data={"file": (io.BytesIO(content), name), "slug": "fuzz"},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code in (201, 422), response.get_data(as_text=True)
    body = response.get_json()
    if response.status_code == 422:
        assert body["ok"] is False and "\n" not in body["error"]
    with app.app_context():
        recorded = set(db.session.scalars(sa.select(DatasetVersion.table_name)))
    assert dataset_tables(app) == recorded

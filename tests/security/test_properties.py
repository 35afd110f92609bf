"""Property tests (hypothesis, bounded so they run in seconds) for the three places that read
whatever a stranger types: the Markdown sanitizer, the rows filter parser (and CKAN's), and
the dataset upload page. tests/ingest/test_any_bytes.py and tests/api/test_upload_any_bytes.py
cover the importer itself and the API upload."""

from __future__ import annotations

import base64
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from hackkit.api.ckan.datastore import row_query as ckan_row_query
from hackkit.api.ckan.envelope import CkanError
from hackkit.extensions import db
from hackkit.markup import render_markdown
from hackkit.models import DatasetVersion
from hackkit.services import dataset_rows
from hackkit.services.dataset_rows import RowQuery
from hackkit.services.errors import Invalid
from tests import stored
from tests.conftest import csrf_token
from tests.datasets.helpers import dataset_tables, import_file

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- the Markdown sanitizer -------------------------------------------------------------------

TAGS = ["script", "SCRIPT", "a", "img", "svg", "iframe", "p", "div", "math", "style", "object", "embed",
        "form", "input", "button", "base", "meta", "link", "details", "table", "td", "abbr", "ScRiPt",
        "scr<script>ipt"]  # fmt: skip
ATTRIBUTES = ["href", "src", "onclick", "onerror", "ONLOAD", "onmouseover", " onfocus", "style", "xlink:href",
              "formaction", "srcdoc", "action", "title", "data", "background", "poster"]  # fmt: skip
URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#x3A;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "javascript&colon;alert(1)",
    "%6Aavascript:alert(1)",
    "//evil.example/x",
    "http://ok.example/?q=<script>",
    "https://ok.example/a b",
    "mailto:someone@example.org",
]
URL = st.sampled_from(URLS)
ATTRIBUTE = st.builds(
    lambda name, quote, value: f" {name}={quote}{value}{quote}",
    st.sampled_from(ATTRIBUTES),
    st.sampled_from(['"', "'", ""]),
    st.one_of(URL, st.sampled_from(["alert(1)", "x", ""])),
)
TAG = st.builds(
    lambda name, attrs, body, close: f"<{name}{''.join(attrs)}>{body}" + (f"</{name}>" if close else ""),
    st.sampled_from(TAGS),
    st.lists(ATTRIBUTE, max_size=3),
    st.sampled_from(["", "alert(1)", "text", "<!--", "]]>", "-->"]),
    st.booleans(),
)
MARKDOWN = st.one_of(
    st.builds(lambda text, url: f"[{text}]({url})", st.sampled_from(["x", "click", "<b>x</b>"]), URL),
    st.builds(lambda url: f"<{url}>", URL),
    st.builds(lambda url: f"![img]({url})", URL),
    st.builds(lambda url: f"[ref]\n\n[ref]: {url}\n", URL),
    st.builds(lambda url: f'[x]({url} "t")', URL),
    st.just("```html\n<script>alert(1)</script>\n```"),
    st.just("| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:alert(1)) |"),
)
PIECES = st.one_of(TAG, MARKDOWN, URL, st.sampled_from(["\n\n", " ", "*", "`", "<", ">", '"', "&", "&#", "\x00"]))
DOCUMENT = st.one_of(st.lists(PIECES, max_size=12).map("".join), st.text(max_size=80))

URL_ATTRIBUTES = {"href", "src", "xlink:href", "formaction", "action", "data", "background", "poster", "srcdoc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _scheme_text(value: str) -> str:
    """What a browser's URL parser reads the scheme from (WHATWG URL): entities already
    decoded by html.parser, leading and trailing C0 controls and spaces stripped, every tab
    and newline removed, lower-cased. ("java    script:" is a relative path, not a scheme.)"""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()


@FAST
@given(text=DOCUMENT)
def test_the_sanitizer_lets_no_script_handler_or_script_url_through(text):
    output = str(render_markdown(text))
    assert "<script" not in output.lower()
    parser = _Collect()
    parser.feed(output)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "form")
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, output)
            assert name != "style", output
            if name.lower() in URL_ATTRIBUTES and value is not None:
                assert not _scheme_text(value).startswith(BAD_SCHEMES), (tag, name, value, output)


def test_the_sanitizer_still_keeps_ordinary_links():
    output = str(render_markdown("[the map](https://example.org/map) and <mailto:team@example.org>"))
    assert '<a href="https://example.org/map" rel="noopener noreferrer nofollow">the map</a>' in output


# -- the filter parsers ------------------------------------------------------------------------

COLUMNS = [
    {"name": "name", "type": "text"},
    {"name": "amount", "type": "number"},
    {"name": "count", "type": "integer"},
    {"name": "open", "type": "boolean"},
    {"name": "day", "type": "date"},
    {"name": "seen", "type": "datetime"},
    {"name": "at", "type": "time"},
    {"name": "geometry", "type": "geojson"},
]
NAMES = [c["name"] for c in COLUMNS] + ["_id", "nope", "", "na'me", 'na"me', "NAME", "name__", "__"]
KEY = st.one_of(
    st.builds(
        lambda name, op: f"{name}__{op}" if op else name,
        st.sampled_from(NAMES),
        st.sampled_from([*dataset_rows.OPERATORS, "", "bogus", "exact__in", "in__"]),
    ),
    st.sampled_from(sorted(dataset_rows.RESERVED) + ["_", "_x", "_sort_asc"]),
    st.text(max_size=12),
)
VALUE = st.one_of(
    st.sampled_from(
        [
            "",
            "1",
            "-1.5",
            "1e309",
            "nan",
            "true",
            "no",
            "2024-02-30",
            "2024-02-03",
            "2024-02-03T10:00",
            "a,b",
            ",",
            "1,2,x",
            "name",
            "amount",
            "geometry",
            "0",
            "1001",
            "eyJ4IjoxfQ==",
            "\x00",
            "9" * 30,
            "-" + "9" * 30,
            str(2**63),
            str(-(2**63) - 1),
            str(2**63 - 1),
            "1,2," + "9" * 25,
            "1e308",
            "-1e400",
            "²",  # str.isdigit says yes, int() says no
        ]
    ),  # fmt: skip
    st.text(max_size=20),
    st.integers().map(str),  # hypothesis also draws numbers far past 64 bits
    st.integers(0, 1100).map(lambda n: ",".join(["1"] * n)),  # around the cap on listed values
)
# A _next token is base64 of JSON [sort, desc, value, row id, total]: forged ones of every kind.
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
TOKEN = st.one_of(
    st.tuples(st.sampled_from([None, "name", "amount", "count", "open", "day"]), st.one_of(st.booleans(), JSON_SCALAR),
              st.one_of(JSON_SCALAR, st.lists(JSON_SCALAR, max_size=2)), JSON_SCALAR, JSON_SCALAR),
    st.lists(JSON_SCALAR, max_size=6),
    st.just([None, False, None, True, 5]),
).map(lambda parts: base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("="))  # fmt: skip
ARGS = st.lists(
    st.one_of(
        st.tuples(KEY, VALUE),
        st.tuples(st.just("_next"), TOKEN),
        st.tuples(st.sampled_from(["_sort", "_sort_desc"]), st.sampled_from(NAMES)),
    ),
    max_size=6,
)


def assert_the_database_can_hold(query: RowQuery) -> None:
    """What gets past a parser fits the columns: 64-bit whole numbers, finite floats,
    at most MAX_FILTERS conditions and MAX_FILTER_VALUES values, an offset from 0."""
    values = []
    for _name, op, value in query.filters:
        values += value if op == "in" else [value]
    assert len(query.filters) <= dataset_rows.MAX_FILTERS and len(values) <= dataset_rows.MAX_FILTER_VALUES
    for value in values + ([query.after[1]] if query.after else []) + [query.total or 0, query.offset]:
        if isinstance(value, int):
            assert dataset_rows.INT64_MIN <= value <= dataset_rows.INT64_MAX, value
        if isinstance(value, float):
            assert value == value and abs(value) != float("inf"), value
    assert 0 <= query.offset and (query.total is None or 0 <= query.total)
    if query.after is not None:
        assert type(query.after[1]) is int


@pytest.fixture(scope="module")
def version():
    return DatasetVersion(columns=COLUMNS, number=1, table_name="dsv_property")


@FAST
@given(pairs=ARGS)
def test_any_query_string_parses_or_is_a_400(app, version, pairs):
    with app.test_request_context():
        try:
            query = dataset_rows.parse_row_query(MultiDict(pairs), version)
        except Invalid as error:
            assert error.status == 400 and error.message and error.errors
        else:
            assert isinstance(query, RowQuery)
            names = {c["name"] for c in COLUMNS}
            assert all(name in names for name, _op, _value in query.filters)
            assert query.sort is None or query.sort in names
            assert_the_database_can_hold(query)


CKAN_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(NAMES), inner, max_size=3)),
    max_leaves=6,
)
CKAN_ARGS = st.dictionaries(
    st.sampled_from(["filters", "q", "full_text", "fields", "sort", "offset", "distinct", "plain", "limit"]),
    st.one_of(
        CKAN_VALUE,
        st.sampled_from(['{"name": "x"}', '{"nope": 1}', "name desc", "amount asc, name", "{", "9" * 30, str(2**63)]),
        st.dictionaries(
            st.sampled_from(["count", "amount", "_id"]),
            st.one_of(st.integers(), st.lists(st.integers(), max_size=3), st.integers(0, 1100).map(lambda n: [1] * n)),
            max_size=2,
        ),  # filters with numbers past 64 bits and long lists
    ),
    max_size=5,
)


@FAST
@given(data=CKAN_ARGS)
def test_any_datastore_search_arguments_parse_or_are_a_validation_error(app, version, data):
    with app.test_request_context():
        try:
            query, names = ckan_row_query(dict(data), version)
        except CkanError as error:
            assert error.status in (400, 409)
        except Invalid as error:  # a typed filter value: the envelope turns it into a 409
            assert error.status == 400
        else:
            assert isinstance(query, RowQuery) and names
            assert_the_database_can_hold(query)


# -- the same shapes against a real table, over HTTP -------------------------------------------

TABLE = (
    "name,amount,count,open,day\nMeir,1.5,3,true,2024-02-03\nZuid,,-7,false,\n"
    ",2e300,9223372036854775807,,2024-12-31\n"  # the largest values the columns can hold
)


@pytest.fixture
def real_table(app, tmp_path):
    (tmp_path / "t.csv").write_text(TABLE)
    import_file(app, tmp_path / "t.csv", slug="t")
    return app.test_client()


def _complete(response) -> tuple[int, bytes]:
    return response.status_code, response.get_data()  # a stream that breaks off raises here


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=ARGS, suffix=st.sampled_from(["rows", "rows.csv", "rows.geojson"]))
def test_any_query_string_is_answered_in_full_or_is_a_400_on_a_real_table(real_table, pairs, suffix):
    status, body = _complete(real_table.get(f"/api/v1/datasets/t/{suffix}", query_string=pairs))
    version = MultiDict(pairs).get("_version")
    if status == 404:  # the one other answer: _version names a version t does not have (t has version 1)
        assert version is not None and version.isascii() and version.isdigit() and int(version) != 1, body[:300]
        assert "has no version" in json.loads(body)["error"]
        return
    assert status in (200, 400), body[:300]
    if status == 400:
        assert json.loads(body)["error"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=CKAN_ARGS, dump=st.booleans())
def test_any_datastore_arguments_are_answered_or_are_a_validation_error_on_a_real_table(real_table, data, dump):
    if dump:
        query = {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}
        status, body = _complete(real_table.get("/datastore/dump/t", query_string=query))
        assert status in (200, 400), body[:300]
    else:
        status, body = _complete(real_table.post("/api/3/action/datastore_search", json={"resource_id": "t", **data}))
        assert status in (200, 409), body[:300]
    if status != 200:
        assert json.loads(body)["error"]["message"]


# -- any bytes through the upload page -----------------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=300), st.sampled_from([b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0", b"{", b"a\n"])
    ),
    name=st.sampled_from(["f.csv", "f.xlsx", "f.json", "../f.csv", "f"]),
)
def test_any_bytes_through_the_upload_page_import_or_leave_nothing(app, client, auth, content, name):
    if not getattr(app, "_property_login", False):
        auth.login_as("organizer")
        app._property_login = True
    response = client.post(
        "/datasets/upload",
        data={"csrf_token": csrf_token(client, "/datasets/upload"), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code in (302, 422), response.get_data(as_text=True)[:300]
    if response.status_code == 422:
        assert "cannot be imported" in response.get_data(as_text=True)
    with app.app_context():
        versions = db.session.execute(sa.select(DatasetVersion.table_name, DatasetVersion.original_path)).all()
    assert dataset_tables(app) == {table for table, _path in versions}
    assert set(stored.originals(app)) == {f"dataset-originals/{path}" for _table, path in versions}
    assert not [p for p in Path(app.instance_path).iterdir() if p.is_dir() and p.name.startswith("tmp")]

"""Hostile uploads through the real HTTP paths: the dataset upload page, POST /api/v1/datasets,
the screenshot form and the screenshot API. Too big (also when the Content-Length lies or is
missing), the wrong kind of file, a zip bomb, or a file name that tries to climb out of the
upload folder: refused with a clear message or stored under a name we make, nothing left behind."""

from __future__ import annotations

import html
import http.client
import io
import re
import socket
import time
import tracemalloc
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import sqlalchemy as sa
from PIL import Image

from hackkit.extensions import db
from hackkit.models import Dataset, DatasetVersion, SubmissionScreenshot
from hackkit.services import submissions, tokens
from tests import factories as f
from tests import stored
from tests.conftest import csrf_token
from tests.datasets.helpers import dataset_tables

LIMIT_MB = 1
BOUNDARY = "----hackkitabuse7MA4YWxkTrZu0gW"


@pytest.fixture
def small_limit(app):
    """A 1 MB request limit, so 'too big' takes two megabytes, not fifty."""
    app.config["HACKKIT_MAX_UPLOAD_MB"] = LIMIT_MB
    app.config["MAX_CONTENT_LENGTH"] = LIMIT_MB * 1024 * 1024


@pytest.fixture
def world(app, client, auth):
    """An organizer logged in (pages) with an API token, and a team captain logged in on a
    second client, with a saved submission to add screenshots to."""
    organizer = auth.create_user("organizer", "abuse-organizer@example.org")
    assert auth.login(organizer.email).status_code == 302
    with app.app_context():
        event = f.event(db.session)
        captain = f.registered(db.session, event)
        team = f.team(db.session, event, captain=captain)
        submissions.save_submission(db.session, captain, team, {"title": "Map"})
        organizer_token = tokens.issue_token(db.session, db.session.merge(organizer))
        captain_token = tokens.issue_token(db.session, captain)
        captain_email, team_id = captain.email, team.id
    captain_client = app.test_client()
    assert auth.login(captain_email, client=captain_client).status_code == 302
    return {
        "team_id": team_id,
        "organizer_api": {"Authorization": f"Bearer {organizer_token}"},
        "captain_api": {"Authorization": f"Bearer {captain_token}"},
        "captain_client": captain_client,
    }


# -- where each upload goes, and how to tell nothing was kept -------------------------------


def _targets(world, client) -> dict[str, dict]:
    team = world["team_id"]
    return {
        "dataset page": {
            "path": "/datasets/upload",
            "field": "file",
            "client": client,
            "form": {"csrf_token": csrf_token(client, "/datasets/upload"), "draft": "y"},
            "headers": {},
        },
        "dataset api": {
            "path": "/api/v1/datasets",
            "field": "file",
            "client": client,
            "form": {},
            "headers": world["organizer_api"],
        },
        "screenshot page": {
            "path": f"/teams/{team}/submission/screenshots",
            "field": "screenshot",
            "client": world["captain_client"],
            "form": {
                "csrf_token": csrf_token(world["captain_client"], f"/teams/{team}/submission"),
                "alt_text": "A map",
            },
            "headers": {},
        },
        "screenshot api": {
            "path": f"/api/v1/teams/{team}/submission/screenshots",
            "field": "screenshot",
            "client": client,
            "form": {"alt_text": "A map"},
            "headers": world["captain_api"],
        },
    }


TARGETS = ["dataset page", "dataset api", "screenshot page", "screenshot api"]


def _nothing_stored(app) -> None:
    instance = Path(app.instance_path)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DatasetVersion)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Dataset)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionScreenshot)) == 0
    assert dataset_tables(app, with_search_tables=True) == set()
    assert stored.originals(app) == [] and stored.screenshots(app) == []
    assert not [p for p in instance.iterdir() if p.is_dir() and p.name.startswith("tmp")], "a temporary folder is left"


def _multipart(form: dict[str, str], field: str, filename_header: str, content: bytes, ctype: str) -> bytes:
    """A multipart body as a hostile client writes it: the filename parameter verbatim."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in form.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; {filename_header}\r\n'
        f"Content-Type: {ctype}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _post(target: dict, content: bytes, filename: str = "upload.csv", ctype="application/octet-stream", raw=None):
    header = raw or f'filename="{filename}"'
    body = _multipart(target["form"], target["field"], header, content, ctype)
    return target["client"].post(
        target["path"],
        data=body,
        headers=target["headers"],
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def _message(response) -> str:
    if response.is_json:
        body = response.get_json()
        return " ".join([body["error"], *[m for ms in (body.get("errors") or {}).values() for m in ms]])
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _refused(response, *words: str) -> str:
    """The upload was refused (4xx, or the form shown again with its error) with words a person reads."""
    assert response.status_code in (200, 400, 409, 413, 422), (response.status_code, response.get_data()[:300])
    if response.status_code == 200:  # a page form re-shown with its field error
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    text = _message(response)
    for word in words:
        assert word.lower() in text.lower(), (word, text[:2000])
    return text


# -- too big, with honest, lying and missing Content-Length -----------------------------------


def _cookie_header(client) -> str:
    cookie = client.get_cookie("session")
    return f"session={cookie.value}" if cookie else ""


def _raw_send(base: str, path: str, headers: dict[str, str], body: bytes, mode: str) -> tuple[int, bytes]:
    """Send over a real socket: `honest` Content-Length, `lying` (a tenth of the body), or
    `chunked` (no Content-Length at all). The server may answer and close before the body
    is all sent; that is fine, the answer is what counts."""
    host = urlsplit(base)
    sock = socket.create_connection((host.hostname, host.port), timeout=20)
    lines = [f"POST {path} HTTP/1.1", f"Host: {host.netloc}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if mode == "chunked":
        lines.append("Transfer-Encoding: chunked")
        step = 64 * 1024
        payload = b"".join(
            f"{len(body[i : i + step]):x}\r\n".encode() + body[i : i + step] + b"\r\n"
            for i in range(0, len(body), step)
        )
        payload += b"0\r\n\r\n"
    else:
        length = len(body) if mode == "honest" else len(body) // 10
        lines.append(f"Content-Length: {length}")
        payload = body
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.read()
    finally:
        sock.close()


@pytest.mark.parametrize("mode", ["honest", "lying", "chunked"])
@pytest.mark.parametrize("which", TARGETS)
def test_an_oversized_body_is_refused_and_nothing_is_stored(app, client, world, live_server, small_limit, which, mode):
    target = _targets(world, client)[which]
    content = b"id,name\n" + b"1,xxxxxxxxxxxxxxxxxxxxxxxx\n" * (2 * 1024 * 1024 // 27)  # two megabytes
    body = _multipart(target["form"], target["field"], 'filename="big.csv"', content, "text/csv")
    headers = {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Accept-Language": "en",
        **target["headers"],
    }
    if cookie := _cookie_header(target["client"]):
        headers["Cookie"] = cookie
    status, answer = _raw_send(live_server, target["path"], headers, body, mode)
    text = answer.decode("utf-8", "replace")
    if mode == "lying":
        # The server reads only what Content-Length promised: a cut-off form, refused as such.
        assert status == 400, (status, text[:500])
        assert "cut off" in html.unescape(text), text[:1000]
    else:
        assert status == 413, (status, text[:500])
        assert f"the limit is {LIMIT_MB} MB" in html.unescape(text), text[:1000]
    _nothing_stored(app)


def test_the_too_large_message_is_translated(app, client, world, small_limit):
    target = _targets(world, client)["dataset api"]
    big = b"a" * (LIMIT_MB * 1024 * 1024 + 10)
    response = target["client"].post(
        target["path"],
        data=_multipart({}, "file", 'filename="big.csv"', big, "text/csv"),
        headers={**target["headers"], "Accept-Language": "nl"},
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 413
    assert "1 MB" in response.get_json()["error"] and "limit" not in response.get_json()["error"]


# -- the wrong kind of file ------------------------------------------------------------------


def _exe() -> bytes:
    """The start of a Windows program: an MZ header, a PE header, code and padding."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 44
        + b"PE\x00\x00"
        + bytes(range(256)) * 8
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)
HTML = b"<!doctype html><html><body><img src=x onerror=alert(1)><script>alert(1)</script></body></html>"


@pytest.mark.parametrize("which", ["dataset page", "dataset api"])
def test_a_program_renamed_csv_is_refused_with_a_message(app, client, world, which):
    response = _post(_targets(world, client)[which], _exe(), filename="trees.csv", ctype="text/csv")
    _refused(response, "binary")
    _nothing_stored(app)


@pytest.mark.parametrize("which", ["screenshot page", "screenshot api"])
@pytest.mark.parametrize(
    "content, name, ctype",
    [
        pytest.param(HTML, "shot.png", "image/png", id="html-as-png"),
        pytest.param(SVG, "shot.svg", "image/svg+xml", id="svg-with-script"),
    ],
)
def test_html_or_svg_with_script_is_not_an_image(app, client, world, which, content, name, ctype):
    response = _post(_targets(world, client)[which], content, filename=name, ctype=ctype)
    _refused(response, "not an image we can read")
    _nothing_stored(app)


# -- an XLSX zip bomb ------------------------------------------------------------------------


def _xlsx_bomb(unpacked_mb: int = 300) -> bytes:
    """A valid-looking workbook whose one sheet is `unpacked_mb` of XML, packed to a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
        )
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
            )
            block = b"A" * (1024 * 1024)
            for _ in range(unpacked_mb):
                sheet.write(block)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _xlsx_bomb()


@pytest.mark.parametrize("which", ["dataset page", "dataset api"])
def test_an_xlsx_zip_bomb_is_refused_quickly_in_bounded_memory(app, client, world, bomb, which):
    assert len(bomb) < 2 * 1024 * 1024  # small enough to pass any upload limit
    target = _targets(world, client)[which]
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = _post(target, bomb, filename="budget.xlsx", ctype="application/vnd.ms-excel")
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _refused(response, "zip bomb")
    assert elapsed < 5, f"took {elapsed:.1f} s"
    # The request (served in this process) may not allocate anything near the 300 MB inside.
    assert peak < 32 * 1024 * 1024, f"peak allocation {peak / 1e6:.0f} MB"
    _nothing_stored(app)


def test_the_zip_bomb_message_is_translated(client, world, bomb):
    target = _targets(world, client)["dataset api"]
    target["headers"] = {**target["headers"], "Accept-Language": "nl"}
    response = _post(target, bomb, filename="budget.xlsx")
    assert response.status_code == 422 and "zip-bom" in response.get_json()["error"]


def test_a_real_xlsx_still_imports(app, client, world):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name"])
    for i in range(2000):
        sheet.append([i, "same text in every row"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _post(_targets(world, client)["dataset api"], buffer.getvalue(), filename="ok.xlsx")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["row_count"] == 2000


# -- file names that try to climb out, or break headers ---------------------------------------

NAMES = {
    "unix traversal": ('filename="../../etc/passwd.csv"', "passwd.csv"),
    "windows traversal": ('filename="..\\\\..\\\\x.csv"', "x.csv"),
    "absolute": ('filename="/etc/cron.d/evil.csv"', "evil.csv"),
    "nul byte": ("filename*=UTF-8''trees.csv%00.exe", "trees.csv .exe"),
    "newline": ("filename*=UTF-8''trees%0D%0ASet-Cookie%3A%20x%3Dy.csv", "trees Set-Cookie: x=y.csv"),
    "300 characters": (f'filename="{"a" * 296}.csv"', "a" * 196 + ".csv"),
    "markup": (
        "filename*=UTF-8''" + quote('<img src=x onerror=alert(1)>"&.csv', safe=""),
        '<img src=x onerror=alert(1)>"&.csv',
    ),
}


@pytest.mark.parametrize("which", ["dataset page", "dataset api"])
@pytest.mark.parametrize("case", list(NAMES))
def test_uploaded_file_names_are_shown_escaped_and_never_used_on_disk(app, client, world, which, case):
    raw, shown = NAMES[case]
    target = _targets(world, client)[which]
    response = _post(target, b"id,name\n1,Meir\n", raw=raw, ctype="text/csv")
    assert response.status_code in (201, 302), (response.status_code, response.get_data()[:500])
    with app.app_context():
        version = db.session.scalars(sa.select(DatasetVersion)).one()
        slug = version.dataset.slug
        assert version.original_name == shown
        assert re.fullmatch(r"[0-9a-f]{24}\.(csv|bin)", version.original_path)
    assert stored.originals(app) == [f"dataset-originals/{version.original_path}"]
    assert not (Path("/etc") / "cron.d" / "evil.csv").exists()
    # Shown escaped on the pages that name the file.
    for page in (f"/datasets/{slug}", f"/datasets/{slug}/report"):
        text = client.get(page).get_data(as_text=True)
        assert html.escape(shown, quote=False) in text.replace("&#34;", '"').replace("&quot;", '"'), page
        assert "<img src=x" not in text
    # The download keeps the name without breaking the response headers.
    download = client.get(f"/datasets/{slug}/original")
    assert download.status_code == 200 and download.data == b"id,name\n1,Meir\n"
    disposition = download.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition.replace("%2F", "")
    assert "Set-Cookie" not in {k for k, _v in download.headers.items()}


@pytest.mark.parametrize("which", ["screenshot page", "screenshot api"])
@pytest.mark.parametrize("case", ["unix traversal", "nul byte", "newline", "300 characters"])
def test_screenshot_names_never_reach_the_disk(app, client, world, which, case):
    image = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 90, 0)).save(image, format="PNG")
    response = _post(_targets(world, client)[which], image.getvalue(), raw=NAMES[case][0], ctype="image/png")
    assert response.status_code in (201, 302), (response.status_code, response.get_data()[:500])
    files = stored.screenshots(app)
    assert len(files) == 1 and re.fullmatch(r"uploads/screenshots/[0-9a-f]{32}\.png", files[0])

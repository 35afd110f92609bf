"""Formula injection: every CSV (and TSV) the hub hands out, fetched over HTTP the way an
organizer or a data user downloads it, with formulas planted in every text field a user
controls. No cell of any row may start the way a spreadsheet starts a formula.

The exports of people, teams, projects and reports neutralise every such cell. The data
downloads (rows.csv, /datastore/dump) neutralise text cells too, except plain signed
numbers ("-1", "+32 3 123 45 67"): a spreadsheet reads those as the number they are, and
number columns are never touched (docs/api.md, "Spreadsheet-safe CSV")."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Submission
from hackkit.services import accounts, outcomes, prizes, submissions
from tests import factories as f
from tests.cocreation import world as w
from tests.datasets.helpers import import_file, write_csv

PAYLOADS = ['=HYPERLINK("http://x")', "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?[\d\s.,/()]*$")


def _cells(text: str, delimiter: str = ",") -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
    assert len(rows) > 1, text
    return rows


def _assert_neutral(name: str, rows: list[list[str]], allow_numbers: bool = False) -> None:
    for row in rows[1:]:
        for cell in row:
            if allow_numbers and PLAIN_NUMBER.match(cell):
                continue
            assert not cell.startswith(FORMULA_START), (name, cell, row)


@pytest.fixture
def planted(app, client, auth):
    """An event where every user-written field holds a formula, one payload per participant."""
    organizer = auth.create_user("organizer", "csv-organizer@example.org")
    assert auth.login(organizer.email).status_code == 302
    with app.app_context():
        organizer = db.session.merge(organizer)
        event = f.event(db.session, organizer)
        challenge = w.challenge(db.session, event, organizer, title=PAYLOADS[0], datasets=[])
        for n, payload in enumerate(PAYLOADS):
            captain = f.registered(db.session, event)
            accounts.update_profile(
                db.session,
                captain,
                display_name=payload + f" {n}" if payload.strip() == payload else payload,
                skills=[payload],
                languages=[],
                bio=payload,
                looking_for_team=True,
            )
            team = f.team(db.session, event, captain=captain, name=f"{payload}{n}")
            if n == 0:
                f.catalogue_dataset(db.session, "plain-trees")
            project = submissions.save_submission(
                db.session,
                captain,
                team,
                {
                    "title": payload,
                    "tagline": payload,
                    "challenge_id": challenge.id,
                    "datasets": [{"slug": "plain-trees", "how": payload}],
                },
                status="submitted",
            )
            # What became of it: the city's note and department, and the team's update.
            outcomes.record_outcome(
                db.session, organizer, project, {"status": "stopped", "note": payload, "department": payload}
            )
            outcomes.post_update(db.session, captain, project, {"text": payload, "url": ""})
        # A prize and its winner's reason are user-written too (the organizer archive has the winner).
        prize = prizes.create_prize(
            db.session, organizer, event, {"name": PAYLOADS[0], "description": PAYLOADS[1], "sponsor_name": PAYLOADS[3]}
        )
        first = db.session.scalars(sa.select(Submission).where(Submission.event_id == event.id)).first()
        prizes.confirm_winners(
            db.session, organizer, prize, {"winners": [{"submission_id": first.id, "reason": PAYLOADS[2]}]}
        )
        slug = event.slug
    return slug


def test_every_event_export_and_report_neutralises_formulas(client, planted):
    downloads = {
        name: client.get(f"/events/{planted}/exports/{name}")
        for name in ("participants.csv", "teams.csv", "submissions.csv")
    }
    downloads["datasets report"] = client.get("/admin/reports/datasets.csv")
    downloads["challenges report"] = client.get("/admin/reports/challenges.csv")
    downloads["event impact"] = client.get(f"/events/{planted}/impact.csv")
    downloads["impact"] = client.get("/impact.csv")
    for name, response in downloads.items():
        assert response.status_code == 200, name
        rows = _cells(response.get_data(as_text=True))
        _assert_neutral(name, rows)
        flat = "\n".join(",".join(r) for r in rows)
        assert "'=HYPERLINK" in flat or name == "datasets report", name  # still there, as text
    assert "'@SUM(A1)" in downloads["submissions.csv"].get_data(as_text=True)


@pytest.mark.parametrize("kind", ["public", "organizer"])
def test_every_csv_in_the_event_archives_neutralises_formulas(client, planted, kind):
    response = client.get(f"/events/{planted}/archive-{kind}.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = [n for n in archive.namelist() if n.endswith(".csv")]
        assert names
        for name in names:
            _assert_neutral(f"{kind}/{name}", _cells(archive.read(name).decode("utf-8")))


def test_the_api_exports_are_the_same_safe_files(client, app, planted):
    from tests.api.helpers import token_for

    headers = token_for(client, "csv-organizer@example.org")
    for name in ("participants.csv", "teams.csv", "submissions.csv"):
        response = client.get(f"/api/v1/events/{planted}/exports/{name}", headers=headers)
        assert response.status_code == 200, name
        _assert_neutral(name, _cells(response.get_data(as_text=True)))
    for name in ("datasets.csv", "challenges.csv"):
        response = client.get(f"/api/v1/reports/{name}", headers=headers)
        assert response.status_code == 200, name
        _assert_neutral(name, _cells(response.get_data(as_text=True)))


DATA = "id,amount,label\n" + "".join(
    f"{i},{amount},{label}\n"
    for i, (amount, label) in enumerate(
        zip(
            ["-1", "-2.5", "3", "+4", "-5", "6", "-7", "8", "9", "10"],
            ['"=HYPERLINK(""http://x"")"', "+1", "-1+1", "@SUM(A1)", '"\t=1"', "-1", "plain", "+32 3 123 45 67"],
            strict=False,
        ),
        start=1,
    )
)


@pytest.fixture
def formulas_dataset(app, tmp_path):
    slug, _table = import_file(app, write_csv(tmp_path, "formulas.csv", DATA), slug="formulas", title="=1+1 data")
    return slug


def test_data_downloads_keep_numbers_and_neutralise_text(client, formulas_dataset):
    downloads = {
        "rows.csv": (f"/api/v1/datasets/{formulas_dataset}/rows.csv", ","),
        "dump csv": (f"/datastore/dump/{formulas_dataset}", ","),
        "dump tsv": (f"/datastore/dump/{formulas_dataset}?format=tsv", "\t"),
    }
    for name, (url, delimiter) in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, name
        rows = _cells(response.get_data(as_text=True), delimiter)
        header = rows[0]
        amount, label = header.index("amount"), header.index("label")
        _assert_neutral(name, rows, allow_numbers=True)
        # Negative numbers stay numbers a spreadsheet can add up.
        assert [float(r[amount]) for r in rows[1:4]] == [-1, -2.5, 3], name
        labels = [r[label] for r in rows[1:]]
        assert labels[0] == '\'=HYPERLINK("http://x")' and "'-1+1" in labels and "'@SUM(A1)" in labels, (name, labels)
        assert "+32 3 123 45 67" in labels, name  # a phone number is not a formula

"""Upload files live in the instance's uploads-in-progress folder only while their import
runs: removed afterwards whatever happened, swept at start-up after a crash, never backed up."""

import io
import os
import time
import zipfile
from pathlib import Path

from hackkit.services.dataset_uploads import LEFTOVER_AGE_SECONDS, UPLOADS_DIR
from tests import stored
from tests.api.test_datasets_api import token_for
from tests.conftest import csrf_token, make_app

STOPS = "id;name;lat;lon\n1;Meir;51.218;4.41\n"


def test_leftovers_of_a_crash_are_removed_at_start_up(tmp_path, database_url):
    folder = tmp_path / "instance" / UPLOADS_DIR
    folder.mkdir(parents=True)
    crashed, running = folder / "crashed.csv", folder / "running.csv"
    crashed.write_text(STOPS)
    running.write_text(STOPS)
    long_ago = time.time() - LEFTOVER_AGE_SECONDS - 3600
    os.utime(crashed, (long_ago, long_ago))
    make_app(tmp_path, database_url)
    assert not crashed.exists()
    assert running.exists()  # young enough to belong to an import another worker is running


def test_backups_do_not_carry_uploads_in_progress(app, runner, tmp_path):
    folder = Path(app.instance_path) / UPLOADS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "half.csv").write_text(STOPS)
    (Path(app.instance_path) / "share-images").mkdir()
    (Path(app.instance_path) / "share-images" / "kept.png").write_text(STOPS)
    target = tmp_path / "hub.zip"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(target).namelist()
    assert "files/share-images/kept.png" in names
    assert not [n for n in names if UPLOADS_DIR in n]


def test_no_upload_file_stays_behind_after_web_and_api_imports(app, client, auth):
    folder = Path(app.instance_path) / UPLOADS_DIR
    organizer = token_for(client, auth, "organizer")
    for text in (STOPS, "\x00\x01garbage"):
        data = {"file": (io.BytesIO(text.encode()), "stops.csv")}
        client.post("/api/v1/datasets", data=data, headers=organizer, content_type="multipart/form-data")
    auth.login_as("organizer")
    for text in (STOPS + "2;Zuid;51.2;4.39\n", "\x00\x01garbage"):
        token = csrf_token(client, "/datasets/upload")
        data = {"csrf_token": token, "file": (io.BytesIO(text.encode()), "stops.csv"), "draft": ""}
        client.post("/datasets/upload", data=data, content_type="multipart/form-data")
    assert list(folder.iterdir()) == []
    assert len(stored.originals(app)) == 2
    assert not [p for p in Path(app.instance_path).iterdir() if p.name.startswith("tmp")]

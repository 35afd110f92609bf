"""The curated demo datasets: generated deterministically, honestly labelled, loaded once at setup."""

import importlib.util
import json
from pathlib import Path

import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Dataset
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2] / "datasets"
SLUGS = {"districts", "bike-stations", "public-toilets", "playgrounds", "recycling-points", "incidents"}


def load_generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_committed_files_exactly(tmp_path, monkeypatch):
    generate = load_generator()
    monkeypatch.setattr(generate, "ROOT", tmp_path)
    generate.main()
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(ROOT) for p in ROOT.rglob("*") if p.is_file() and p.parent != ROOT)
    assert made == committed
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (ROOT / relative).read_bytes(), relative


def test_every_package_is_labelled_as_demo_data_and_describes_its_columns():
    packages = {p.parent.name: json.loads(p.read_text()) for p in ROOT.glob("*/datapackage.json")}
    assert set(packages) == SLUGS
    for slug, package in packages.items():
        assert package["name"] == slug and "Demo data" in package["description"] and "demo" in package["keywords"]
        assert (ROOT / slug / package["resources"][0]["path"]).is_file()


def test_setup_loads_the_curated_datasets_once_and_keeps_edits(tmp_path, fresh_database_url):
    app = make_app(tmp_path, fresh_database_url)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "Loaded the curated datasets" in first.output
    client = app.test_client()
    for slug in SLUGS:
        detail = client.get(f"/api/v1/datasets/{slug}").get_json()
        assert detail["status"] == "published" and detail["license"]["id"] == "CC0-1.0", slug
        assert detail["geometry"], slug
    columns = {f["name"]: f["type"] for f in client.get("/api/v1/datasets/incidents").get_json()["schema"]["fields"]}
    assert columns["datetime"] == "datetime" and columns["date"] == "date"
    toilets = client.get("/api/v1/datasets/public-toilets/rows?wheelchair_accessible=true&_size=1").get_json()
    assert toilets["rows"][0]["wheelchair_accessible"] is True
    with app.app_context():
        dataset = db.session.scalar(sa.select(Dataset).where(Dataset.slug == "districts"))
        dataset.title = "Our districts"
        db.session.commit()
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0 and "Loaded the curated" not in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(Dataset.title).where(Dataset.slug == "districts")) == "Our districts"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Dataset)) == len(SLUGS)
        db.engine.dispose()

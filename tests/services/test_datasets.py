"""Importing datasets: versions, atomic failure, drafts, metadata rules."""

import pytest
import sqlalchemy as sa

from hackkit.datasets.commands import ShellActor
from hackkit.extensions import db
from hackkit.models import Dataset, DatasetVersion
from hackkit.services import datasets
from hackkit.services.errors import Forbidden, Invalid, NotFound, Unreadable
from tests import stored
from tests.datasets.helpers import dataset_tables, import_file, write_csv

CSV = "id;naam;waarde;postcode\n1;Meir;1,5;2000\n2;Groenplaats;2,5;2018\n3;café;;2060\n"


def test_import_creates_a_typed_table_with_its_rows(app, tmp_path):
    slug, table = import_file(app, write_csv(tmp_path, "Straten Antwerpen.csv", CSV), license="CC0-1.0")
    assert slug == "straten-antwerpen"
    with app.app_context():
        rows = db.session.execute(sa.text(f'SELECT naam, waarde, postcode FROM "{table}" ORDER BY _id')).all()
        assert [tuple(r) for r in rows] == [("Meir", 1.5, "2000"), ("Groenplaats", 2.5, "2018"), ("café", None, "2060")]
        version = db.session.scalar(sa.select(DatasetVersion))
        stats = {c["name"]: c for c in version.columns}
        assert stats["waarde"]["nulls"] == 1 and stats["waarde"]["min"] == 1.5 and stats["naam"]["distinct"] == 3
        assert sum(stats["waarde"]["histogram"]["counts"]) == 2
        assert version.dataset.license == "CC0-1.0" and version.dataset.status == "published"
    assert len(stored.originals(app)) == 1


def test_import_to_an_existing_slug_adds_a_version_and_keeps_the_old_one(app, tmp_path):
    _, first = import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="streets")
    _, second = import_file(app, write_csv(tmp_path, "b.csv", "id,naam\n9,Nieuw\n"), slug="streets")
    assert dataset_tables(app) == {first, second}
    with app.app_context():
        dataset = db.session.scalar(sa.select(Dataset).where(Dataset.slug == "streets"))
        assert [v.number for v in dataset.versions] == [1, 2] and dataset.current.row_count == 1


BAD_FILES = [b"", b"\x00\x01\x02 not a table \x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel"]


@pytest.mark.parametrize("content", BAD_FILES)
def test_unreadable_file_leaves_no_table_row_or_file_behind(app, tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(Unreadable):
        import_file(app, path, slug="bad")
    assert dataset_tables(app, with_search_tables=True) == set()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Dataset)) == 0
    assert stored.originals(app) == []


def test_a_value_that_breaks_a_forced_type_midway_leaves_nothing(app, tmp_path):
    from hackkit.ingest import Overrides

    path = write_csv(tmp_path, "f.csv", "n\n" + "1\n" * 12000 + "oops\n")
    with app.app_context(), pytest.raises(Unreadable, match="Row 12001"):
        datasets.import_dataset(db.session, ShellActor(), path, overrides=Overrides(types={"n": "integer"}))
    assert dataset_tables(app, with_search_tables=True) == set()


@pytest.mark.parametrize("count", [49, 50, 123])
def test_every_row_is_stored_once_in_file_order(app, tmp_path, count):
    """SQLite takes the rows many to a statement (dataset_tables._load_sqlite): whole
    statements and the rows left over keep the file's order and ids."""
    body = "".join(f"{i};straat {i};{i / 4}\n".replace(".", ",") for i in range(1, count + 1))
    _, table = import_file(app, write_csv(tmp_path, "r.csv", "id;naam;waarde\n" + body), slug="rows")
    with app.app_context():
        rows = db.session.execute(sa.text(f'SELECT _id, id, naam, waarde FROM "{table}" ORDER BY _id')).all()
    assert [tuple(r) for r in rows] == [(i, i, f"straat {i}", i / 4) for i in range(1, count + 1)]


def test_imports_that_succeed_or_fail_leave_the_cycle_collector_on(app, tmp_path):
    """The importer pauses Python's cycle collector while it works (hackkit/ingest/collector.py);
    a worker process must get it back either way."""
    import gc

    from hackkit.ingest import Overrides

    assert gc.isenabled()
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="streets")
    assert gc.isenabled()
    path = write_csv(tmp_path, "f.csv", "n\n" + "1\n" * 12000 + "oops\n")
    with app.app_context(), pytest.raises(Unreadable):
        datasets.import_dataset(db.session, ShellActor(), path, overrides=Overrides(types={"n": "integer"}))
    assert gc.isenabled()


def test_drafts_are_invisible_to_everyone_but_organizers(app, tmp_path, auth):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="secret", draft=True)
    participant = auth.create_user("participant")
    participant.is_authenticated = True
    with app.app_context():
        with pytest.raises(NotFound):
            datasets.get_dataset(db.session, None, "secret")
        with pytest.raises(NotFound):
            datasets.get_dataset(db.session, participant, "secret")
        assert datasets.get_dataset(db.session, ShellActor(), "secret").status == "draft"
        assert datasets.visible_datasets(db.session, None) == []


def test_only_organizers_may_import_or_edit(app, tmp_path, auth):
    participant = auth.create_user("participant")
    participant.is_authenticated = True
    with app.app_context(), pytest.raises(Forbidden):
        datasets.import_dataset(
            db.session,
            participant,
            write_csv(tmp_path, "a.csv", CSV),
        )
    assert dataset_tables(app, with_search_tables=True) == set()


def test_metadata_is_checked(app, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", CSV), slug="streets")
    with app.app_context():
        dataset = datasets.get_dataset(db.session, ShellActor(), "streets")
        with pytest.raises(Invalid) as error:
            datasets.update_dataset(
                db.session,
                ShellActor(),
                dataset,
                {"license": "mine", "themes": ["XXX"], "source_url": "ftp://x", "title": ""},
            )
        assert set(error.value.errors) == {"license", "themes", "source_url", "title"}
        datasets.update_dataset(
            db.session, ShellActor(), dataset, {"themes": "tran, regi", "keywords": "fiets, ,fiets"}
        )
        assert dataset.themes == ["TRAN", "REGI"] and dataset.keywords == ["fiets"]


def test_orphan_tables_from_a_killed_import_are_swept(app, tmp_path):
    _, kept = import_file(app, write_csv(tmp_path, "a.csv", CSV))
    with app.app_context():
        db.session.execute(sa.text('CREATE TABLE "dsv_0123456789ab" (x integer)'))
        db.session.commit()
        assert datasets.drop_orphan_tables(db.session) == ["dsv_0123456789ab"]
    assert dataset_tables(app) == {kept}

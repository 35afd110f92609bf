"""Shared helpers for the catalogue tests: import a small file as a given role."""

from pathlib import Path

import sqlalchemy as sa

from hackkit.datasets.commands import ShellActor
from hackkit.extensions import db
from hackkit.services import datasets
from hackkit.services.dataset_tables import VERSION_TABLE


def _realdata() -> Path:
    """../shared/realdata from the project root (a worktree sits one folder deeper)."""
    root = Path(__file__).resolve().parents[2]
    found = [base / "shared" / "realdata" for base in (root.parent, root.parent.parent)]
    return next((path for path in found if path.is_dir()), found[0])


REALDATA = _realdata()


def write_csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_file(app, path: Path, **metadata):
    draft = metadata.pop("draft", False)
    with app.app_context():
        result = datasets.import_dataset(
            db.session,
            ShellActor(),
            path,
            metadata=metadata,
            draft=draft,
        )
        return result.dataset.slug, result.version.table_name


def dataset_tables(app, with_search_tables: bool = False) -> set[str]:
    """Version tables; with_search_tables adds the tables that belong to them (full text, postings)."""
    with app.app_context():
        names = {n for n in sa.inspect(db.engine).get_table_names() if n.startswith("dsv_")}
    return names if with_search_tables else {n for n in names if VERSION_TABLE.match(n)}

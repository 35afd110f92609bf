"""The committed migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from hackkit.extensions import db
from tests.conftest import make_app


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(app):
    with app.app_context():
        assert schema_differences() == []


def test_migrations_run_down_to_empty_and_up_again(tmp_path, fresh_database_url):
    app = make_app(tmp_path, fresh_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert schema_differences() == []
        db.engine.dispose()

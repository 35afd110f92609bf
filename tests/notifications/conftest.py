import pytest

from hackkit.extensions import db
from tests.conftest import make_app
from tests.notifications.helpers import PUBLIC_URL


@pytest.fixture
def mail_app(tmp_path, database_url, smtp_server):
    app = make_app(tmp_path, database_url, HACKKIT_PUBLIC_URL=PUBLIC_URL, **smtp_server.config())
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(mail_app):
    with mail_app.app_context():
        yield db.session

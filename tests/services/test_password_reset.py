"""The reset-link rules without HTTP: expiry, single use, and what voids a link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import User
from hackkit.models.base import utcnow
from hackkit.services import accounts, password_reset
from hackkit.services.errors import Invalid
from tests.conftest import TEST_PASSWORD

KEY = "test secret key"
NEW = "a new and long passphrase"


@pytest.fixture
def user(app):
    with app.app_context():
        account = accounts.register_user(db.session, "reset@example.org", "Rita Reset", TEST_PASSWORD)
        yield account


def reason(token: str, **kwargs) -> str:
    with pytest.raises(password_reset.LinkNotValid) as caught:
        password_reset.check_token(db.session, token, secret_key=KEY, minutes=60, **kwargs)
    return caught.value.reason


def test_a_link_is_valid_until_its_minutes_are_up(user):
    made = utcnow()
    token = password_reset.make_token(user, KEY, now=made)
    assert password_reset.check_token(db.session, token, secret_key=KEY, minutes=60, now=made + timedelta(minutes=59))
    assert reason(token, now=made + timedelta(minutes=61)) == "expired"


def test_setting_the_password_voids_the_link_and_rotates_the_session_token(user):
    old_session_token = user.session_token
    token = password_reset.make_token(user, KEY)
    changed = password_reset.reset_password(db.session, token, NEW, secret_key=KEY, minutes=60)
    assert changed.session_token != old_session_token
    assert accounts.authenticate(db.session, "reset@example.org", NEW).id == user.id
    assert reason(token) == "used"
    with pytest.raises(password_reset.LinkNotValid):
        password_reset.reset_password(db.session, token, "yet another passphrase", secret_key=KEY, minutes=60)


def test_the_same_password_again_still_voids_the_link(user):
    # argon2 salts every hash afresh, so even an unchanged password makes a new fingerprint.
    token = password_reset.make_token(user, KEY)
    password_reset.reset_password(db.session, token, NEW, secret_key=KEY, minutes=60)
    second = password_reset.make_token(db.session.get(User, user.id), KEY)
    password_reset.reset_password(db.session, second, NEW, secret_key=KEY, minutes=60)
    assert reason(second) == "used"


def test_a_password_change_voids_every_outstanding_link(user):
    token = password_reset.make_token(user, KEY)
    accounts.change_password(db.session, user, TEST_PASSWORD, NEW)
    assert reason(token) == "used"


def test_a_refused_password_leaves_the_link_usable(user):
    token = password_reset.make_token(user, KEY)
    with pytest.raises(Invalid) as caught:
        password_reset.reset_password(db.session, token, "Rita Reset 2024", secret_key=KEY, minutes=60)
    assert "password" in caught.value.errors
    assert password_reset.check_token(db.session, token, secret_key=KEY, minutes=60).id == user.id


def test_a_link_for_a_deleted_account_is_refused(user):
    token = password_reset.make_token(user, KEY)
    accounts.delete_account(db.session, user, TEST_PASSWORD)
    assert reason(token) == "used"


def test_a_link_from_another_hub_or_purpose_is_refused(user):
    assert reason(password_reset.make_token(user, "another hub's key")) == "broken"
    from itsdangerous import URLSafeTimedSerializer

    other_purpose = URLSafeTimedSerializer(KEY, salt="something else").dumps([user.id, "x"])
    assert reason(other_purpose) == "broken"

"""The account rules, tested without HTTP."""

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import ApiToken, User
from hackkit.services import accounts, tokens
from hackkit.services.errors import Conflict, Forbidden, Invalid, Unauthorized
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def count_users(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User))


def test_register_normalises_email_and_hashes_with_argon2id(session):
    user = accounts.register_user(session, "  Ada@Example.ORG ", " Ada   Lovelace ", TEST_PASSWORD)
    assert user.email == "ada@example.org"
    assert user.display_name == "Ada Lovelace"
    assert user.role == "participant"
    assert user.password_hash.startswith("$argon2id$")
    assert TEST_PASSWORD not in user.password_hash


def test_register_duplicate_email_is_refused_whatever_the_case(session):
    accounts.register_user(session, "ada@example.org", "Ada", TEST_PASSWORD)
    with pytest.raises(Invalid) as caught:
        accounts.register_user(session, "ADA@example.org", "Other Ada", TEST_PASSWORD)
    assert "email" in caught.value.errors
    assert count_users(session) == 1


@pytest.mark.parametrize(
    "password",
    ["short", "aaaaaaaaaaaa", "password123", "ada.lovelace-2026", "x" * 1025],
    ids=["too-short", "one-character", "common", "contains-email-name", "too-long"],
)
def test_register_weak_password_is_refused_and_nothing_is_written(session, password):
    with pytest.raises(Invalid) as caught:
        accounts.register_user(session, "ada.lovelace@example.org", "Ada", password)
    assert caught.value.errors["password"]
    assert count_users(session) == 0


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "ada@@example.org"])
def test_register_invalid_email_is_refused(session, email):
    with pytest.raises(Invalid) as caught:
        accounts.register_user(session, email, "Ada", TEST_PASSWORD)
    assert "email" in caught.value.errors
    assert count_users(session) == 0


def test_authenticate_gives_one_message_for_unknown_email_and_wrong_password(session):
    accounts.register_user(session, "ada@example.org", "Ada", TEST_PASSWORD)
    with pytest.raises(Unauthorized) as wrong_password:
        accounts.authenticate(session, "ada@example.org", "not the password")
    with pytest.raises(Unauthorized) as unknown:
        accounts.authenticate(session, "nobody@example.org", TEST_PASSWORD)
    assert str(wrong_password.value.message) == str(unknown.value.message)
    user = accounts.authenticate(session, "ADA@example.org", TEST_PASSWORD)
    assert user.last_login_at is not None


def test_change_password_rotates_the_session_token(session):
    user = accounts.register_user(session, "ada@example.org", "Ada", TEST_PASSWORD)
    before = user.session_token
    accounts.change_password(session, user, TEST_PASSWORD, "a brand new passphrase")
    assert user.session_token != before
    assert accounts.authenticate(session, "ada@example.org", "a brand new passphrase")


def test_change_password_with_wrong_current_password_changes_nothing(session):
    user = accounts.register_user(session, "ada@example.org", "Ada", TEST_PASSWORD)
    old_hash, old_token = user.password_hash, user.session_token
    with pytest.raises(Invalid) as caught:
        accounts.change_password(session, user, "wrong current", "a brand new passphrase")
    assert "current_password" in caught.value.errors
    assert (user.password_hash, user.session_token) == (old_hash, old_token)


def test_update_profile_cleans_lists_and_refuses_a_long_bio(session):
    user = accounts.register_user(session, "ada@example.org", "Ada", TEST_PASSWORD)
    accounts.update_profile(
        session,
        user,
        display_name="Ada L",
        skills="Python,  GIS , python, ,design",
        languages=["nl", "en"],
        bio="Maps!",
        looking_for_team=True,
    )
    session.expire_all()
    user = session.get(User, user.id)
    assert user.skills == ["Python", "GIS", "design"]
    assert user.languages == ["nl", "en"]
    assert user.looking_for_team is True
    with pytest.raises(Invalid):
        accounts.update_profile(
            session, user, display_name="Changed", skills="", languages="", bio="x" * 501, looking_for_team=False
        )
    session.rollback()
    assert session.get(User, user.id).display_name == "Ada L"


def test_only_organizers_change_roles(session):
    participant = accounts.register_user(session, "p@example.org", "P", TEST_PASSWORD)
    other = accounts.register_user(session, "o@example.org", "O", TEST_PASSWORD)
    with pytest.raises(Forbidden):
        accounts.change_role(session, participant, other, "organizer")
    organizer = accounts.register_user(session, "org@example.org", "Org", TEST_PASSWORD, role="organizer")
    accounts.change_role(session, organizer, other, "judge")
    assert other.role == "judge"
    with pytest.raises(Invalid):
        accounts.change_role(session, organizer, other, "emperor")


def test_the_last_organizer_cannot_be_demoted_or_deleted(session):
    organizer = accounts.register_user(session, "org@example.org", "Org", TEST_PASSWORD, role="organizer")
    with pytest.raises(Conflict):
        accounts.change_role(session, organizer, organizer, "participant")
    with pytest.raises(Conflict):
        accounts.delete_account(session, organizer, TEST_PASSWORD)
    assert session.get(User, organizer.id).role == "organizer"


def test_delete_account_needs_the_password_and_removes_tokens(session):
    user = accounts.register_user(session, "ada@example.org", "Ada", TEST_PASSWORD)
    tokens.issue_token(session, user)
    with pytest.raises(Invalid):
        accounts.delete_account(session, user, "wrong")
    assert count_users(session) == 1
    accounts.delete_account(session, user, TEST_PASSWORD)
    assert count_users(session) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_tokens_are_stored_as_hashes_and_revocation_ends_them(session):
    user = accounts.register_user(session, "ada@example.org", "Ada", TEST_PASSWORD)
    token = tokens.issue_token(session, user, name="my script", scope="read")
    stored = session.scalar(sa.select(ApiToken))
    assert token not in (stored.token_hash, stored.name)
    found_user, record = tokens.user_for_token(session, token)
    assert found_user.id == user.id and record.scope == "read" and record.last_used_at is not None
    assert tokens.user_for_token(session, token + "x") is None
    with pytest.raises(Invalid):
        tokens.issue_token(session, user, scope="admin")

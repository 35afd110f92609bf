"""Accounts: sign-up, log-in, profile, password, roles and deletion."""

from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import ROLES, User
from hackkit.models.base import utcnow
from hackkit.models.user import new_session_token
from hackkit.permissions import require
from hackkit.services import passwords, tokens
from hackkit.services.errors import Conflict, Invalid, NotFound, Unauthorized, WrongPassword
from hackkit.services.transactions import rolls_back
from hackkit.services.validation import Problems, string_list


def normalise_email(email: str) -> str:
    try:
        # No DNS look-up: sign-up must work on a venue network without internet.
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        message = _l("Enter a valid e-mail address.")
        raise Invalid(message, {"email": [message]}) from error


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def _clean_display_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_l("Enter a display name."), {"display_name": [_l("Enter a display name.")]})
    if len(name) > 80:
        raise Invalid(_l("Use at most 80 characters."), {"display_name": [_l("Use at most 80 characters.")]})
    return name


def _check_password(password: str, email: str, display_name: str, field: str = "password") -> None:
    problems = passwords.password_problems(password, email, display_name)
    if problems:
        raise Invalid(problems[0], {field: problems})


def register_user(
    session: Session,
    email: str,
    display_name: str,
    password: str,
    role: str = "participant",
    confirmed: bool = True,
) -> User:
    """Create an account. Nothing is written unless every field is acceptable.

    `confirmed`: accounts made by an organizer, the CLI or the demo seed are trusted; the
    public sign-up form passes False, and the owner confirms the address from a mailed link."""
    problems = Problems()  # every field's problem at once, not one per attempt
    email = problems.check(normalise_email, email)
    display_name = problems.check(_clean_display_name, display_name)
    if role not in ROLES:
        problems.add(Invalid(_l("Unknown role."), {"role": [_l("Choose participant, judge or organizer.")]}))
    problems.check(_check_password, password, email or "", display_name or "")
    if email and find_by_email(session, email):
        message = _l("An account with this e-mail address already exists. Log in instead.")
        problems.add(Invalid(message, {"email": [message]}))
    problems.raise_if_any()
    user = User(
        email=email,
        display_name=display_name,
        role=role,
        password_hash=passwords.hash_password(password),
        skills=[],
        languages=[],
        email_confirmed_at=utcnow() if confirmed else None,
    )
    session.add(user)
    try:
        session.commit()
    except sa.exc.IntegrityError as error:  # someone signed up with the same address a moment ago
        session.rollback()
        message = _l("An account with this e-mail address already exists. Log in instead.")
        raise Invalid(message, {"email": [message]}) from error
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """The account for these credentials; one message for every failure (no account probing)."""
    user = find_by_email(session, email or "")
    if not passwords.verify_password(user.password_hash if user else None, password or ""):
        raise Unauthorized(_l("That e-mail address and password do not match an account."))
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    session.commit()
    return user


@rolls_back
def update_profile(
    session: Session, user: User, *, display_name: str, skills, languages, bio: str, looking_for_team: bool
) -> User:
    display_name = _clean_display_name(display_name)
    skills = string_list(skills, "skills")
    languages = string_list(languages, "languages")
    bio = (bio or "").strip()
    if len(bio) > 500:
        raise Invalid(_l("Keep the bio under 500 characters."), {"bio": [_l("Keep the bio under 500 characters.")]})
    user.display_name = display_name
    user.skills = skills
    user.languages = languages
    user.bio = bio
    user.looking_for_team = bool(looking_for_team)
    session.commit()
    return user


def end_all_sessions(session: Session, user: User) -> None:
    """Sign the account out everywhere: every login cookie carries the old token."""
    user.session_token = new_session_token()
    session.commit()


def sign_out_everywhere(session: Session, user: User) -> None:
    """After a new password: every login cookie and every API token made before stops working
    (whoever knew the old password may have made them). The caller commits."""
    user.session_token = new_session_token()
    tokens.revoke_all_tokens(session, user)


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current or ""):
        message = _l("Your current password is not right.")
        raise WrongPassword(message, {"current_password": [message]})
    _check_password(new, user.email, user.display_name, field="new_password")
    user.password_hash = passwords.hash_password(new)
    sign_out_everywhere(session, user)
    session.commit()


def set_password(session: Session, user: User, new: str) -> None:
    """Administrative reset (CLI): no current password, same policy."""
    _check_password(new, user.email, user.display_name)
    user.password_hash = passwords.hash_password(new)
    sign_out_everywhere(session, user)
    session.commit()


def _organizer_count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User).where(User.role == "organizer"))


def change_role(session: Session, actor: User, user: User, role: str) -> User:
    require(actor, "users.change_role")
    if role not in ROLES:
        raise Invalid(_l("Unknown role."), {"role": [_l("Choose participant, judge or organizer.")]})
    if user.role == "organizer" and role != "organizer" and _organizer_count(session) <= 1:
        raise Conflict(_l("This is the last organizer; make someone else organizer first."))
    user.role = role
    session.commit()
    return user


def delete_account(session: Session, user: User, password: str) -> None:
    if not passwords.verify_password(user.password_hash, password or ""):
        message = _l("Your password is not right.")
        raise WrongPassword(message, {"password": [message]})
    if user.role == "organizer" and _organizer_count(session) <= 1:
        raise Conflict(_l("You are the last organizer; make someone else organizer first."))
    from hackkit.services.teams import forget_member  # teams build on accounts, not the reverse

    forget_member(session, user)
    session.delete(user)
    session.commit()


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such account."))
    return user


def list_users(session: Session, actor: User) -> list[User]:
    require(actor, "users.list")
    return list(session.scalars(sa.select(User).order_by(User.role.desc(), User.display_name)))

"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). argon2-cffi's
# default (64 MiB, 3 passes, 4 lanes) costs ~250 ms of CPU per log-in on a two-core
# server, which turns the log-in form into a denial-of-service lever on event morning.
# Hashes made with other parameters are upgraded at the next log-in (needs_rehash).
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

MIN_LENGTH = 10
MAX_LENGTH = 1024  # hashing megabytes of "password" is a cheap denial of service
# The few passwords every breach list starts with; length rules out most of the rest.
_COMMON = {
    "password123",
    "1234567890",
    "qwertyuiop",
    "password1234",
    "iloveyou123",
    "welcome1234",
    "azertyuiop",
    "wachtwoord1",
    "wachtwoord123",
    "0123456789",
}

# Verified against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, email: str = "", display_name: str = "") -> list:
    """Why this password is refused; an empty list means it is fine."""
    if len(password) < MIN_LENGTH:
        return [_l("Use at least %(n)d characters.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_l("Use at most %(n)d characters.", n=MAX_LENGTH)]
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        return [_l("This password is too easy to guess.")]
    for personal in (email.lower(), email.split("@")[0].lower(), display_name.lower()):
        if personal and len(personal) >= 4 and personal in lowered:
            return [_l("Do not use your e-mail address or name in your password.")]
    return []

"""argon2id password hashing (argon2-cffi defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
# A hash to verify against when the email is unknown, so both failures take the same time.
_DUMMY = _hasher.hash("casework-dummy-password")


def configure(*, time_cost: int | None, memory_kib: int | None) -> None:
    """Use other argon2id costs (the test suite lowers them; production keeps the defaults).

    Hashes made with other costs still verify, and are upgraded at the next sign-in.
    """
    global _hasher, _DUMMY
    if time_cost is None and memory_kib is None:
        return
    _hasher = PasswordHasher(
        time_cost=time_cost or _hasher.time_cost,
        memory_cost=memory_kib or _hasher.memory_cost,
    )
    _DUMMY = _hasher.hash("casework-dummy-password")

MIN_LENGTH = 12  # ASVS v5.0.0-6.2.1 (at least 8; 15 recommended); no composition rules
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    return None

"""Password hashing (argon2id) and the password policy."""

import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from luoshi.errors import Unprocessable
from luoshi.settings import Settings

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("luoshi-dummy-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _classes(password: str) -> int:
    groups = (
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    )
    return sum(groups)


def check_policy(settings: Settings, password: str, username: str, field: str = "password") -> None:
    """Raise 422 naming every rule the password breaks (等保三级: length and complexity)."""
    from luoshi.i18n import password_reason

    problems: list[tuple[str, dict[str, int]]] = []
    if len(password) < settings.password_min_length:
        problems.append(("too_short", {"n": settings.password_min_length}))
    if _classes(password) < settings.password_min_classes:
        problems.append(("classes", {"n": settings.password_min_classes}))
    if username and username.lower() in password.lower():
        problems.append(("contains_username", {}))
    if problems:
        reasons = {lang: "；".join(password_reason(r, lang, **p) for r, p in problems)
                   for lang in ("zh", "en")}
        raise Unprocessable(
            "auth.password_policy",
            params={"reason": reasons},
            errors=[{"field": field, "message": reasons, "type": "password_policy"}],  # type: ignore[dict-item]
        )

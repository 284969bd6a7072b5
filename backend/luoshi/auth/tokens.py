"""Access tokens: the one place python-jose is used. The algorithm is pinned by settings."""

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from jose import JWTError, jwt
from jose.exceptions import ExpiredSignatureError

from luoshi.errors import Unauthorized
from luoshi.memo import Built
from luoshi.settings import Settings

ACCESS = "access"
REQUIRED_CLAIMS = ("exp", "iat", "sub", "aud", "iss", "typ", "sid")


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: int
    expires_at: datetime
    exp: int  # expires_at as the token says it: seconds since the epoch


def issue_access_token(settings: Settings, user_id: int, session_id: int, now: datetime) -> str:
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "typ": ACCESS,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=settings.access_token_minutes)).timestamp()),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=settings.jwt_algorithm)


# Tokens whose signature and claims have been checked, by their text. Checking one again costs
# a tenth of a light request and gives the same answer but for the expiry, which is checked on
# every use. A token that fails is never kept. The session behind it is read on every request.
_VERIFIED: Built[AccessClaims] = Built(maxsize=4096)


def decode_access_token(settings: Settings, token: str) -> AccessClaims:
    """Refuse anything that is not exactly our kind of token; every failure is a 401."""
    claims = _VERIFIED.get(token, lambda: _verify(settings, token))
    if time.time() > claims.exp:  # as python-jose decides it, with no leeway
        raise Unauthorized("auth.token_expired")
    return claims


def _verify(settings: Settings, token: str) -> AccessClaims:
    if len(token.encode()) > settings.jwt_max_token_bytes:
        raise Unauthorized("auth.token_invalid")
    try:
        header = jwt.get_unverified_header(token)
    except JWTError as exc:
        raise Unauthorized("auth.token_invalid") from exc
    # Checked before verification so alg "none" and RS/HS confusion never reach the library.
    if header.get("alg") != settings.jwt_algorithm:
        raise Unauthorized("auth.token_invalid")
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require_" + c: True for c in ("exp", "iat", "sub", "aud", "iss")},
        )
    except ExpiredSignatureError as exc:
        raise Unauthorized("auth.token_expired") from exc
    except JWTError as exc:
        raise Unauthorized("auth.token_invalid") from exc
    if any(c not in claims for c in REQUIRED_CLAIMS) or claims["typ"] != ACCESS:
        raise Unauthorized("auth.token_invalid")
    try:
        return AccessClaims(
            user_id=int(claims["sub"]),
            session_id=int(claims["sid"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"])).astimezone(),
            exp=int(claims["exp"]),
        )
    except (TypeError, ValueError) as exc:
        raise Unauthorized("auth.token_invalid") from exc


def new_refresh_token() -> str:
    return secrets.token_urlsafe(48)

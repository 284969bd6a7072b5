"""Every way of forging or bending an access token is refused with 401."""

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt
from pydantic import ValidationError
from sqlalchemy import select

from luoshi.auth.models import AuthSession
from luoshi.settings import DEVELOPMENT_SECRET, Settings, get_settings
from luoshi.users.models import User
from tests.conftest import token_for

ME = "/api/v1/auth/me"


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture
def claims(org):
    """Valid claims for the supervisor's live session."""
    token = token_for(org, "supervisor")
    return jwt.get_unverified_claims(token)


def sign(claims: dict, key: str | bytes | None = None, algorithm: str = "HS256", headers=None) -> str:
    settings = get_settings()
    return jwt.encode(claims, key or settings.secret_key, algorithm=algorithm, headers=headers)


def me(client, token: str):
    return client.get(ME, headers={"Authorization": f"Bearer {token}"})


def test_a_valid_token_is_accepted(client, claims):
    assert me(client, sign(claims)).status_code == 200


def test_alg_none_is_refused(client, claims):
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    resp = me(client, token)
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.token_invalid"


def test_rs256_token_is_refused(client, claims):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    assert me(client, sign(claims, pem, "RS256")).status_code == 401


def test_hmac_signed_with_a_der_public_key_is_refused(client, claims):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64({"alg": "HS256", "typ": "JWT"})
    body = b64(claims)
    import hashlib
    import hmac

    sig = hmac.new(der, f"{header}.{body}".encode(), hashlib.sha256).digest()
    token = f"{header}.{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"
    assert me(client, token).status_code == 401


def test_other_hmac_algorithm_is_refused(client, claims):
    assert me(client, sign(claims, algorithm="HS512")).status_code == 401


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud", "iss", "typ", "sid"])
def test_a_missing_claim_is_refused(client, claims, missing):
    claims.pop(missing)
    assert me(client, sign(claims)).status_code == 401


@pytest.mark.parametrize(("claim", "value"), [
    ("aud", "some-other-api"), ("iss", "someone-else"), ("typ", "refresh"), ("sub", "not-a-number"),
])
def test_wrong_claim_values_are_refused(client, claims, claim, value):
    claims[claim] = value
    assert me(client, sign(claims)).status_code == 401


def test_expired_token_is_refused_with_its_own_code(client, claims):
    claims["iat"] = int(time.time()) - 3600
    claims["exp"] = int(time.time()) - 60
    resp = me(client, sign(claims))
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.token_expired"


def test_a_token_accepted_before_is_refused_once_it_expires(client, claims, monkeypatch):
    """A token already checked is kept, but its expiry is checked again on every request."""
    from types import SimpleNamespace

    from luoshi.auth import tokens

    claims["exp"] = int(time.time()) + 30
    token = sign(claims)
    assert me(client, token).status_code == 200
    assert me(client, token).status_code == 200
    later = time.time() + 31
    monkeypatch.setattr(tokens, "time", SimpleNamespace(time=lambda: later))
    resp = me(client, token)
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.token_expired"


def test_a_session_ended_after_its_token_was_accepted_refuses_it(client, claims, org):
    """Keeping a checked token does not keep its session: logging out ends it at once."""
    token = sign(claims)
    assert me(client, token).status_code == 200
    session = org.get(AuthSession, claims["sid"])
    session.revoked_at = session.created_at
    org.flush()
    resp = me(client, token)
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.session_ended"


def test_tampered_payload_is_refused(client, claims, org):
    token = sign(claims)
    header, _, signature = token.split(".")
    other_id = org.execute(select(User.id).where(User.username == "admin")).scalar_one()
    forged = f"{header}.{b64({**claims, 'sub': str(other_id)})}.{signature}"
    assert me(client, forged).status_code == 401


def test_wrong_secret_is_refused(client, claims):
    assert me(client, sign(claims, "x" * 40)).status_code == 401


def test_oversized_token_is_refused(client, claims):
    claims["padding"] = "A" * 5000
    assert me(client, sign(claims)).status_code == 401


def test_garbage_and_missing_tokens_are_refused(client, org):
    assert me(client, "not.a.jwt").status_code == 401
    assert client.get(ME).status_code == 401
    assert client.get(ME, headers={"Authorization": "Basic abc"}).status_code == 401


def test_revoked_session_token_is_refused(client, claims, org):
    auth = org.get(AuthSession, claims["sid"])
    from luoshi.db import utcnow

    auth.revoked_at = utcnow()
    org.commit()
    resp = me(client, sign(claims))
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.session_ended"


def test_short_signing_key_is_refused_at_startup():
    with pytest.raises(ValidationError, match="32 bytes"):
        Settings(secret_key="too-short-secret")


def test_default_secret_is_refused_in_production():
    with pytest.raises(ValidationError, match="outside development"):
        Settings(env="production", secret_key=DEVELOPMENT_SECRET)
    assert Settings(env="production", secret_key="p" * 48).env == "production"

"""Auth primitives: Argon2 password hashing, JWTs and the production secret check."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pydantic import ValidationError

from app.core import security
from app.core.config import DEFAULT_SECRET_KEY, Settings
from app.core.security import (
    JWT_ALGORITHM,
    TokenError,
    create_token,
    decode_token,
    hash_password,
    verify_and_update_password,
    verify_password,
)
from tests.auth_support import PASSWORD, TEST_SECRET_KEY

# The hasher the application ships with (the autouse fixture swaps in a cheap one).
PRODUCTION_HASHER = security.password_hash


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None)


def _claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims = {
        "sub": "1",
        "type": "access",
        "jti": "abc",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def _sign(claims: dict[str, Any], key: str = TEST_SECRET_KEY, **kwargs: Any) -> str:
    return jwt.encode(claims, key, algorithm=kwargs.pop("algorithm", "HS256"))


# Passwords


def test_hash_round_trip() -> None:
    hashed = hash_password(PASSWORD)
    assert verify_password(PASSWORD, hashed) is True


def test_wrong_password_is_rejected() -> None:
    hashed = hash_password(PASSWORD)
    assert verify_password("not the password", hashed) is False
    assert verify_password(PASSWORD.upper(), hashed) is False


def test_hash_is_argon2id_and_salted() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert first != second
    assert PASSWORD not in first


def test_production_hasher_uses_argon2id_with_strong_parameters() -> None:
    (hasher,) = PRODUCTION_HASHER.hashers
    assert isinstance(hasher, Argon2Hasher)
    assert PRODUCTION_HASHER.hash(PASSWORD).startswith(
        "$argon2id$v=19$m=65536,t=3,p=4$"
    )


def test_unknown_user_still_verifies_a_dummy_hash(
    monkeypatch: pytest.MonkeyPatch, fast_password_hashing: PasswordHash
) -> None:
    calls: list[str] = []
    original = fast_password_hashing.verify

    def spy(password: str | bytes, hashed: str | bytes) -> bool:
        calls.append(str(hashed))
        return original(password, hashed)

    monkeypatch.setattr(fast_password_hashing, "verify", spy)

    assert verify_password(PASSWORD, None) is False
    (dummy,) = calls
    assert dummy.startswith("$argon2id$v=19$m=8,t=1,p=1$")  # same cost as real hashes


def test_outdated_hash_is_verified_and_upgraded() -> None:
    weaker = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=8, parallelism=1),))
    old_hash = weaker.hash(PASSWORD)

    valid, new_hash = verify_and_update_password(PASSWORD, old_hash)

    assert valid is True
    assert new_hash is not None
    assert "t=1" in new_hash
    assert verify_password(PASSWORD, new_hash)


# Tokens


def test_access_token_round_trip(settings: Settings) -> None:
    issued = create_token("42", "access", settings)
    claims = decode_token(issued.token, settings, expected_type="access")
    assert claims.subject == "42"
    assert claims.token_type == "access"
    assert claims.jti == issued.jti
    assert claims.expires_at - claims.issued_at == timedelta(minutes=15)
    assert jwt.get_unverified_header(issued.token)["alg"] == JWT_ALGORITHM


def test_refresh_token_lifetime_comes_from_settings() -> None:
    settings = Settings(_env_file=None, refresh_token_expire_days=3)
    issued = create_token("42", "refresh", settings)
    claims = decode_token(issued.token, settings, expected_type="refresh")
    assert claims.expires_at - claims.issued_at == timedelta(days=3)


def test_every_token_has_a_unique_jti(settings: Settings) -> None:
    assert len({create_token("1", "access", settings).jti for _ in range(20)}) == 20


def test_expired_token_is_rejected(settings: Settings) -> None:
    past = datetime.now(UTC) - timedelta(minutes=16)
    token = create_token("1", "access", settings, now=past).token
    with pytest.raises(TokenError, match="expired"):
        decode_token(token, settings, expected_type="access")


def test_small_clock_skew_is_tolerated(settings: Settings) -> None:
    token = _sign(_claims(settings, exp=datetime.now(UTC) - timedelta(seconds=5)))
    assert decode_token(token, settings, expected_type="access").subject == "1"


def test_tampered_signature_is_rejected(settings: Settings) -> None:
    token = create_token("1", "access", settings).token
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    with pytest.raises(TokenError):
        decode_token(forged, settings, expected_type="access")


def test_tampered_payload_is_rejected(settings: Settings) -> None:
    original = create_token("1", "access", settings).token
    other = create_token("2", "access", settings).token
    header, _, signature = original.split(".")
    forged = f"{header}.{other.split('.')[1]}.{signature}"
    with pytest.raises(TokenError, match="Signature verification failed"):
        decode_token(forged, settings, expected_type="access")


def test_token_signed_with_another_secret_is_rejected(settings: Settings) -> None:
    token = _sign(_claims(settings), key="another-secret-key-" + "x" * 64)
    with pytest.raises(TokenError, match="Signature verification failed"):
        decode_token(token, settings, expected_type="access")


@pytest.mark.parametrize("algorithm", ["HS512", "HS384"])
def test_other_hmac_algorithms_are_rejected(settings: Settings, algorithm: str) -> None:
    token = _sign(_claims(settings), algorithm=algorithm)
    with pytest.raises(TokenError, match="alg value is not allowed"):
        decode_token(token, settings, expected_type="access")


def test_unsigned_none_algorithm_is_rejected(settings: Settings) -> None:
    token = jwt.encode(_claims(settings), key="", algorithm="none")
    assert token.endswith(".")  # no signature at all
    with pytest.raises(TokenError):
        decode_token(token, settings, expected_type="access")


@pytest.mark.parametrize("claim", ["sub", "exp", "iat", "jti", "type"])
def test_missing_claims_are_rejected(settings: Settings, claim: str) -> None:
    claims = _claims(settings)
    del claims[claim]
    with pytest.raises(TokenError, match=claim):
        decode_token(_sign(claims), settings, expected_type="access")


@pytest.mark.parametrize(
    ("issued", "expected"), [("refresh", "access"), ("access", "refresh")]
)
def test_wrong_token_type_is_rejected(
    settings: Settings, issued: security.TokenType, expected: security.TokenType
) -> None:
    token = create_token("1", issued, settings).token
    with pytest.raises(TokenError, match="token type"):
        decode_token(token, settings, expected_type=expected)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "Bearer x.y.z"])
def test_malformed_tokens_are_rejected(settings: Settings, token: str) -> None:
    with pytest.raises(TokenError):
        decode_token(token, settings, expected_type="access")


# Production secret check


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ValidationError, match="SECRET_KEY must be") as excinfo:
        Settings(_env_file=None, app_env="production")
    assert "secrets.token_urlsafe(48)" in str(excinfo.value)


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(_env_file=None, app_env="production", secret_key="too-short")


def test_production_accepts_a_strong_secret() -> None:
    settings = Settings(_env_file=None, app_env="production", secret_key="s" * 48)
    assert settings.secret_key.get_secret_value() == "s" * 48


def test_development_allows_the_default_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SECRET_KEY")
    settings = Settings(_env_file=None)
    assert settings.secret_key.get_secret_value() == DEFAULT_SECRET_KEY
    assert DEFAULT_SECRET_KEY not in repr(settings)

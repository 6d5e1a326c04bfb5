"""Signed, expiring, single-use links for email confirmation, password reset and a change of the
email address.

Nothing is stored: a confirmation link is spent once the account is confirmed, a reset link once
the password hash it was made for has changed, an address-change link once the address or the
password has changed (so a new password also cancels a change someone else asked for).
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM_SALT = "cop.accounts.confirm"
RESET_SALT = "cop.accounts.reset"
EMAIL_CHANGE_SALT = "cop.accounts.email-change"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def make_confirm_token(user) -> str:
    return _serializer(CONFIRM_SALT).dumps({"uid": user.id, "email": user.email})


def read_confirm_token(token: str) -> dict | None:
    try:
        return _serializer(CONFIRM_SALT).loads(token, max_age=current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None


def make_reset_token(user) -> str:
    return _serializer(RESET_SALT).dumps({"uid": user.id, "fp": _fingerprint(user.password_hash)})


def read_reset_token(token: str) -> dict | None:
    try:
        return _serializer(RESET_SALT).loads(token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except BadSignature:
        return None


def reset_token_matches(data: dict, user) -> bool:
    return data.get("uid") == user.id and data.get("fp") == _fingerprint(user.password_hash)


def _account_fingerprint(user) -> str:
    return _fingerprint(f"{user.email}\n{user.password_hash}")


def make_email_change_token(user, new_email: str) -> str:
    """A link for ``new_email`` that moves ``user``'s account to it; the new address is inside."""
    return _serializer(EMAIL_CHANGE_SALT).dumps(
        {"uid": user.id, "new": new_email, "fp": _account_fingerprint(user)}
    )


def read_email_change_token(token: str) -> dict | None:
    try:
        data = _serializer(EMAIL_CHANGE_SALT).loads(
            token, max_age=current_app.config["CONFIRM_TOKEN_MAX_AGE"]
        )
    except BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("uid"), int)
        or not isinstance(data.get("new"), str)
    ):
        return None
    return data


def email_change_token_matches(data: dict, user) -> bool:
    return data.get("uid") == user.id and data.get("fp") == _account_fingerprint(user)

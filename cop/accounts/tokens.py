"""Signed, expiring, single-use links for email confirmation and password reset.

Nothing is stored: a confirmation link is spent once the account is confirmed, a reset link once
the password hash it was made for has changed.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM_SALT = "cop.accounts.confirm"
RESET_SALT = "cop.accounts.reset"


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

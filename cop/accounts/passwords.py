"""Password hashing (argon2id) and the password policy: length, not common, not your own name."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 128

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

# Common Dutch choices that the English-language list does not hold.
_DUTCH_COMMON = {
    "wachtwoord",
    "wachtwoord1",
    "wachtwoord12",
    "wachtwoord123",
    "wachtwoord1234",
    "welkom1234",
    "welkom12345",
    "welkomwelkom",
    "geheimgeheim",
    "wijkengids",
    "wijkengids1",
    "wijkaanpak",
    "wijkaanpak1",
    "gemeente123",
    "nederland1",
    "nederland12",
    "amsterdam1",
    "rotterdam1",
    "feyenoord1",
    "ajaxajax12",
    "zomer2024!",
    "winter2024!",
    "qwertyuiop1",
}


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    listed = (word for word in FREQUENCY_LISTS["passwords"] if len(word) >= MIN_LENGTH - 2)
    return frozenset(listed) | _DUTCH_COMMON


def is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in _common_passwords():
        return True
    # "aaaaaaaaaa" or "1234512345": too few distinct characters to be worth anything
    return len(set(lowered)) < 4


def contains_personal(password: str, *personal: str) -> bool:
    lowered = password.lower()
    for value in personal:
        value = (value or "").lower().split("@")[0].strip()
        if len(value) >= 4 and value in lowered and len(lowered) - len(value) < 6:
            return True
    return False


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True

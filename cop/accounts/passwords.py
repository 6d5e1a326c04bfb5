"""Password hashing (argon2id) and the one password policy: length, not common, not your own name.

``problem()`` is the policy; the registration, reset and change forms and the ``user create``
command all ask it, so a rule is written once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 128
# What a password must keep once the member's own name and address are taken out of it.
MIN_OWN_PART = 6

LENGTH_MESSAGE = _l("Use between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH)
COMMON_MESSAGE = _l("This password is too common. Choose one that is harder to guess.")
PERSONAL_MESSAGE = _l("Do not build your password from your name or email address.")

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


def _letters_and_digits(text: str) -> str:
    """'Sanne de Vries' -> 'sannedevries'; accents folded, everything else dropped."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", folded)


def _personal_parts(values) -> list[str]:
    """The whole name, the address's name and its domain (without the top level: 'woonstad' of
    woonstad.nl), and each of their words of 3+ letters, longest first, in letters and digits."""
    parts = set()
    for value in values:
        local, _at, domain = (value or "").partition("@")
        for text in (local, *domain.split(".")[:-1]):
            parts.add(_letters_and_digits(text))
            parts.update(_letters_and_digits(word) for word in re.split(r"[\s._+\-]+", text))
    return sorted((part for part in parts if len(part) >= 3), key=len, reverse=True)


def contains_personal(password: str, *personal: str) -> bool:
    """True when the password is mostly the member's own name or address: once those are taken
    out, fewer than MIN_OWN_PART letters or digits of its own are left ('sannedevries1')."""
    rest = _letters_and_digits(password)
    found = False
    for part in _personal_parts(personal):
        if part in rest:
            rest = rest.replace(part, "")
            found = True
    return found and len(rest) < MIN_OWN_PART


def problem(password: str, *personal: str):
    """Why ``password`` is not acceptable for a member with these name and address, or None."""
    if not MIN_LENGTH <= len(password or "") <= MAX_LENGTH:
        return LENGTH_MESSAGE
    if is_common(password):
        return COMMON_MESSAGE
    if contains_personal(password, *personal):
        return PERSONAL_MESSAGE
    return None


def _hasher() -> PasswordHasher:
    config = current_app.config
    key = (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])
    return _hasher_for(*key)


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@lru_cache(maxsize=4)
def _dummy_hash_for(hasher: PasswordHasher) -> str:
    return hasher.hash("no account has this password")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``. Without a hash (no such account) a dummy hash is checked instead, so that
    the answer takes as long as for a real account and does not tell which addresses exist."""
    hasher = _hasher()
    try:
        if password_hash is None:
            hasher.verify(_dummy_hash_for(hasher), password)
            return False
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True

"""Test data builders. They go through the services, so tests see what users would create."""

from __future__ import annotations

import functools
import itertools
from unittest import mock

from flask import current_app, has_request_context

from cop.accounts import passwords, services
from cop.accounts.models import Role, User

PASSWORD = "lange zin over de wijk"
_numbers = itertools.count(1)
_hash_once = functools.lru_cache(maxsize=32)(passwords.hash_password)


def make_user(role: str = "member", confirmed: bool = True, **fields) -> User:
    number = next(_numbers)
    values = {
        "email": f"lid{number}@example.nl",
        "password": PASSWORD,
        "display_name": f"Lid {number}",
        "organisation": "Gemeente Utrecht",
        "job_title": "Wijkregisseur",
        "municipality": "Utrecht",
    }
    values.update(fields)
    # argon2id is slow by design; tests that make many users hash each password only once
    with mock.patch.object(passwords, "hash_password", _hash_once):
        if has_request_context():
            return services.register_user(role=Role(role), confirmed=confirmed, **values)
        with current_app.test_request_context():  # the confirmation mail links to this site
            return services.register_user(role=Role(role), confirmed=confirmed, **values)

"""Test data builders. They go through the services, so tests see what users would create."""

from __future__ import annotations

import itertools

from cop.accounts import services
from cop.accounts.models import Role, User

PASSWORD = "lange zin over de wijk"
_numbers = itertools.count(1)


def make_user(role: str = "member", confirmed: bool = True, **fields) -> User:
    """A member (confirmed unless asked otherwise); passwords hash with the testing configuration's
    cheap argon2 parameters."""
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
    return services.create_account(role=Role(role), confirmed=confirmed, **values)

"""Meeting times: entered and shown in Europe/Amsterdam, stored in UTC, daylight saving handled."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class NonexistentTime(ValueError):
    """A local time that the clocks skip (the hour the clocks go forward in spring)."""


def to_utc(day: date, at: time) -> datetime:
    """The UTC moment of ``day`` at ``at`` in Amsterdam. In the autumn hour that happens twice the
    first is meant; a time that does not exist (spring) raises NonexistentTime."""
    local = datetime.combine(day, at).replace(tzinfo=AMSTERDAM, fold=0)
    moment = local.astimezone(UTC)
    if moment.astimezone(AMSTERDAM).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(f"{day} {at} does not exist in Europe/Amsterdam")
    return moment


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)

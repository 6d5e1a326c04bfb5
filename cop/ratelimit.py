"""Counting actions against limits in the rate limiter's store (memory, or Redis in production),
for limits a decorator cannot express: per member, or counting only failures.

The limits are settings like ``"10 per minute;100 per hour"``; a key is a tuple of strings.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse_many

from cop.extensions import limiter


def limits(setting: str):
    return parse_many(current_app.config[setting])


def retry_after(setting: str, *key) -> int | None:
    """Seconds until every limit of ``setting`` allows another action for ``key``; None when none
    is used up (or rate limiting is off)."""
    if not limiter.enabled:
        return None
    waits = []
    for item in limits(setting):
        if not limiter.limiter.test(item, *key):
            reset_at = limiter.limiter.get_window_stats(item, *key).reset_time
            waits.append(max(1, math.ceil(reset_at - time.time())))
    return max(waits) if waits else None


def used(setting: str, *key) -> bool:
    """Whether ``key`` has counted anything under ``setting`` in the current windows."""
    if not limiter.enabled:
        return False
    return any(
        limiter.limiter.get_window_stats(item, *key).remaining < item.amount for item in limits(setting)
    )


def count(setting: str, *key) -> None:
    if limiter.enabled:
        for item in limits(setting):
            limiter.limiter.hit(item, *key)


def take(setting: str, *key) -> int | None:
    """Count one action for ``key`` if the limits allow it and return None; else the seconds to wait."""
    wait = retry_after(setting, *key)
    if wait is None:
        count(setting, *key)
    return wait

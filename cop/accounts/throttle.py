"""Failed-password throttling that slows guessing without letting anyone lock a member out.

Following OWASP ASVS (V2.2.1, soft lockouts), failures are counted twice:

- per account *and client address*: a client that keeps guessing one account's password is stopped
  (``RATELIMIT_LOGIN_ACCOUNT``);
- per account over all clients (``RATELIMIT_LOGIN_ACCOUNT_ALL``): when many addresses guess at
  one account, every client that has itself failed for that account is stopped too.

A client that has not failed for the account is never stopped by either, so the member who types
the right password from their own device gets in while someone else is guessing. The per-address
limit on every login attempt (``RATELIMIT_LOGIN``, in the view) still applies to everyone.

The counters live in the rate limiter's storage (memory in development, Redis in production, so all
workers and hosts share them).
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from cop.extensions import limiter
from cop.security import client_address, log_event


def _limits(setting: str):
    return parse_many(current_app.config[setting])


def _retry_after(items, *key) -> int | None:
    """Seconds until every one of ``items`` allows another failure for ``key``; None if none is used up."""
    waits = []
    for item in items:
        if not limiter.limiter.test(item, *key):
            reset_at = limiter.limiter.get_window_stats(item, *key).reset_time
            waits.append(max(1, math.ceil(reset_at - time.time())))
    return max(waits) if waits else None


def _has_failed(items, *key) -> bool:
    return any(limiter.limiter.get_window_stats(item, *key).remaining < item.amount for item in items)


class FailureThrottle:
    """Counts failed attempts of ``kind`` (login, the current password on the change form)."""

    def __init__(self, kind: str):
        self.kind = kind

    def _keys(self, account: str):
        return (f"{self.kind}-client", account, client_address()), (f"{self.kind}-account", account)

    def check(self, account: str) -> None:
        """Raise 429 (with Retry-After) when this client may not try ``account`` now."""
        if not limiter.enabled:
            return
        client_key, account_key = self._keys(account)
        client_items = _limits("RATELIMIT_LOGIN_ACCOUNT")
        wait = _retry_after(client_items, *client_key)
        if wait is None and _has_failed(client_items, *client_key):
            wait = _retry_after(_limits("RATELIMIT_LOGIN_ACCOUNT_ALL"), *account_key)
        if wait is not None:
            log_event("rate_limited", kind=self.kind)
            raise TooManyRequests(retry_after=wait)

    def failed(self, account: str) -> None:
        if not limiter.enabled:
            return
        client_key, account_key = self._keys(account)
        for item in _limits("RATELIMIT_LOGIN_ACCOUNT"):
            limiter.limiter.hit(item, *client_key)
        for item in _limits("RATELIMIT_LOGIN_ACCOUNT_ALL"):
            limiter.limiter.hit(item, *account_key)


login_throttle = FailureThrottle("login")
password_change_throttle = FailureThrottle("current-password")

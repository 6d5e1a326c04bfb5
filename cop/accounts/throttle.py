"""Failed-password throttling that slows guessing without letting anyone lock a member out.

Following OWASP ASVS (V2.2.1, soft lockouts), failures are counted twice:

- per account *and client address*: a client that keeps guessing one account's password is stopped
  (``RATELIMIT_LOGIN_ACCOUNT``);
- per account over all clients (``RATELIMIT_LOGIN_ACCOUNT_ALL``): when many addresses guess at
  one account, every client that has itself failed for that account is stopped too.

A client that has not failed for the account is never stopped by either, so the member who types
the right password from their own device gets in while someone else is guessing. The per-address
limit on every login attempt (``RATELIMIT_LOGIN``, in the view) still applies to everyone.
"""

from __future__ import annotations

from werkzeug.exceptions import TooManyRequests

from cop import ratelimit
from cop.security import client_address, log_event

PER_CLIENT = "RATELIMIT_LOGIN_ACCOUNT"
PER_ACCOUNT = "RATELIMIT_LOGIN_ACCOUNT_ALL"


class FailureThrottle:
    """Counts failed attempts of ``kind`` (login, the current password on the change form)."""

    def __init__(self, kind: str):
        self.kind = kind

    def _keys(self, account: str):
        return (f"{self.kind}-client", account, client_address()), (f"{self.kind}-account", account)

    def check(self, account: str) -> None:
        """Raise 429 (with Retry-After) when this client may not try ``account`` now."""
        client_key, account_key = self._keys(account)
        wait = ratelimit.retry_after(PER_CLIENT, *client_key)
        if wait is None and ratelimit.used(PER_CLIENT, *client_key):
            wait = ratelimit.retry_after(PER_ACCOUNT, *account_key)
        if wait is not None:
            log_event("rate_limited", kind=self.kind)
            raise TooManyRequests(retry_after=wait)

    def failed(self, account: str) -> None:
        client_key, account_key = self._keys(account)
        ratelimit.count(PER_CLIENT, *client_key)
        ratelimit.count(PER_ACCOUNT, *account_key)


login_throttle = FailureThrottle("login")
password_change_throttle = FailureThrottle("current-password")


def take_or_429(setting: str, *key: str) -> None:
    """Count one action for ``key`` against ``setting``, or raise 429 (with Retry-After) when its
    limits are used up. For limits that count only actions that passed validation (a registration,
    an address change), which a decorator cannot express: it counts every request."""
    wait = ratelimit.take(setting, *key)
    if wait is not None:
        raise TooManyRequests(retry_after=wait)

"""Gunicorn settings for production: ``gunicorn -c gunicorn.conf.py`` (the app is named below).

Each value can be changed from the environment, so one file serves every host:

    GUNICORN_BIND         address(es) to listen on, comma-separated        127.0.0.1:8000
    WEB_CONCURRENCY       worker processes                                 2 × cores + 1, at most 8
    FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-Proto gunicorn trusts   127.0.0.1,::1
    GUNICORN_TIMEOUT      seconds a worker may be silent before it is killed  30

Decisions, so nobody has to rediscover them:

- Sync workers. A request holds one worker from start to end, so a worker needs at most one
  database connection at a time: PostgreSQL sees about hosts × workers connections (plus cron).
- ``preload_app``: the app is built once, in the master, before the workers fork. Building it takes
  seconds (imports, Babel, the URL map); preloaded, a worker that ``max_requests`` retires is
  replaced at once, the workers share those pages of memory, and a broken configuration (no
  SECRET_KEY) stops the master with its message instead of workers failing in a loop. The price: a
  SQLAlchemy engine must never be shared across fork, so ``post_fork`` discards any connection the
  master's engines hold (``dispose(close=False)``, SQLAlchemy's recipe for forking), and new code
  needs a restart of the master (``systemctl restart``), not ``kill -HUP``.
- ``max_requests`` with jitter: each worker is replaced after about a thousand requests, one at a
  time, which bounds slow memory growth (caches, fragmentation) without any worker noticing.
- ``when_ready``: once the master has loaded the app, and before the first worker forks, everything
  built so far (some hundred thousand objects: the app, its metadata, templates, catalogues) goes
  into the garbage collector's permanent generation (``gc.freeze()``, as the ``gc`` documentation
  advises before fork). Otherwise every full collection in a worker walks all of it again: a pause
  of about 150 ms every few dozen requests, which showed as the p95 of busy pages. The workers also
  keep those pages shared with the master instead of copying them when a collection touches them.
- No control socket: gunicorn 25.1+ otherwise opens ``$XDG_RUNTIME_DIR/gunicorn.ctl`` or
  ``~/.gunicorn/gunicorn.ctl`` for ``gunicornc``; the service user's home may be read-only and
  nothing here uses it (``--no-control-socket`` on the command line does the same).
- The access log leaves out query strings and the referrer, and masks the secret part of links
  that carry one (confirmation, password reset, unsubscribe, calendar feed, circle invitation):
  whoever reads the logs must not be able to use them. ``tests/platform/test_gunicorn_conf.py``
  checks that every route with a ``<token>`` is masked.
"""

from __future__ import annotations

import gc
import os
import re

from gunicorn.glogging import Logger


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, cpusets)
    except AttributeError:
        return os.cpu_count() or 1


def default_workers(cores: int) -> int:
    """2 × cores + 1, the usual rule for sync workers, at most 8: beyond that a host spends its
    memory on workers that wait for PostgreSQL; add hosts instead."""
    return min(2 * cores + 1, 8)


wsgi_app = "cop:create_app()"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers(_cores()))
worker_class = "sync"

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # after SIGTERM, running requests get this long to finish
keepalive = 5  # behind a proxy that keeps connections open (sync workers ignore it)
max_requests = 1000
max_requests_jitter = 100

preload_app = True
control_socket_disable = True

# Proxies allowed to say the request came over HTTPS (X-Forwarded-Proto); the app itself believes
# X-Forwarded-For from TRUST_PROXY_HOPS proxies (ProxyFix), so set both for the same proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = "info"
# Client (after ProxyFix), time, method, path without query string, status, bytes, milliseconds,
# user agent: no referrer and no query string, which may carry search words or other people's links.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The path segment after these prefixes is a secret (a signed token); it is masked in the log.
SECRET_PATHS = re.compile(
    r"^(/account/bevestigen/|/account/wachtwoord-herstellen/|/account/e-mailadres/bevestigen/"
    r"|/meldingen/afmelden/|/agenda/|/leerkring/uitnodiging/)[^/]+?(\.ics)?(?=/|$)"
)


def mask_secrets(path: str) -> str:
    """``/account/bevestigen/eyJ…`` → ``/account/bevestigen/[token]``."""
    return SECRET_PATHS.sub(lambda match: f"{match.group(1)}[token]{match.group(2) or ''}", path or "")


class AccessLogger(Logger):
    """Gunicorn's logger, with the secret part of a path masked and no query string in any atom."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = mask_secrets(environ.get("PATH_INFO", ""))
        atoms.update(U=path, q="-", f="-", r=f"{atoms['m']} {path} {atoms['H']}")
        return atoms


logger_class = AccessLogger


def when_ready(server) -> None:
    """In the master, with the app loaded and no worker forked yet: what exists now lives as long as
    the process, so the workers' full collections need not walk it (see the docstring above)."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker) -> None:
    """In each new worker: drop the database connections the master's engines may hold, so that no
    two processes ever use one connection (SQLAlchemy: "Using Connection Pools with Multiprocessing")."""
    if not server.cfg.preload_app:
        return
    from cop.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)

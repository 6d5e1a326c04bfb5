"""The benchmark's floor: a bare WSGI app that answers every request with one fixed HTML page.

    gunicorn --workers 2 --no-control-socket tools.floor_app:app   (FLOOR_BYTES=... sets the size)

tools/bench.py serves it with the same gunicorn settings as the platform, with a body as large as
the thread page it measures, so that what the stack itself costs (gunicorn, the socket, the load
generator on the same two cores) is known and every page can be read as a share of it.
"""

from __future__ import annotations

import os


def page(size: int) -> bytes:
    """An HTML page of exactly ``size`` bytes (at least its frame's)."""
    head = b"<!doctype html><html lang=nl><title>floor</title><p>"
    tail = b"</p></html>\n"
    filler = max(0, size - len(head) - len(tail))
    return head + (b"x" * 79 + b"\n") * (filler // 80) + b"x" * (filler % 80) + tail


BODY = page(int(os.environ.get("FLOOR_BYTES", "30000")))
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]

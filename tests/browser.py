"""Real-browser support: Debian's Chromium through Playwright, a live server, axe-core.

Browser tests skip with a clear message where no Chromium is found, unless COP_REQUIRE_BROWSER
is set (CI sets it), in which case a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def require_chromium() -> None:
    if chromium_available():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    if os.environ.get("COP_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, app, port: int = 0):
        self.app = app
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()


class AxeChecker:
    """Runs axe-core (WCAG 2.1 A and AA) on a page; remembers every page it checked."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page) -> None:
        results = self.axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, (
            f"axe-core found violations on {page.url}:\n{results.generate_report()}"
        )
        self.checked.append(page.url)  # only pages that passed count


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

"""The HTML the server sends is valid (the Nu HTML Checker, vnu.jar, errors only).

Needs Java and `npm install` (vnu-jar); skips with a message where either is missing, unless
COP_REQUIRE_BROWSER is set (CI), in which case that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cop.extensions import db
from tests.routing import all_routes, build_world

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_checker() -> str:
    java = shutil.which("java")
    if java and VNU.exists():
        return java
    message = "the Nu HTML Checker needs Java and `npm install` (node_modules/vnu-jar)"
    if os.environ.get("COP_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def validate(java: str, pages: dict[str, str], tmp_path: Path) -> list[str]:
    files = []
    for number, (path, html) in enumerate(pages.items()):
        file = tmp_path / f"page{number}.html"
        file.write_text(html, encoding="utf-8")
        files.append((file, path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *[str(f) for f, _ in files]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    names = {f.name: path for f, path in files}
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{names.get(Path(m.get('url', '')).name, m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def test_every_page_is_valid_html(app, tmp_path):
    """Every page of every declared route (tests/<capability>/routes.py) that answers 200, as each
    role that may open it, and a form with errors."""
    java = require_checker()
    world = build_world(app)
    pages = {}
    for declared in all_routes():
        if declared.method != "GET" or declared.path.startswith("/static") or declared.path == "/healthz":
            continue
        for role in ("anonymous", "member", "admin", "facilitator"):
            if declared.expect[role] == "200":
                response = world.client(role).get(declared.url(world))
                if response.mimetype == "text/html":
                    pages[f"{role} {declared.path}"] = response.get_data(as_text=True)
    pages["registration with errors"] = (
        world.client("anonymous").post("/account/registreren", data={"email": "x"}).get_data(as_text=True)
    )
    db.session.remove()
    errors = validate(java, pages, tmp_path)
    assert not errors, "\n".join(errors)
    assert len(pages) >= 40

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
from tests.factories import make_user
from tests.guide.factories import LESSON_REF, import_shipped

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


def test_main_pages_are_valid_html(app, tmp_path):
    java = require_checker()
    import_shipped()
    member = make_user(display_name="Lid Lezer")
    admin = make_user("admin")
    from tests.conftest import login

    anonymous, as_admin = app.test_client(), app.test_client()
    login(as_admin, admin.email)
    pages = {}
    for path in (
        "/",
        "/account/registreren",
        "/account/inloggen",
        "/account/wachtwoord-vergeten",
        "/privacy",
        "/toegankelijkheid",
        "/bestaat-niet",
        "/gids/",
        "/gids/1/",
        f"/les/{LESSON_REF}",
        f"/les/{LESSON_REF}/geschiedenis",
        "/thema/wijkaanpak-algemeen",
        "/edities/",
        "/editie/2/",
        "/editie/2/nieuw",
        f"/leden/{member.id}",
    ):
        pages[path] = anonymous.get(path).get_data(as_text=True)
    for path in (
        "/account/profiel",
        "/account/wachtwoord",
        "/beheer/leden",
        f"/beheer/leden/{member.id}",
        f"/les/{LESSON_REF}/bewerken",
        "/gids/les/nieuw",
        "/gids/1/bewerken",
        "/edities/nieuw",
    ):
        pages["admin " + path] = as_admin.get(path).get_data(as_text=True)
    pages["registration with errors"] = anonymous.post("/account/registreren", data={"email": "x"}).get_data(
        as_text=True
    )
    db.session.remove()
    errors = validate(java, pages, tmp_path)
    assert not errors, "\n".join(errors)

"""Hostile input on every route, on SQLite and PostgreSQL alike: a NUL byte, CR/LF and other control
characters, a lone surrogate in percent-encoding and a 10,000-character value, in every path
segment, every query parameter a view reads and every field of every form the pages show.

Nothing may answer 500. A NUL is refused where it arrives: a path with one is no page (404), a
query string with one no request (400), a form field with one gets the Dutch message at the field
and nothing is stored; no table ends up holding a NUL anywhere.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import String, Text, func, or_, select

from cop.extensions import db
from tests.html_forms import post_forms
from tests.routing import all_routes, build_world

NUL_MESSAGE = "Dit veld bevat een teken dat niet is toegestaan"
# Each hostile value as it goes over the wire, percent-encoded.
HOSTILE = {
    "nul": quote("a\x00b"),
    "crlf": quote("regel een\r\nregel twee"),
    "controls": quote("a\x01\x07\x1b\x7fb\x0c"),
    "lone surrogate": "%ED%A0%80x",  # UTF-8 of U+D800, which no valid text holds
    "10,000 characters": "x" * 10_000,
}
# Fields a page posts that no form validates: the language switch's way back (checked as a path).
UNVALIDATED = {"next"}
# Forms that are buttons (hidden fields and at most a checkbox beside the button: follow, best
# answer, "I have read it", the language switch in the footer) have no field to show a message at:
# a value that is not theirs gets the Dutch 400 page.


def _is_button_form(form) -> bool:
    kinds = set(form.kinds.values())
    return kinds <= {"hidden", "checkbox"} or (form.action == "/taal" and kinds <= {"hidden", "select"})


@pytest.fixture
def world(app):
    return build_world(app)


def _first_allowed(declared, roles=("anonymous", "member", "moderator", "admin", "circle_member")):
    return next((role for role in roles if declared.expect[role] == "200"), None)


def test_hostile_path_segments_are_not_found(world):
    wrong = []
    for declared in all_routes():
        if declared.method != "GET" or "{" not in declared.path or declared.path.startswith("/static"):
            continue
        role = _first_allowed(declared) or "admin"
        for key in [part.split("}")[0] for part in declared.path.split("{")[1:]]:
            for name, value in HOSTILE.items():
                url = declared.path.format(**{**world.names, key: value})
                status = world.client(role).get(url).status_code
                if (status != 404) if name == "nul" else status >= 500:
                    wrong.append(f"GET {url[:80]} ({name} in {{{key}}}) as {role}: {status}")
    assert not wrong, "\n".join(wrong)


def test_hostile_query_parameters_are_refused_or_ignored(world):
    wrong = []
    for declared in all_routes():
        if declared.method != "GET" or not declared.query:
            continue
        role = _first_allowed(declared) or "admin"
        for parameter in declared.query:
            for name, value in HOSTILE.items():
                url = f"{declared.url(world)}?{parameter}={value}"
                status = world.client(role).get(url).status_code
                if (status != 400) if name == "nul" else status >= 500:
                    wrong.append(f"GET {declared.url(world)}?{parameter}=<{name}> as {role}: {status}")
    assert not wrong, "\n".join(wrong)


FORM_ROLES = ("anonymous", "unconfirmed", "member", "admin", "facilitator")


def _forms_on_pages(world, role: str, seen: set):
    """(page, form) for every POST form on every page ``role`` may open that no role before showed."""
    found = []
    for declared in all_routes():
        if declared.method != "GET" or declared.path.startswith("/static") or declared.expect[role] != "200":
            continue
        url = declared.url(world)
        for form in post_forms(world.client(role).get(url).get_data(as_text=True), url):
            names = tuple(sorted(form.fields))
            if (form.action, names) not in seen:
                seen.add((form.action, names))
                found.append((url, form))
    return found


def _body(fields: dict[str, str], field: str, raw_value: str) -> str:
    pairs = [urlencode({name: value}) for name, value in fields.items() if name != field]
    return "&".join([*pairs, f"{quote(field)}={raw_value}"])


def test_hostile_values_in_every_form_field(app):
    """Each role in a world of its own, so that what one role's posts change (a member removed, a
    circle archived) does not hide forms from the next."""
    from tests.conftest import empty_all_tables

    seen: set = set()
    wrong, posts, forms = [], 0, 0
    for role in FORM_ROLES:
        world = build_world(app)
        found = _forms_on_pages(world, role, seen)
        forms += len(found)
        for page, form in found:
            example = next(
                (d.example for d in all_routes() if d.method == "POST" and d.url(world) == form.action), None
            )
            fields = {**form.fields, **(example or {})}
            for field in [name for name in fields if name != "csrf_token"]:
                for name, value in HOSTILE.items():
                    response = world.client(role).post(
                        form.action,
                        data=_body(fields, field, value),
                        content_type="application/x-www-form-urlencoded",
                    )
                    posts += 1
                    where = f"POST {form.action} (form on {page}) field {field} <{name}> as {role}"
                    if response.status_code >= 500:
                        wrong.append(f"{where}: {response.status_code}")
                    elif name == "nul" and field not in UNVALIDATED:
                        page_text = response.get_data(as_text=True)
                        if _is_button_form(form):
                            page_text += NUL_MESSAGE if response.status_code == 400 else ""
                        if response.status_code not in (200, 400) or NUL_MESSAGE not in page_text:
                            wrong.append(f"{where}: {response.status_code} without the message at the field")
        assert not _rows_holding_nul(), role
        empty_all_tables()
    assert not wrong, "\n".join(wrong)
    assert forms >= 30, "the pages should show the platform's forms"
    print(f"\nhostile form posts: {posts} on {forms} forms")


def _rows_holding_nul() -> list[str]:
    """Tables with a NUL in a text column (PostgreSQL cannot hold one at all: it refuses to)."""
    found = []
    if db.engine.dialect.name != "sqlite":
        return found
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if columns:
            hits = db.session.execute(
                select(table).where(or_(*(func.instr(c, func.char(0)) > 0 for c in columns))).limit(1)
            ).first()
            if hits:
                found.append(table.name)
    return found

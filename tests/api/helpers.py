"""A public world for the API's tests, with private things beside it that must never show, and
a check of answers against the OpenAPI document."""

from __future__ import annotations

from types import SimpleNamespace

from jsonschema import Draft202012Validator

from config import TestingConfig
from cop.api.openapi import DOCUMENT
from cop.discussions import services as discussion_services
from cop.guide import queries as guide_queries
from cop.guide import services as guide_services
from tests.circles.factories import make_circle
from tests.contributions.factories import in_review, practice, promote_into
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.guide.factories import details_of, import_shipped, make_lesson
from tests.places.factories import import_places, place, propose

SECRET = "Geheim"  # every private thing's title and text has it; no public answer may


def build() -> SimpleNamespace:
    import_shipped()
    import_places()
    member = make_user(display_name="Marieke Lid", organisation="Gemeente Utrecht")
    moderator = make_user("moderator", display_name="Mo Derator")
    facilitator = make_user(display_name="Fee Begeleider")
    lesson = guide_queries.lesson_by_ref("1.2")
    revised = lesson.current_revision.content()
    revised["body"] += "\n\nEen zin erbij."
    guide_services.save_lesson(lesson, details_of(lesson), revised, editor=moderator, change_note="Aangevuld")
    draft = make_lesson(lesson.chapter, "1.3", f"{SECRET} concept", status="draft")
    theme = lesson.themes[0]
    thread = start_thread(member, theme, title="Openbare draad", body="Een openbaar bericht.")
    discussion_services.reply(thread, member, "Een tweede bericht.")
    gone = discussion_services.reply(thread, member, f"{SECRET}: dit wordt verwijderd.")
    discussion_services.delete_post(gone, member)
    circle = make_circle(facilitator, name=f"{SECRET}e kring", visibility="prive")
    secret_thread = discussion_services.start_thread(
        container_kind="circle",
        container=circle,
        author=facilitator,
        kind="discussion",
        title=f"{SECRET} overleg",
        body=f"{SECRET}e tekst.",
    )
    kanaleneiland = place("kanaleneiland-utrecht")
    promoted = in_review(practice(member, "Buurttafels werken", places=[kanaleneiland]), member, moderator)
    promote_into(promoted, moderator, lesson)
    draft_contribution = practice(member, f"{SECRET} concept van een bijdrage")
    proposal = propose(member, f"{SECRET}wijk", "Utrecht")
    return SimpleNamespace(
        member=member,
        moderator=moderator,
        lesson=lesson,
        draft=draft,
        theme=theme,
        thread=thread,
        deleted_post=gone,
        circle=circle,
        secret_thread=secret_thread,
        promoted=promoted,
        draft_contribution=draft_contribution,
        proposal=proposal,
        place=kanaleneiland,
    )


def response_schema(path: str, status: int) -> dict:
    """The JSON schema the document gives for ``path``'s answer ``status``, with its components."""
    response = DOCUMENT["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in response:
        response = DOCUMENT["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return {**response["content"]["application/json"]["schema"], "components": DOCUMENT["components"]}


def check_against_document(path: str, response) -> None:
    """The answer's status is one the document lists for ``path``, its body fits that status's
    schema, and every address in it is an absolute one at the public address."""
    listed = DOCUMENT["paths"][path]["get"]["responses"]
    assert str(response.status_code) in listed, f"{path}: {response.status_code} is not in the document"
    assert response.mimetype == "application/json"
    body = response.get_json()
    errors = sorted(
        Draft202012Validator(response_schema(path, response.status_code)).iter_errors(body), key=str
    )
    assert not errors, f"{path}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    for url in [] if path == "/openapi.json" else _urls(body):
        assert url.startswith(TestingConfig.PUBLIC_URL + "/"), url


def _urls(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources":  # the publications a lesson cites live elsewhere
                continue
            if (key == "url" or key.endswith("_url") or key in ("next", "openapi")) and isinstance(item, str):
                yield item
            else:
                yield from _urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item)

"""The guide's routes for the shared checks (tests/routing.py)."""

from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.guide import services
from cop.guide.models import Lesson
from tests.guide.factories import details_of, import_shipped, make_lesson, make_theme
from tests.routing import route, same_for_all

LAYER = 20


def build(world) -> None:
    """The guide as it ships (edition 2, lesson 1.2 with its quote, example and sources), a second
    version of lesson 1.2, and a draft."""
    import_shipped()
    lesson = db.session.scalar(select(Lesson).where(Lesson.number == "1.2"))
    revised = lesson.current_revision.content()
    revised["body"] += "\n\nEen zin erbij."
    services.save_lesson(lesson, details_of(lesson), revised, editor=None, change_note="Tweede versie")
    draft = make_lesson(lesson.chapter, "1.3", "Een concept", status="draft")
    world["theme"] = lesson.themes[0].slug
    world["chapter"] = lesson.chapter.number
    world["lesson"] = lesson.ref
    world["draft"] = draft.ref
    world["edition"] = 2
    world["spare_theme"] = make_theme("reservethema", "Reservethema", 99).slug


EDITORS = "login 403 403 login 200 200"
ADMINS = "login 403 403 login 403 200"
#               anonymous unconfirmed member suspended moderator admin
ROUTES = [
    same_for_all("GET", "/gids/", "200", query=("doelgroep",)),
    same_for_all("GET", "/gids/{chapter}/", "200"),
    route("GET", "/gids/{chapter}/bewerken", EDITORS),
    route("POST", "/gids/{chapter}/bewerken", "login 403 403 login 302 302"),  # empty: unchanged
    route("GET", "/gids/hoofdstuk/nieuw", EDITORS),
    route("POST", "/gids/hoofdstuk/nieuw", EDITORS),
    route("GET", "/gids/les/nieuw", EDITORS, query=("hoofdstuk",)),
    route("POST", "/gids/les/nieuw", EDITORS),
    same_for_all("GET", "/les/{lesson}", "200"),
    route("GET", "/les/{draft}", "404 404 404 404 200 200"),
    route("GET", "/les/{lesson}/bewerken", EDITORS),
    route("POST", "/les/{lesson}/bewerken", EDITORS),
    same_for_all("GET", "/les/{lesson}/geschiedenis", "200", query=("pagina",)),
    route("GET", "/les/{draft}/geschiedenis", "404 404 404 404 200 200"),
    same_for_all("GET", "/les/{lesson}/verschil", "200", query=("van", "naar")),
    same_for_all("GET", "/les/{lesson}/versie/1", "200"),
    route("GET", "/les/{lesson}/versie/1/herstellen", EDITORS),  # asks to confirm
    route("POST", "/les/{lesson}/versie/1/herstellen", "login 403 403 login 302 302"),
    same_for_all("GET", "/thema/{theme}", "200", query=("doelgroep", "pagina")),
    same_for_all("GET", "/edities/", "200"),
    route("GET", "/edities/nieuw", "login 403 403 login 403 200"),
    route("POST", "/edities/nieuw", "login 403 403 login 403 200"),
    same_for_all("GET", "/editie/{edition}/", "200"),
    same_for_all("GET", "/editie/{edition}/les/{lesson}", "200"),
    same_for_all("GET", "/editie/{edition}/nieuw", "200"),
    same_for_all("GET", "/editie/{edition}/afdrukken", "200"),
    route("GET", "/beheer/themas", ADMINS),
    route("GET", "/beheer/themas/nieuw", ADMINS),
    route("GET", "/beheer/themas/{spare_theme}", ADMINS),
    route("POST", "/beheer/themas/nieuw", ADMINS),  # empty: the title is missing
    route("POST", "/beheer/themas/{spare_theme}", ADMINS),  # empty: the title is missing
    route("POST", "/beheer/themas/{spare_theme}/omhoog", "login 403 403 login 403 302"),
    route("POST", "/beheer/themas/{spare_theme}/intrekken", "login 403 403 login 403 302"),
]

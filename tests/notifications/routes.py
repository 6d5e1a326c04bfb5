"""The notifications' routes for the shared checks (tests/routing.py)."""

from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.notifications import mailing
from cop.notifications.models import Notification
from tests.routing import route, same_for_all

LAYER = 40


def build(world) -> None:
    member = world.users["member"]
    mention = db.session.scalar(
        select(Notification).where(Notification.user_id == member.id, Notification.kind == "mention")
    )
    world["members_notification"] = mention.id  # the discussions' world mentions the member
    world["unsubscribe_token"] = mailing.unsubscribe_token(member.id, "reply")


LOGGED_IN = "login 200 200 login 200 200"
#               anonymous unconfirmed member suspended moderator admin
ROUTES = [
    route("GET", "/meldingen", LOGGED_IN, query=("pagina",)),
    route("GET", "/meldingen/{members_notification}", "login 404 302 login 404 404 404", others="404"),
    route("POST", "/meldingen/alles-gelezen", "login 302 302 login 302 302"),
    route("GET", "/account/meldingen", LOGGED_IN),
    route("POST", "/account/meldingen", LOGGED_IN),
    same_for_all("GET", "/meldingen/afmelden/{unsubscribe_token}", "200"),
    same_for_all(
        "POST",
        "/meldingen/afmelden/{unsubscribe_token}",
        "200",
        csrf_exempt="a mail program posts here with one click (RFC 8058); the signed token is the proof",
    ),
]

"""The discussions' routes for the shared checks (tests/routing.py)."""

from __future__ import annotations

from sqlalchemy import select

from cop.discussions import services
from cop.extensions import db
from cop.guide.models import Theme
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.routing import route, same_for_all

LAYER = 30


def build(world) -> None:
    theme = db.session.scalar(select(Theme).where(Theme.slug == world["theme"]))
    other = make_user(display_name="Vraag Steller")
    member = world.users["member"]
    thread = start_thread(
        other, theme, title="Buurtbudgetten in de praktijk", body=f"Wat vinden jullie, @{member.handle}?"
    )
    services.reply(thread, other, "Een tweede bericht van de starter.")
    own = services.reply(thread, member, "Mijn eigen reactie.")
    gone = services.reply(thread, other, "Dit wordt verwijderd.")
    services.delete_post(gone, other)
    question = start_thread(
        other, theme, title="Wie kent een goede aanpak?", body="Een vraag.", kind="question"
    )
    services.reply(question, member, "Een antwoord.")
    world["thread"] = thread.ref
    world["question"] = question.ref
    world["others_post"] = 2
    world["own_post"] = own.number
    world["deleted_post"] = gone.number


OWN_WRITE = "login confirm 200 login 200 200"  # a confirmed member may; an unconfirmed one confirms first
MODERATORS = "login confirm 403 login 302 302"
#               anonymous unconfirmed member suspended moderator admin
ROUTES = [
    same_for_all("GET", "/thema/{theme}/discussies", "200", query=("soort", "pagina")),
    route("GET", "/thema/{theme}/discussies/nieuw", OWN_WRITE, query=("les",)),
    route("POST", "/thema/{theme}/discussies/nieuw", OWN_WRITE, query=("les",)),
    route("POST", "/thema/{theme}/volgen", "login confirm 400 login 400 400"),  # empty: which way?
    same_for_all("GET", "/discussie/{thread}", "200", query=("pagina", "citeer")),
    same_for_all("GET", "/discussie/{question}", "200"),
    route("POST", "/discussie/{thread}/reageren", OWN_WRITE),
    same_for_all("GET", "/discussie/{thread}/bericht/{own_post}", "302"),
    route("GET", "/discussie/{thread}/ongelezen", "login 302 302 login 302 302"),
    route("GET", "/discussie/{thread}/bericht/{others_post}/bewerken", "login confirm 403 login 200 200"),
    route("POST", "/discussie/{thread}/bericht/{others_post}/bewerken", "login confirm 403 login 200 200"),
    route("GET", "/discussie/{thread}/bericht/{own_post}/bewerken", "login confirm 200 login 200 200 403"),
    route(
        "POST", "/discussie/{thread}/bericht/{own_post}/verwijderen", "login confirm 302 login 302 302 403"
    ),
    route("POST", "/discussie/{thread}/bericht/{others_post}/verwijderen", MODERATORS),
    same_for_all("GET", "/discussie/{thread}/bericht/{others_post}/geschiedenis", "200"),
    route("GET", "/discussie/{thread}/bericht/{deleted_post}/geschiedenis", "404 404 404 404 200 200"),
    route("POST", "/discussie/{question}/beste-antwoord", MODERATORS),
    route("POST", "/discussie/{thread}/vastzetten", MODERATORS),
    route("POST", "/discussie/{thread}/sluiten", MODERATORS),
    route("POST", "/discussie/{thread}/volgen", "login 400 400 login 400 400"),
]

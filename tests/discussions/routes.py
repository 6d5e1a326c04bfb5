"""The discussions' routes for the shared checks (tests/routing.py)."""

from __future__ import annotations

from sqlalchemy import select

from cop.discussions import moderating, services
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
    moderator = world.users["moderator"]
    hidden_post = services.reply(thread, other, "Dit wordt verborgen.")
    moderating.hide_post(hidden_post, moderator, "Persoonlijke gegevens")
    hidden = start_thread(other, theme, title="Een verborgen discussie", body="Niet voor leden.")
    moderating.hide_thread(hidden, moderator, "Reclame")
    target = start_thread(other, theme, title="Het origineel", body="Het eerste bericht.")
    duplicate = start_thread(other, theme, title="Het dubbele", body="Hetzelfde nog eens.")
    moderating.merge_thread(duplicate, target, moderator, "Dubbel")
    world["hidden_post"] = hidden_post.number
    world["hidden_thread"] = hidden.ref
    world["merged_thread"] = duplicate.ref
    world["thread"] = thread.ref
    world["question"] = question.ref
    world["others_post"] = 2
    world["own_post"] = own.number
    world["deleted_post"] = gone.number


OWN_WRITE = "login confirm 200 login 200 200"  # a confirmed member may; an unconfirmed one confirms first
MODERATORS = "login confirm 403 login 302 302"
MODERATION = "login 403 403 login 200 200"  # the moderators' own pages: not for members at all
MODERATION_POST = "login 403 403 login 400 400"  # empty: which action, which theme, which thread?
#               anonymous unconfirmed member suspended moderator admin [facilitator]
# The "member" wrote own_post; other members (facilitator, outsider, circle_member) did not.
ROUTES = [
    same_for_all("GET", "/thema/{theme}/discussies", "200", query=("soort", "pagina")),
    route("GET", "/thema/{theme}/discussies/nieuw", OWN_WRITE, query=("les",)),
    route("POST", "/thema/{theme}/discussies/nieuw", OWN_WRITE, query=("les",)),
    route("POST", "/thema/{theme}/volgen", "login confirm 400 login 400 400"),  # empty: which way?
    same_for_all("GET", "/discussie/{thread}", "200", query=("pagina", "citeer")),
    same_for_all("GET", "/discussie/{question}", "200"),
    route("GET", "/discussie/{hidden_thread}", "404 404 404 404 200 200"),
    same_for_all("GET", "/discussie/{merged_thread}", "301"),
    same_for_all("GET", "/discussie/{merged_thread}/bericht/1", "301"),
    route("GET", "/discussie/{thread}/bericht/{hidden_post}/geschiedenis", "404 404 404 404 200 200"),
    route("GET", "/discussie/{thread}/modereren", MODERATION),
    route("GET", "/discussie/{thread}/bericht/{others_post}/verbergen", MODERATION),
    route("POST", "/discussie/{thread}/reageren", OWN_WRITE),
    same_for_all("GET", "/discussie/{thread}/bericht/{own_post}", "302"),
    route("GET", "/discussie/{thread}/ongelezen", "login 302 302 login 302 302"),
    route("GET", "/discussie/{thread}/bericht/{others_post}/bewerken", "login confirm 403 login 200 200"),
    route("POST", "/discussie/{thread}/bericht/{others_post}/bewerken", "login confirm 403 login 200 200"),
    route(
        "GET",
        "/discussie/{thread}/bericht/{own_post}/bewerken",
        "login confirm 200 login 200 200 403",
        others="403",
    ),
    route(
        "POST",
        "/discussie/{thread}/bericht/{own_post}/verwijderen",
        "login confirm 302 login 302 302 403",
        others="403",
    ),
    route("POST", "/discussie/{thread}/bericht/{others_post}/verwijderen", MODERATORS),
    same_for_all("GET", "/discussie/{thread}/bericht/{others_post}/geschiedenis", "200"),
    route("GET", "/discussie/{thread}/bericht/{deleted_post}/geschiedenis", "404 404 404 404 200 200"),
    route("POST", "/discussie/{question}/beste-antwoord", MODERATORS),
    route("POST", "/discussie/{thread}/vastzetten", MODERATORS),
    route("POST", "/discussie/{thread}/sluiten", MODERATORS),
    route("POST", "/discussie/{thread}/volgen", "login 400 400 login 400 400"),
    route("POST", "/discussie/{thread}/bericht/{others_post}/verbergen", MODERATION_POST),
    route("POST", "/discussie/{thread}/verbergen", MODERATION_POST),
    route("POST", "/discussie/{thread}/verplaatsen", MODERATION_POST),
    route("POST", "/discussie/{thread}/samenvoegen", MODERATION_POST),
]

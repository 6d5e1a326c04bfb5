"""No surface leaks what its viewer may not see (issue 12: one visibility rule for every surface).

One world (the authorization matrix's, ``tests/routing.py``) gets a private circle with threads,
replies, a meeting, a reading note and mentions of non-members, a contribution draft, a hidden post,
a hidden thread and a deleted post, each carrying a marker word found nowhere else. Then, as a
stranger (anonymous), a confirmed member of nothing ("outsider"), the member who wrote the world's
contributions (not in the private circle) and a former member of the circle who left before the
secrets were written (knowing only its name), every GET route of the registry is requested, filled
from the world and pointed at the secret things, plus every argument-free GET route of the app
(feeds, API listings), every GET route keyed by a secret thing's id (an API's ``/threads/<id>``, a
flag form), the search for each marker, the members' public profiles and calendar feeds; then the
mail they were sent (mentions, the daily digest) is read. No marker may appear in any body (HTML,
JSON, Atom, ICS, a zip's files) nor in a redirect's Location.

So a surface added later (a feed, an API listing, a panel, an export) is walked here by adding its
row to its ``routes.py``, without touching this test. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import func, select
from werkzeug.routing import BuildError

from cop.circles import services as circles
from cop.db_types import utcnow
from cop.discussions import services as discussions
from cop.extensions import db
from cop.guide import queries as guide_queries
from cop.mail import OutboxMail
from tests.circles.factories import add_member, make_circle, plan_meeting
from tests.contributions.factories import practice
from tests.discussions.factories import start_thread
from tests.factories import make_user
from tests.places.factories import place
from tests.routing import all_routes, build_world

try:  # moderators hiding posts and threads (issue 12); a deleted post stands in where it is missing
    from cop.discussions import moderating
except ImportError:  # pragma: no cover
    moderating = None

# Words that appear nowhere in the app, the guide's content or the world but in the secret things.
MARKERS = {
    "circle": "Vlinderkruid",
    "circle_description": "Zeekraalpad",
    "thread": "Sluipwespoverleg",
    "opening_post": "Korenwolfnotitie",
    "reply": "Kwartelkoningbericht",
    "meeting": "Lepelaarberaad",
    "meeting_agenda": "Grutto-agendapunt",
    "reading_note": "Roerdomplezing",
    "draft": "Zandhagedisconcept",
    "draft_text": "Boomkikkerverslag",
    "hidden_post": "Hazelwormgeheim",
    "hidden_thread": "Veldleeuwerikdraad",
    "deleted_post": "Kamsalamanderzin",
    "late_reply": "Ijsvogelreactie",
}

VIEWERS = ("anonymous", "outsider", "member", "former")
# What a viewer may know: the former member was in the private circle, so knows its name.
KNOWN = {"former": {MARKERS["circle"], MARKERS["circle_description"]}}


def _neutral_slug(obj, slug: str) -> None:
    """Keep the marker out of URLs, so that finding it in a page means the page showed the thing."""
    obj.slug = slug
    db.session.commit()


def _secret_world(app):
    world = build_world(app)
    users = world.users
    facilitator, insider, outsider = users["facilitator"], users["circle_member"], users["outsider"]
    member, moderator = users["member"], users["moderator"]
    former = users["former"] = make_user(display_name="Oud Kringlid")
    lesson = guide_queries.lesson_by_ref(world["lesson"])
    theme = lesson.themes[0]
    kanaleneiland = place("kanaleneiland-utrecht")

    from cop.notifications import mailing
    from cop.notifications.kinds import KINDS

    # A public thread with a post that a moderator hides (first, so that the mention mail it sent
    # while it was visible is not counted), and a deleted post.
    public = start_thread(insider, theme, title="Gewoon een openbare vraag", body="Wie weet het?")
    hidden_post = discussions.reply(public, insider, f"Het {MARKERS['hidden_post']} van @{outsider.handle}.")
    deleted = discussions.reply(public, insider, f"De {MARKERS['deleted_post']}.")
    discussions.delete_post(deleted, insider)
    if moderating is not None:
        moderating.hide_post(hidden_post, moderator, "Persoonlijke gegevens")
        hidden_thread = start_thread(insider, theme, title=f"De {MARKERS['hidden_thread']}", body="Tekst.")
        _neutral_slug(hidden_thread, "verborgen")
        moderating.hide_thread(hidden_thread, moderator, "Reclame")
    else:  # pragma: no cover
        discussions.delete_post(hidden_post, insider)
    mails_before = db.session.scalar(select(func.max(OutboxMail.id))) or 0

    # From here on the outsider and the former member hear of everything in the daily digest, and
    # of mentions at once.
    for user in (outsider, former):
        mailing.save_settings(user, dict.fromkeys(KINDS, "digest") | {"mention": "immediately"})

    circle = make_circle(
        facilitator,
        name=f"Kring {MARKERS['circle']}",
        visibility="prive",
        themes=[theme],
        description=f"Over het {MARKERS['circle_description']}.",
    )
    _neutral_slug(circle, "geheime-kring")
    add_member(circle, insider)
    # The former member was in the circle (so knows its name), followed a thread there, and left
    # before the rest was written; nothing written after that may reach them.
    add_member(circle, former)
    welcome = discussions.start_thread(
        container_kind="circle",
        container=circle,
        author=facilitator,
        kind="discussion",
        title="Welkom",
        body="Stel je voor.",
    )
    discussions.reply(welcome, former, "Ik volg dit.")
    circles.leave(circle, former)
    mentions = f"@{outsider.handle}, @{former.handle} en @{member.handle}"
    discussions.reply(welcome, insider, f"Het {MARKERS['reply']}, {mentions}.")
    thread = discussions.start_thread(
        container_kind="circle",
        container=circle,
        author=facilitator,
        kind="discussion",
        title=f"Over de {MARKERS['thread']}",
        body=f"De {MARKERS['opening_post']} staat hier. {mentions}: lees mee.",
        lesson=lesson,
    )
    _neutral_slug(thread, "geheim")
    meeting = plan_meeting(
        circle,
        facilitator,
        title=f"Het {MARKERS['meeting']}",
        agenda=f"Het {MARKERS['meeting_agenda']}.",
        lessons=[lesson],
    )
    circles.add_reading(circle, lesson, f"Een {MARKERS['reading_note']}.", meeting)
    late = discussions.reply(thread, facilitator, f"Een {MARKERS['late_reply']}.")

    draft = practice(
        facilitator,
        f"Het {MARKERS['draft']}",
        places=[kanaleneiland],
        themes=[theme],
        situation=f"Het {MARKERS['draft_text']}.",
    )

    # Point the registry's names at the secret things, so its rows about a private circle, its
    # meeting and thread, and a draft are requested for these.
    world["private_circle"] = circle.slug
    world["private_meeting"] = meeting.id
    world["private_thread"] = thread.ref
    world["private_reply"] = late.number
    world["draft_contribution"] = draft.id

    from cop.accounts import services as accounts

    people = ("facilitator", "circle_member", "outsider", "member", "former")
    for role in people:
        accounts.update_profile(users[role], profile_public=True)
    extra = [f"/leden/{users[role].handle}" for role in people]
    extra += [f"/agenda/{circles.calendar_feed(users[role]).token}.ics" for role in VIEWERS[1:]]
    secret_ids = {
        "thread_id": [thread.id, welcome.id] + ([hidden_thread.id] if moderating else []),
        "ref": [thread.ref, welcome.ref] + ([hidden_thread.ref] if moderating else []),
        "contribution_id": [draft.id],
        "meeting_id": [meeting.id],
        "circle_id": [circle.id],
        "post_id": [hidden_post.id, deleted.id],
        # a flag's page: /melden/<segment>/<subject_id>
        "segment": ["bericht", "discussie", "bijdrage", "leerkring"],
        "subject_id": [circle.id, thread.id, draft.id, hidden_post.id],
    }
    return world, extra + _routes_keyed_by(app, secret_ids), mails_before


def _routes_keyed_by(app, values: dict[str, list]) -> list[str]:
    """Every GET route whose arguments are all ids of secret things (an API's /threads/<id>, say),
    filled with each of them: surfaces whose registry rows name public things only are asked too."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.arguments or not rule.arguments <= values.keys():
            continue
        names = sorted(rule.arguments)
        for combination in itertools.product(*(values[name] for name in names)):
            try:
                urls.append(adapter.build(rule.endpoint, dict(zip(names, combination, strict=True))))
            except BuildError:  # a segment the rule does not take
                continue
    return urls


def _text_of(response) -> str:
    """What a response shows: its body (each file of a zip) and where it redirects."""
    data = response.get_data()
    parts = [response.headers.get("Location", "")]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    else:
        parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts).lower()


def _found(text: str, known=(), echoed: str = "", echoes: int = 0) -> list[str]:
    """The markers in ``text`` beyond what the viewer may know; a searched-for word counts only
    where it shows up more often than a word that exists nowhere does (the page repeats the query)."""
    found = []
    for word in MARKERS.values():
        count = text.count(word.lower())
        if word in known or not count or (word == echoed and count <= echoes):
            continue
        found.append(word)
    return found


def _argument_free_gets(app) -> set[str]:
    return {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    }


NOWHERE = "Nergenswoordje"  # a word in no row of the database: its search page only echoes it


def test_no_surface_shows_a_private_circle_a_draft_or_a_hidden_post_to_those_who_may_not_see_them(app):
    world, extra, mails_before = _secret_world(app)
    gets = sorted({declared.url(world) for declared in all_routes() if declared.method == "GET"})
    gets += sorted(_argument_free_gets(app) - set(gets)) + extra
    searches = {}  # url: the marker it searches for
    if any(rule.rule == "/zoeken" for rule in app.url_map.iter_rules()):
        for word in MARKERS.values():
            searches[f"/zoeken?q={quote(word)}"] = word
            searches[f"/zoeken?q={quote(word.lower()[:6])}"] = ""
    # The insiders do see them (so the markers are where the walk looks).
    insider = world.client("circle_member")
    assert MARKERS["late_reply"].lower() in _text_of(insider.get(f"/discussie/{world['private_thread']}"))
    assert MARKERS["meeting"].lower() in _text_of(insider.get(f"/leerkring/{world['private_circle']}"))

    leaks = []
    for role in VIEWERS:
        client = world.client(role)
        known = KNOWN.get(role, set())
        echoes = 0
        if searches:
            echoes = _text_of(client.get(f"/zoeken?q={NOWHERE}")).count(NOWHERE.lower())
        for url in [*gets, *searches]:
            response = client.get(url)
            assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
            found = _found(_text_of(response), known, searches.get(url, ""), echoes)
            leaks += [f"{role} GET {url} ({response.status_code}): {word}" for word in found]

    # Mail: what the non-members were sent since the secrets began, and their daily digest.
    from cop.notifications import mailing

    mailing.send_digests(now=utcnow() + timedelta(days=2))
    addresses = {world.users[role].email: role for role in VIEWERS[1:]}
    mails = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_address.in_(addresses), OutboxMail.id > mails_before)
    ).all()
    for mail in mails:
        role = addresses[mail.to_address]
        found = _found(f"{mail.subject}\n{mail.body_text}".lower(), KNOWN.get(role, set()))
        leaks += [f"mail to {role} ({mail.subject}): {word}" for word in found]

    walked = len(gets) + len(searches)
    print(f"\nno leaks: {walked} URLs x {len(VIEWERS)} viewers, {len(mails)} mails walked")
    assert not leaks, "\n".join(leaks)
    assert any("overzicht" in mail.subject for mail in mails), "no digest was walked"

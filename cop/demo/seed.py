"""Bulk demo data: accounts, a guide with lessons and revisions, threads and posts, circles with
meetings, contributions in every state, and the search index.

Everything is computed in Python and written with SQLAlchemy Core ``insert()`` in batches of
``BATCH`` rows, with ids chosen here (after the highest one present; PostgreSQL's sequences are
moved on at the end), so that the denormalised columns — a thread's last number, reply count, last
poster and time; a lesson's current revision; a contribution's endorsement counts — are written
right the first time. Randomness is seeded: the same sizes give the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, func, insert, select, text, update

from cop.accounts import User
from cop.accounts.models import Role
from cop.accounts.passwords import hash_password
from cop.circles.models import (
    Attendance,
    Circle,
    CircleMember,
    Meeting,
    ReadingItem,
    circle_themes,
    meeting_lessons,
)
from cop.contributions.kinds import FIELDS, Endorsement, Kind
from cop.contributions.models import (
    Contribution,
    ContributionEvent,
    ContributionWriter,
    EndorsementRow,
    LessonOrigin,
)
from cop.contributions.states import Status
from cop.discussions.models import FollowLevel, Post, Thread, ThreadReader
from cop.extensions import db
from cop.guide.models import (
    Chapter,
    Lesson,
    LessonAudience,
    LessonRevision,
    LessonStatus,
    Theme,
    lesson_sort_key,
    lesson_themes,
)
from cop.sanitize import render
from cop.text import slugify
from cop.transactions import commit

DEMO_PASSWORD = "demo wijkengids"  # noqa: S105  (documented in the README)
DEMO_DOMAIN = "example.org"
BATCH = 5000


class RefusedError(Exception):
    """The database holds accounts that are not demo accounts (or demo data already)."""


@dataclass(frozen=True)
class Sizes:
    users: int
    threads: int
    posts: int
    contributions: int
    circles: int
    lessons: int
    themes: int  # made only when the database has no themes yet
    long_threads: tuple[int, ...]  # posts in the few very long threads

    def with_counts(self, **counts) -> Sizes:
        return replace(self, **{name: n for name, n in counts.items() if n is not None})

    def work(self) -> int:
        """The progress bar's length: rows written plus documents indexed (about)."""
        things = self.users + self.threads + self.lessons + self.contributions + self.circles
        return 2 * (things + self.posts)


PRESETS = {
    "small": Sizes(60, 60, 600, 21, 4, 12, 6, (150,)),
    "forum": Sizes(10, 400, 20_000, 14, 2, 20, 1, (2000,)),
    "large": Sizes(20_000, 50_000, 1_000_000, 10_000, 500, 2000, 6, (5000, 2000, 2000, 1000, 1000)),
}

# --- words ---------------------------------------------------------------------------------------

FIRST = (
    "Sanne",
    "Daan",
    "Fatima",
    "Mohamed",
    "Lotte",
    "Jeroen",
    "Ayse",
    "Kevin",
    "Anouk",
    "Bram",
    "Yasmina",
    "Thijs",
    "Eva",
    "Mehmet",
    "Iris",
    "Ruben",
    "Sophie",
    "Youssef",
    "Noor",
    "Pieter",
    "Esra",
    "Wouter",
    "Lisa",
    "Hamza",
    "Femke",
    "Joost",
    "Inge",
    "Rachid",
    "Marloes",
    "Sander",
)
LAST = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Bouzid",
    "van Dijk",
    "Koster",
)
PLACES = (
    "Utrecht",
    "Amsterdam",
    "Rotterdam",
    "Den-Haag",
    "Eindhoven",
    "Arnhem",
    "Groningen",
    "Leeuwarden",
    "Heerlen",
    "Zwolle",
    "Deventer",
    "Schiedam",
    "Nijmegen",
    "Enschede",
    "Almelo",
    "Hengelo",
    "Tilburg",
    "Breda",
    "Vlaardingen",
    "Dordrecht",
)
ORGANISATIONS = (
    "Gemeente {place}",
    "Woningcorporatie Portaal",
    "Wijkteam {place}-Noord",
    "Welzijn {place}",
    "Bewonersraad {place}",
    "GGD regio {place}",
    "Buurtwerk {place}",
    "Stichting Samen in de Wijk",
)
JOBS = (
    "wijkregisseur",
    "opbouwwerker",
    "beleidsadviseur",
    "bewoner",
    "wijkagent",
    "projectleider",
    "huismeester",
    "sociaal makelaar",
    "onderzoeker",
    "wethouder",
)
THEMES = (
    ("wonen", "Wonen en woonomgeving"),
    ("werk-en-inkomen", "Werk en inkomen"),
    ("veiligheid", "Veiligheid"),
    ("gezondheid", "Gezondheid en zorg"),
    ("jeugd-en-onderwijs", "Jeugd en onderwijs"),
    ("meedoen", "Meedoen en samenleven"),
)
SUBJECTS = (
    "buurtbudgetten",
    "het wijkplan",
    "de bewonersavond",
    "achter de voordeur",
    "schuldhulp in de wijk",
    "het buurthuis",
    "de speeltuin",
    "jongerenwerk",
    "de wijkagent",
    "renovatie van de flats",
    "eenzaamheid onder ouderen",
    "taalles voor nieuwkomers",
    "de moestuin",
    "overlast op het plein",
    "de wijkschouw",
    "participatie van bewoners",
    "samenwerking met de corporatie",
    "het sociaal wijkteam",
    "een buurtcoöperatie",
    "de monitor van de wijk",
)
OPENERS = (
    "Ervaringen met {s} in {p}?",
    "Hoe pakken jullie {s} aan?",
    "Vraag over {s}",
    "Wat werkt bij {s}?",
    "Tips gezocht: {s} in {p}",
    "Na twee jaar {s}: een terugblik",
    "Wie heeft een goed voorbeeld van {s}?",
)
SENTENCES = (
    "In {p} zijn we begonnen met {s}, eerst klein en met een paar bewoners.",
    "Wat bij ons hielp: vroeg met de corporatie om tafel en niet wachten op het perfecte plan.",
    "Herkenbaar! Bij ons liep het vast op de vraag wie de regie had.",
    "De les uit de gids over **vertrouwen** sloot hier goed bij aan.",
    "We hebben het budget voor {s} rechtstreeks bij de bewonerscommissie gelegd.",
    "Na een half jaar zagen we dat vooral de jongeren bleven komen.",
    "Belangrijk is dat de wijkregisseur echt tijd krijgt, niet alleen op papier.",
    "Kun je iets meer vertellen over hoe jullie de resultaten hebben gemeten?",
    "Wij meten het met een korte enquête en gesprekken op straat.",
    "Het werkte pas toen we het buurthuis 's avonds open hielden.",
    "Goede vraag. Ik stuur je de notitie van onze wethouder door.",
    "Let op de privacy: noem geen bewoners bij naam in het verslag.",
    "Dank voor het delen, dit nemen we mee in ons wijkplan.",
    "In onze wijk duurde het twee jaar voordat de eerste resultaten zichtbaar waren.",
    "Een vaste plek en een vaste tijd bleken belangrijker dan een mooi programma.",
)
CHAPTER_TITLES = (
    "Werken in de wijk",
    "Bewoners aan zet",
    "Samenwerken met partners",
    "Sturen op resultaat",
    "Achter de voordeur",
    "De lange adem",
)
LESSON_ADVICE = ("begin klein", "houd vol", "werk samen", "meet wat telt", "luister eerst")
MEETING_TITLES = ("Startbijeenkomst", "Werkbezoek in de wijk", "Intervisie", "Terugblik en vooruitblik")


def _line(rng: random.Random, template: str) -> str:
    return template.format(s=rng.choice(SUBJECTS), p=rng.choice(PLACES).replace("-", " "))


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_line(rng, rng.choice(SENTENCES)) for _ in range(sentences))


def _text_pool(rng: random.Random, size: int, low: int, high: int) -> list[tuple[str, str]]:
    """(markdown, rendered HTML) pairs, rendered once and reused."""
    pool = []
    for _ in range(size):
        parts = [_paragraph(rng, rng.randint(1, 3)) for _ in range(rng.randint(low, high))]
        body = "\n\n".join(parts)
        pool.append((body, render(body)))
    return pool


# --- the writer ----------------------------------------------------------------------------------


class _Writer:
    """Batches rows per table and inserts them with Core ``insert()``; reports progress. When one
    table's batch is full, every table's rows are written, in the order the tables were first given
    rows (parents before children), so that foreign keys always find their rows."""

    def __init__(self, progress: Callable[[int], None]):
        self.progress = progress
        self.pending: dict[object, list[dict]] = {}

    def add(self, table, row: dict, *, counts: bool = False) -> None:
        rows = self.pending.setdefault(table, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()
        if counts:
            self.progress(1)

    def flush(self) -> None:
        for table, rows in self.pending.items():
            if rows:
                db.session.execute(insert(table), rows)
                self.pending[table] = []


def _table(model):
    return getattr(model, "__table__", model)


def _next_id(model) -> int:
    table = _table(model)
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def _move_sequences(models) -> None:
    """After inserts with explicit ids, PostgreSQL's sequences must continue after them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        name = _table(model).name
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608  (a model's table)
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
        )


def refuse_unless_empty() -> None:
    users = User.__table__
    foreign = db.session.scalar(
        select(func.count()).select_from(users).where(~users.c.email.like(f"demo-%@{DEMO_DOMAIN}"))
    )
    if foreign:
        raise RefusedError(
            f"This database holds {foreign} account(s) that are not demo accounts; "
            "demo data goes only into a new database (e.g. DATABASE_URL=sqlite:////tmp/demo.db)."
        )
    if db.session.scalar(select(func.count()).select_from(users)):
        raise RefusedError("This database already holds demo data; start from a new database.")


def _sizes_of_threads(rng: random.Random, sizes: Sizes) -> list[int]:
    """Posts per thread: the long ones first, then many short ones (a few of them busier)."""
    threads, posts = sizes.threads, sizes.posts
    long = []
    budget = posts - threads  # posts beyond one per thread
    for length in sizes.long_threads:
        if len(long) + 1 >= threads or length - 1 > budget // 2:
            break
        long.append(length)
        budget -= length - 1
    rest = threads - len(long)
    weights = [min(rng.paretovariate(1.3), 40.0) for _ in range(rest)]
    total = sum(weights)
    counts = [1 + int(budget * w / total) for w in weights]
    left = posts - sum(long) - sum(counts)
    for index in range(left):
        counts[index % rest] += 1
    return long + counts


def seed(
    sizes: Sizes, progress: Callable[[int], None] = lambda n: None, index: bool = True
) -> dict[str, int]:
    """Write the demo data in one transaction and return what was made, by name."""
    refuse_unless_empty()
    rng = random.Random(13)  # noqa: S311  (demo data, not secrets)
    now = datetime.now(UTC).replace(microsecond=0)
    writer = _Writer(progress)
    password_hash = hash_password(DEMO_PASSWORD)

    # accounts: demo-1 is an admin, demo-2 and demo-3 moderators
    first_user = _next_id(User)
    user_ids = list(range(first_user, first_user + sizes.users))
    for n, user_id in enumerate(user_ids, start=1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        place = rng.choice(PLACES).replace("-", " ")
        role = Role.ADMIN if n == 1 else Role.MODERATOR if n <= 3 else Role.MEMBER
        created = now - timedelta(days=1100 - n * 1000 // max(1, sizes.users), hours=rng.randint(0, 23))
        writer.add(
            User.__table__,
            {
                "id": user_id,
                "email": f"demo-{n}@{DEMO_DOMAIN}",
                "handle": f"{slugify(name, 20)}-{n}",
                "password_hash": password_hash,
                "display_name": name,
                "organisation": rng.choice(ORGANISATIONS).format(place=place),
                "job_title": rng.choice(JOBS),
                "municipality": place,
                "role": role.value,
                "created_at": created,
                "confirmed_at": created,
                "profile_public": n % 4 == 0,
            },
            counts=True,
        )
    writer.flush()
    staff = user_ids[:3] if len(user_ids) >= 3 else user_ids
    moderators = staff[1:] or staff
    # some very active members: the weight of the n-th member falls as 1/n
    cumulative, running = [], 0.0
    for rank in range(len(user_ids)):
        running += 1.0 / (rank + 1)
        cumulative.append(running)

    def authors(k: int, among=None) -> list[int]:
        if among is not None:
            return [rng.choice(among) for _ in range(k)]
        return rng.choices(user_ids, cum_weights=cumulative, k=k)

    # themes (the guide's, when there are any)
    theme_ids = list(
        db.session.scalars(select(Theme.id).where(Theme.retired_at.is_(None)).order_by(Theme.position))
    )
    if not theme_ids:
        first_theme = _next_id(Theme)
        for position, (slug, title) in enumerate(THEMES[: max(1, sizes.themes)]):
            body = f"Alles over {title.lower()} in de wijk: ervaringen, vragen en lessen."
            writer.add(
                Theme.__table__,
                {
                    "id": first_theme + position,
                    "slug": slug,
                    "title": title,
                    "description": body,
                    "description_html": render(body),
                    "position": position,
                    "group": "thema",
                },
            )
            theme_ids.append(first_theme + position)
        writer.flush()
    if sizes.themes == 1:
        theme_ids = theme_ids[:1]

    # the guide: chapters of up to 100 lessons, each lesson with one to four revisions
    chapter_number = (db.session.scalar(select(func.max(Chapter.number))) or 0) + 1
    chapter_id = _next_id(Chapter)
    lesson_id = _next_id(Lesson)
    revision_id = _next_id(LessonRevision)
    lessons: list[tuple[int, int, dict]] = []  # (lesson id, current revision id, its content)
    summaries = _text_pool(rng, 40, 1, 1)
    bodies = _text_pool(rng, 60, 3, 6)
    for start in range(0, sizes.lessons, 100):
        title = CHAPTER_TITLES[(chapter_number - 1) % len(CHAPTER_TITLES)]
        writer.add(
            Chapter.__table__,
            {"id": chapter_id, "number": chapter_number, "title": title, "intro": "", "intro_html": ""},
        )
        writer.flush()
        for j in range(1, min(100, sizes.lessons - start) + 1):
            number = f"{chapter_number}.{j}"
            subject = rng.choice(SUBJECTS)
            title = f"{subject[0].upper()}{subject[1:]}: {rng.choice(LESSON_ADVICE)}"
            created = now - timedelta(days=rng.randint(200, 1500))
            status = LessonStatus.DRAFT if (start + j) % 10 == 0 else LessonStatus.PUBLISHED
            writer.add(
                Lesson.__table__,
                {
                    "id": lesson_id,
                    "chapter_id": chapter_id,
                    "number": number,
                    "sort_key": lesson_sort_key(number),
                    "slug": slugify(title, 120),
                    "status": status.value,
                    "evidence": rng.choice(("onderzoek", "praktijk", "ervaringskennis")),
                    "last_reviewed": (created + timedelta(days=100)).date(),
                    "current_revision_id": None,
                    "created_at": created,
                    "updated_at": created,
                },
                counts=True,
            )
            writer.add(lesson_themes, {"lesson_id": lesson_id, "theme_id": rng.choice(theme_ids)})
            for audience in rng.sample(("bewoners", "professionals", "beleidsmakers", "bestuurders"), 2):
                writer.add(LessonAudience.__table__, {"lesson_id": lesson_id, "audience": audience})
            revisions = 1 + (start + j) % 4
            for r in range(1, revisions + 1):
                summary, summary_html = rng.choice(summaries)
                body, body_html = rng.choice(bodies)
                content = {
                    "title": title if r == revisions else f"{title} (versie {r})",
                    "summary": summary,
                    "objectives": ["Je weet waar je begint.", "Je kent de valkuilen."],
                    "body": body,
                    "quotes": [],
                    "examples": [],
                    "sources": [],
                }
                writer.add(
                    LessonRevision.__table__,
                    {
                        "id": revision_id,
                        "lesson_id": lesson_id,
                        "number": r,
                        "title": content["title"],
                        "summary": summary,
                        "summary_html": summary_html,
                        "objectives": content["objectives"],
                        "body": body,
                        "body_html": body_html,
                        "quotes": [],
                        "examples": [],
                        "editor_id": rng.choice(staff),
                        "created_at": created + timedelta(days=30 * (r - 1)),
                        "change_note": "Eerste versie" if r == 1 else "Tekst aangescherpt na reacties",
                        "kind": "create" if r == 1 else "edit",
                    },
                )
                revision_id += 1
            lessons.append((lesson_id, revision_id - 1, content))
            lesson_id += 1
        chapter_number += 1
        chapter_id += 1
    writer.flush()
    first_lesson = lessons[0][0]
    lesson_table = Lesson.__table__
    revisions_table = LessonRevision.__table__
    db.session.execute(
        update(lesson_table)
        .where(lesson_table.c.id >= first_lesson)
        .values(
            current_revision_id=select(func.max(revisions_table.c.id))
            .where(revisions_table.c.lesson_id == lesson_table.c.id)
            .scalar_subquery()
        )
    )

    # circles: members (the first one facilitates), themes, a reading plan and meetings
    circle_id = _next_id(Circle)
    meeting_id = _next_id(Meeting)
    circle_members: list[tuple[int, list[int]]] = []
    for n in range(1, sizes.circles + 1):
        subject = rng.choice(SUBJECTS)
        place = rng.choice(PLACES).replace("-", " ")
        learning = n % 3 != 0
        name = f"Leerkring {subject} {place}" if learning else f"Vakgroep {rng.choice(JOBS)}s {place}"
        visibility = "prive" if n % 7 == 0 else "besloten" if n % 5 == 0 else "open"
        members = rng.sample(user_ids, min(len(user_ids), rng.randint(3, 25)))
        description = _paragraph(rng, 2)
        started = now - timedelta(days=rng.randint(30, 600))
        writer.add(
            Circle.__table__,
            {
                "id": circle_id,
                "slug": f"{slugify(name, 80)}-{n}",
                "kind": "leerkring" if learning else "vakgroep",
                "name": name[:120],
                "description": description,
                "description_html": render(description),
                "goal": f"Hoe maken we werk van {subject}?" if learning else "",
                "goal_html": render(f"Hoe maken we werk van {subject}?") if learning else "",
                "visibility": visibility,
                "municipality": place,
                "starts_on": started.date() if learning else None,
                "ends_on": (started + timedelta(days=365)).date() if learning else None,
                "created_at": started,
                "created_by_id": members[0],
            },
            counts=True,
        )
        writer.add(circle_themes, {"circle_id": circle_id, "theme_id": rng.choice(theme_ids)})
        for position, member in enumerate(members):
            writer.add(
                CircleMember.__table__,
                {
                    "circle_id": circle_id,
                    "user_id": member,
                    "role": "facilitator" if position == 0 else "member",
                    "joined_at": started + timedelta(days=position),
                },
            )
        plan = rng.sample(lessons, min(3, len(lessons))) if learning else []
        for position, (plan_lesson, _, _) in enumerate(plan):
            writer.add(
                ReadingItem.__table__,
                {
                    "circle_id": circle_id,
                    "lesson_id": plan_lesson,
                    "position": position,
                    "note": "",
                    "note_html": "",
                },
            )
        for m, title in enumerate(MEETING_TITLES[:3]):
            starts = (now + timedelta(days=(m - 1) * 28 + rng.randint(1, 10))).replace(minute=0, second=0)
            notes = _paragraph(rng, 3) if starts < now else ""
            writer.add(
                Meeting.__table__,
                {
                    "id": meeting_id,
                    "circle_id": circle_id,
                    "title": title,
                    "kind": ("bijeenkomst", "werkatelier", "online")[m],
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "location": f"Buurthuis De Schakel, {place}" if m != 2 else "",
                    "online_url": "https://meet.example.org/demo" if m == 2 else "",
                    "agenda": "1. Opening\n2. Ervaringen uit de wijken\n3. Afspraken",
                    "agenda_html": render("1. Opening\n2. Ervaringen uit de wijken\n3. Afspraken"),
                    "notes": notes,
                    "notes_html": render(notes) if notes else "",
                    "created_at": started,
                    "updated_at": started,
                    "created_by_id": members[0],
                },
            )
            if plan:
                writer.add(meeting_lessons, {"meeting_id": meeting_id, "lesson_id": plan[m % len(plan)][0]})
            for member in members[: rng.randint(1, len(members))]:
                writer.add(
                    Attendance.__table__,
                    {
                        "meeting_id": meeting_id,
                        "user_id": member,
                        "answer": rng.choice(("ja", "ja", "misschien", "nee")),
                        "answered_at": started,
                    },
                )
            meeting_id += 1
        circle_members.append((circle_id, members))
        circle_id += 1
    writer.flush()

    # threads and posts: the few long threads first; the last few short ones live in circles
    replies = _text_pool(rng, 300, 1, 3)
    thread_id = _next_id(Thread)
    post_id = _next_id(Post)
    counts = _sizes_of_threads(rng, sizes)
    in_circles = min(len(circle_members), sizes.threads // 10)
    span = timedelta(days=1000).total_seconds()
    for t, n_posts in enumerate(counts):
        circle = circle_members[t - (sizes.threads - in_circles)] if t >= sizes.threads - in_circles else None
        among = circle[1] if circle else None
        people = authors(n_posts, among)
        start = now - timedelta(seconds=rng.uniform(0.05, 1.0) * span)
        step = (now - start) / (n_posts + 1)
        times = [start + step * i for i in range(n_posts)]
        title = _line(rng, rng.choice(OPENERS))
        writer.add(
            Thread.__table__,
            {
                "id": thread_id,
                "container_kind": "circle" if circle else "theme",
                "container_id": circle[0] if circle else theme_ids[t % len(theme_ids)],
                "kind": "question" if t % 9 == 4 else "discussion",
                "title": title[:200],
                "slug": slugify(title, 80),
                "author_id": people[0],
                "created_at": times[0],
                "last_number": n_posts,
                "reply_count": n_posts - 1,
                "last_posted_at": times[-1],
                "last_poster_id": people[-1],
                "pinned": t == 0,
                "locked": False,
            },
            counts=True,
        )
        writer.add(
            ThreadReader.__table__,
            {
                "user_id": people[0],
                "thread_id": thread_id,
                "last_read": 1,
                "level": FollowLevel.FOLLOWING.value,
            },
        )
        for number in range(1, n_posts + 1):
            body, body_html = replies[rng.randrange(len(replies))]
            writer.add(
                Post.__table__,
                {
                    "id": post_id,
                    "thread_id": thread_id,
                    "number": number,
                    "author_id": people[number - 1],
                    "body": body,
                    "body_html": body_html,
                    "created_at": times[number - 1],
                },
            )
            post_id += 1
        progress(n_posts)
        thread_id += 1
    writer.flush()

    # contributions: every kind in every state, with writers, a trail and endorsements
    contribution_id = _next_id(Contribution)
    event_id = _next_id(ContributionEvent)
    statuses = list(Status)
    kinds = list(Kind)
    field_pool = {kind: _text_pool(rng, 10, 1, 2) for kind in kinds}
    final_action = {
        Status.SUBMITTED: None,
        Status.IN_REVIEW: "take",
        Status.CHANGES_REQUESTED: "request_changes",
        Status.DECLINED: "decline",
        Status.WITHDRAWN: "withdraw",
        Status.PROMOTED: "promote",
    }
    for c in range(sizes.contributions):
        status = statuses[c % len(statuses)]
        kind = kinds[(c // len(statuses)) % len(kinds)]
        author = authors(1)[0]
        lesson, revision, content = lessons[c % len(lessons)]
        created = now - timedelta(days=rng.randint(5, 700))
        fields, fields_html = {}, {}
        for field in FIELDS[kind]:
            source, rendered = rng.choice(field_pool[kind])
            fields[field.name] = source if field.markdown else source.split(".")[0][:150]
            if field.markdown:
                fields_html[field.name] = rendered
        draft = status == Status.DRAFT
        reviewed = status not in (Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN)
        endorsers = [] if draft else rng.sample(user_ids, min(len(user_ids), rng.randint(0, 6)))
        endorsement_kinds = [
            Endorsement.RECOGNISED if i % 2 == 0 else Endorsement.WORKS_HERE for i in range(len(endorsers))
        ]
        subject = rng.choice(SUBJECTS)
        writer.add(
            Contribution.__table__,
            {
                "id": contribution_id,
                "kind": kind.value,
                "status": status.value,
                "title": f"{subject[0].upper()}{subject[1:]} in {rng.choice(PLACES).replace('-', ' ')}",
                "fields": fields,
                "fields_html": fields_html,
                "result_bases": ["waargenomen"] if kind == Kind.PRACTICE else [],
                "chapter_id": None,
                "lesson_id": lesson if kind == Kind.CHANGE else None,
                "base_revision_id": revision if kind == Kind.CHANGE else None,
                "proposal": dict(content, body=content["body"] + "\n\nEen alinea erbij uit de praktijk.")
                if kind == Kind.CHANGE
                else None,
                "author_id": author,
                "assignee_id": rng.choice(moderators) if reviewed else None,
                "recognised_count": endorsement_kinds.count(Endorsement.RECOGNISED),
                "works_here_count": endorsement_kinds.count(Endorsement.WORKS_HERE),
                "endorsement_count": len(endorsers),
                "created_at": created,
                "updated_at": created + timedelta(days=3),
                "submitted_at": None if draft else created + timedelta(days=1),
                "status_changed_at": created + timedelta(days=3 if reviewed else 1),
                "privacy_confirmed_at": None if draft else created + timedelta(days=1),
                "version": 1,
            },
            counts=True,
        )
        writer.add(
            ContributionWriter.__table__,
            {
                "contribution_id": contribution_id,
                "user_id": author,
                "position": 0,
                "invited_at": created,
                "accepted_at": created,
            },
        )
        trail = [("created", None, "draft", created)]
        if not draft:
            trail.append(("submit", "draft", "submitted", created + timedelta(days=1)))
            action = final_action[status]
            if reviewed and status != Status.IN_REVIEW:
                trail.append(("take", "submitted", "in_review", created + timedelta(days=2)))
                trail.append((action, "in_review", status.value, created + timedelta(days=3)))
            elif action:
                trail.append((action, "submitted", status.value, created + timedelta(days=2)))
        for action, before, after, when in trail:
            writer.add(
                ContributionEvent.__table__,
                {
                    "id": event_id,
                    "contribution_id": contribution_id,
                    "actor_id": author
                    if action in ("created", "submit", "withdraw")
                    else rng.choice(moderators),
                    "action": action,
                    "from_status": before,
                    "to_status": after,
                    "message": "",
                    "message_html": "",
                    "data": {},
                    "created_at": when,
                },
            )
            event_id += 1
        for endorser, endorsement in zip(endorsers, endorsement_kinds, strict=True):
            writer.add(
                EndorsementRow.__table__,
                {
                    "contribution_id": contribution_id,
                    "user_id": endorser,
                    "kind": endorsement.value,
                    "neighbourhood_id": None,
                    "created_at": created + timedelta(days=2),
                },
            )
        if status == Status.PROMOTED:
            writer.add(
                LessonOrigin.__table__,
                {
                    "lesson_id": lesson,
                    "contribution_id": contribution_id,
                    "revision_id": revision,
                    "how": "change" if kind == Kind.CHANGE else "into_lesson",
                    "promoted_by_id": rng.choice(moderators),
                    "created_at": created + timedelta(days=3),
                },
            )
        contribution_id += 1
    writer.flush()
    _move_sequences(
        [
            User,
            Theme,
            Chapter,
            Lesson,
            LessonRevision,
            Circle,
            Meeting,
            Thread,
            Post,
            Contribution,
            ContributionEvent,
        ]
    )

    documents = _reindex(progress) if index else 0
    commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # What autovacuum would do in a while (where it runs), at once: the planner's statistics for
        # the tables just filled (without them it takes a million rows for a few and plans so), and
        # the visibility map, without which an index-only scan reads the table too (search at a
        # million posts: p95 126 ms before, 90 ms after, on a slow machine).
        # (on a connection of its own: VACUUM runs outside a transaction; it leaves the tables'
        # length alone, as shortening them waits for every transaction that has them open)
        with db.engine.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            connection.execute(text(f"VACUUM (ANALYZE, TRUNCATE false) {tables}"))
    return {
        "members": sizes.users,
        "lessons": sizes.lessons,
        "circles": sizes.circles,
        "threads": sizes.threads,
        "posts": sizes.posts,
        "contributions": sizes.contributions,
        "search documents": documents,
    }


def _reindex(progress: Callable[[int], None]) -> int:
    """The search index from scratch, as ``search reindex`` builds it, but inserted in batches."""
    from cop import panels
    from cop.search import SearchDocument, SearchWord
    from cop.search.index import _add_words, _ids
    from cop.search.text import index_text

    name = db.session.get_bind().dialect.name
    # demo texts come from small pools: prepare each text for the index once
    prepared = lru_cache(maxsize=50_000)(lambda value: index_text(value, name))
    db.session.execute(delete(SearchDocument))
    db.session.execute(delete(SearchWord))
    rows: list[dict] = []
    count = 0
    table = SearchDocument.__table__
    stamp = datetime.now(UTC)
    for part in panels.contributions("search-index"):
        for document in part():
            rows.append(
                {
                    "kind": document.kind,
                    "object_id": document.object_id,
                    "parent_id": document.parent_id,
                    "ref": document.ref[:200],
                    "title": document.title[:300],
                    "context": document.context[:300],
                    "body": document.body,
                    "index_title": prepared(document.title),
                    "index_body": prepared(document.body),
                    "container_kind": document.container_kind,
                    "container_id": document.container_id,
                    "theme_ids": _ids(document.theme_ids)[:300],
                    "place_ids": _ids(document.place_ids)[:300],
                    "hidden": document.hidden,
                    "updated_at": stamp,
                }
            )
            if document.public_words:
                _add_words(f"{document.title} {document.body}")
            count += 1
            if len(rows) >= BATCH // 5:
                db.session.execute(insert(table), rows)
                progress(len(rows))
                rows = []
    if rows:
        db.session.execute(insert(table), rows)
        progress(len(rows))
    return count

"""The contributions' pages run a fixed number of queries, however many contributions there are:
the review queue, the list, a neighbourhood's page, what neighbourhoods learn from each other, and
a lesson's provenance. The rows are inserted in bulk (statuses mixed), a few comments through the
services so that the cards show comment counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from cop.contributions import Contribution, ContributionWriter, LessonOrigin, services
from cop.contributions.models import contribution_places, contribution_themes
from cop.contributions.states import Status
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide import queries as guide_queries
from cop.places import queries as places_queries
from tests.conftest import empty_all_tables, logged_in
from tests.factories import make_user
from tests.guide.factories import import_shipped, make_lesson
from tests.places.factories import import_places, place

STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.PROMOTED)

# Measured on SQLite and PostgreSQL (the same on both); a change that adds a query per row fails
# the flatness check, one that adds a fixed query fails these.
LIMITS = {
    "queue": 7,
    "queue-included": 7,
    "list-anonymous": 7,
    "list-member": 9,
    "neighbourhood-anonymous": 7,
    "neighbourhood-member": 9,
    "learning-anonymous": 2,
    "learning-member": 4,
}
# the lesson page with its provenance (one query, however many contributions); a member's costs
# three more: loading the member, their unread notifications, the open improvements (their first
# visit also records that they read it: measured in tests/platform/test_flat_queries.py)
LESSON_LIMITS = {"anonymous": 8, "member": 11}


def _row(number: int, author_id: int, assignee_id: int | None, status: Status, when) -> dict:
    text = {"situation": f"Aanleiding {number}", "approach": f"Aanpak {number}", "lesson": f"Les {number}"}
    return {
        "kind": "praktijkervaring",
        "status": status,
        "title": f"Bijdrage {number:04d}",
        "fields": text,
        "fields_html": {name: f"<p>{value}</p>" for name, value in text.items()},
        "result_bases": ["gemeten"],
        "author_id": author_id,
        "assignee_id": assignee_id if status == Status.IN_REVIEW else None,
        "recognised_count": number % 5,
        "works_here_count": number % 3,
        "endorsement_count": number % 5 + number % 3,
        "created_at": when,
        "updated_at": when,
        "submitted_at": when,
        "status_changed_at": when,
        "privacy_confirmed_at": when,
        "version": 1,
    }


def insert_contributions(
    rows: list[dict], writers: list[list[int]], places: list[list[int]], themes
) -> list[int]:
    """Contributions with their (accepted) writers, neighbourhoods and themes, in a few statements."""
    ids = list(
        db.session.scalars(
            insert(Contribution).returning(Contribution.id, sort_by_parameter_order=True), rows
        )
    )
    now = utcnow()

    def add(table, values: list[dict]) -> None:
        if values:
            db.session.execute(insert(table), values)

    add(
        ContributionWriter,
        [
            {"contribution_id": cid, "user_id": uid, "position": p, "invited_at": now, "accepted_at": now}
            for cid, users in zip(ids, writers, strict=True)
            for p, uid in enumerate(users)
        ],
    )
    add(
        contribution_places,
        [
            {"contribution_id": cid, "neighbourhood_id": pid}
            for cid, pids in zip(ids, places, strict=True)
            for pid in pids
        ],
    )
    add(
        contribution_themes,
        [
            {"contribution_id": cid, "theme_id": tid}
            for cid, tids in zip(ids, themes, strict=True)
            for tid in tids
        ],
    )
    return ids


def build(size: int) -> dict:
    """The guide, the neighbourhoods, people, ``size`` contributions from Kanaleneiland (some from
    Ondiep too), the promoted ones recorded in lesson 1.2, and comments on the newest ones."""
    import_shipped()
    import_places()
    anna = make_user(display_name="Anna de Boer")
    bram = make_user(display_name="Bram Jansen")
    moderator = make_user("moderator", display_name="Mo Derator")
    member = make_user(display_name="Mees Lezer")
    kanaleneiland, ondiep = place("kanaleneiland-utrecht"), place("ondiep-utrecht")
    theme_ids = [theme.id for theme in guide_queries.themes()[:3]]
    start = utcnow() - timedelta(days=30)
    rows, writers, places, themes = [], [], [], []
    for n in range(size):
        author = (anna, bram)[n % 2]
        rows.append(_row(n, author.id, moderator.id, STATUSES[n % 3], start + timedelta(seconds=n)))
        writers.append([author.id] if n % 4 else [author.id, (bram, anna)[n % 2].id])
        places.append([kanaleneiland.id] if n % 4 else [kanaleneiland.id, ondiep.id])
        themes.append(theme_ids[: 1 + n % 3])
    ids = insert_contributions(rows, writers, places, themes)
    lesson = guide_queries.lesson_by_ref("1.2")
    db.session.execute(
        insert(LessonOrigin),
        [
            {
                "lesson_id": lesson.id,
                "contribution_id": cid,
                "revision_id": lesson.current_revision_id,
                "how": "into_lesson",
                "promoted_by_id": moderator.id,
                "created_at": start,
            }
            for n, cid in enumerate(ids)
            if STATUSES[n % 3] == Status.PROMOTED
        ],
    )
    db.session.commit()
    for cid in ids[-3:]:  # one of each status: the cards show how many comments
        services.comment(db.session.get(Contribution, cid), member, "Herkenbaar, bij ons ook.")
    db.session.expire_all()
    return {"moderator": moderator, "member": member, "ids": ids}


PAGES = {
    "queue": ("moderator", "/moderatie/beoordelen"),
    "queue-included": ("moderator", "/moderatie/beoordelen?lijst=opgenomen"),
    "list-anonymous": ("anonymous", "/bijdragen/"),
    "list-member": ("member", "/bijdragen/"),
    "neighbourhood-anonymous": ("anonymous", "/wijk/kanaleneiland-utrecht"),
    "neighbourhood-member": ("member", "/wijk/kanaleneiland-utrecht"),
    "learning-anonymous": ("anonymous", "/wijken/leren"),
    "learning-member": ("member", "/wijken/leren"),
}


def measure(app, count_queries, world: dict) -> tuple[dict, dict]:
    clients = {
        "anonymous": app.test_client(),
        "member": logged_in(app, world["member"]),
        "moderator": logged_in(app, world["moderator"]),
    }
    counts, pages = {}, {}
    for name, (viewer, path) in PAGES.items():
        client = clients[viewer]
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, (name, path)
        counts[name] = counter.count
        pages[name] = response.get_data(as_text=True)
    return counts, pages


def test_contribution_pages_run_the_same_queries_for_10_and_1000_contributions(app, count_queries):
    small_world = build(10)
    small, small_pages = measure(app, count_queries, small_world)
    empty_all_tables()
    large_world = build(1000)
    large, pages = measure(app, count_queries, large_world)
    print(f"\ncontribution query counts (10): {small}\ncontribution query counts (1000): {large}")

    # the pages show what they should, at both sizes: the newest is submitted (999), the one before
    # promoted (998), the one before that in review (997)
    promoted, reviewed, waiting = "Bijdrage 0998", "Bijdrage 0997", "Bijdrage 0999"
    for name in ("list-anonymous", "neighbourhood-anonymous"):
        assert promoted in pages[name], name
        assert reviewed not in pages[name] and waiting not in pages[name], name
    for name in ("list-member", "neighbourhood-member"):
        assert promoted in pages[name] and reviewed in pages[name] and waiting in pages[name], name
    assert "Bijdrage 0000" in pages["queue"] and "Bijdrage 0001" in pages["queue"]  # oldest first
    assert promoted not in pages["queue"] and "Bijdrage 0002" in pages["queue-included"]
    assert (
        "Bijdrage 0009" in small_pages["list-member"] and "Bijdrage 0008" in small_pages["learning-anonymous"]
    )
    assert "Ondiep" in pages["learning-anonymous"]

    assert small == large, (small, large)
    for name, limit in LIMITS.items():
        assert large[name] <= limit, (name, large[name], limit)


def test_a_lessons_provenance_runs_the_same_queries_for_1_and_20_contributions(app, count_queries):
    import_shipped()
    import_places()
    chapter = guide_queries.chapters()[0]
    moderator = make_user("moderator")
    single = make_lesson(chapter, "1.20", title="Les uit een bijdrage")
    many = make_lesson(chapter, "1.21", title="Les uit twintig bijdragen")
    writers = [
        make_user(display_name=f"Schrijver {n:02d}", organisation=f"Organisatie {n:02d}") for n in range(42)
    ]
    neighbourhoods = places_queries.choices_for(None)[:21]
    assert len(neighbourhoods) == 21
    start = utcnow() - timedelta(days=5)
    rows = [
        _row(n, writers[2 * n].id, None, Status.PROMOTED, start + timedelta(minutes=n)) for n in range(21)
    ]
    ids = insert_contributions(
        rows,
        [[writers[2 * n].id, writers[2 * n + 1].id] for n in range(21)],
        [[neighbourhoods[n].id] for n in range(21)],
        [[] for _ in range(21)],
    )
    db.session.execute(
        insert(LessonOrigin),
        [
            {
                "lesson_id": (many if n < 20 else single).id,
                "contribution_id": cid,
                "revision_id": (many if n < 20 else single).current_revision_id,
                "how": "into_lesson",
                "promoted_by_id": moderator.id,
                "created_at": start + timedelta(minutes=n),
            }
            for n, cid in enumerate(ids)
        ],
    )
    db.session.commit()
    db.session.expire_all()

    clients = {"anonymous": app.test_client(), "member": logged_in(app, make_user())}
    counts = {}
    for viewer, client in clients.items():
        for lesson in (single, many):
            path = f"/les/{lesson.ref}"
            client.get(path)
            with count_queries() as counter:
                response = client.get(path)
            assert response.status_code == 200, path
            counts[(viewer, lesson.number)] = counter.count
    print(f"\nlesson page query counts: {counts}")
    for viewer, limit in LESSON_LIMITS.items():
        assert counts[(viewer, "1.20")] == counts[(viewer, "1.21")], counts
        assert counts[(viewer, "1.21")] <= limit, counts

    page = app.test_client().get(f"/les/{many.ref}").get_data(as_text=True)
    for writer in writers[:40]:
        assert writer.display_name in page, writer.display_name
        assert writer.organisation in page
        assert f"/leden/{writer.handle}" in page
    for n in range(20):
        assert f'href="/wijk/{neighbourhoods[n].slug}"' in page, neighbourhoods[n].slug
        assert f'href="/bijdrage/{ids[n]}"' in page
    # the 21st contribution is the other lesson's, not this one's
    assert writers[40].display_name not in page and f'href="/bijdrage/{ids[20]}"' not in page
    other = app.test_client().get(f"/les/{single.ref}").get_data(as_text=True)
    assert writers[40].display_name in other and writers[41].display_name in other
    assert writers[0].display_name not in other

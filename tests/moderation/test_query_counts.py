"""/moderatie/ and /moderatie/logboek run the same number of queries with 10 and with 200 reported
items and audit entries (rows inserted in bulk: posts of several members, each reported by two
members; a reported profile; audit entries of two moderators)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from cop.db_types import utcnow
from cop.discussions import Post
from cop.extensions import db
from cop.moderation import AuditEntry, Flag
from tests.conftest import empty_all_tables, logged_in
from tests.discussions.factories import bulk_posts, start_thread
from tests.factories import make_user

# Measured on SQLite and PostgreSQL (the same on both).
LIMITS = {"dashboard": 9, "log": 5, "log-filtered": 5}


def build(size: int) -> dict:
    writers = [make_user(display_name=f"Schrijver {n}") for n in range(3)]
    reporters = [make_user(display_name=f"Melder {n}") for n in range(2)]
    moderator = make_user("moderator", display_name="Mo Derator")
    other = make_user("moderator", display_name="Mia Moderator")
    thread = start_thread(writers[0], title="Veel berichten", body="Begin")
    bulk_posts(thread, writers, size)
    post_ids = list(db.session.scalars(select(Post.id).where(Post.thread_id == thread.id, Post.number > 1)))
    start = utcnow() - timedelta(days=3)
    flags = [
        {
            "subject_kind": "post",
            "subject_id": post_id,
            "reporter_id": reporter.id,
            "reason": ("spam", "offensive")[n % 2],
            "text": "Hoort hier niet",
            "created_at": start + timedelta(minutes=n),
            "status": "open",
            "outcome": "",
            "note": "",
        }
        for n, post_id in enumerate(post_ids)
        for reporter in reporters
    ]
    # a reported profile, the newest: on the first page at both sizes (a query of its own kind)
    flags.append({**flags[0], "subject_kind": "member", "subject_id": writers[1].id, "created_at": utcnow()})
    db.session.execute(insert(Flag), flags)
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "created_at": start + timedelta(minutes=n),
                "actor_id": (moderator, other)[n % 2].id,
                "actor_label": (moderator, other)[n % 2].display_name,
                "action": ("thread_lock", "post_hidden", "member_suspended")[n % 3],
                "subject_kind": "thread",
                "subject_id": thread.id,
                "subject_label": f"Regel {n:04d}",
                "reason": "Omdat",
                "details": {},
            }
            for n in range(size)
        ],
    )
    db.session.commit()
    db.session.expire_all()
    return {"moderator": moderator, "other": other}


def measure(app, count_queries, world) -> tuple[dict, dict]:
    client = logged_in(app, world["moderator"])
    paths = {
        "dashboard": "/moderatie/",
        "log": "/moderatie/logboek",
        "log-filtered": f"/moderatie/logboek?wie={world['other'].id}&actie=post_hidden&van=2000-01-01",
    }
    counts, pages = {}, {}
    for name, path in paths.items():
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = counter.count
        pages[name] = response.get_data(as_text=True)
    return counts, pages


def test_moderation_pages_run_the_same_queries_for_10_and_200_rows(app, count_queries):
    small, small_pages = measure(app, count_queries, build(10))
    empty_all_tables()
    large, pages = measure(app, count_queries, build(200))
    print(f"\nmoderation query counts (10): {small}\nmoderation query counts (200): {large}")
    assert "11 onderdelen hebben open meldingen." in small_pages["dashboard"]
    assert "201 onderdelen hebben open meldingen." in pages["dashboard"]
    assert "Melder 0" in pages["dashboard"] and "Melder 1" in pages["dashboard"]
    assert "200 regels" in pages["log"] and "Regel 0199" in pages["log"] and "Regel 0149" not in pages["log"]
    assert "Regel 0199" in pages["dashboard"]  # recent actions
    assert small == large, (small, large)
    for name, limit in LIMITS.items():
        assert large[name] <= limit, (name, large[name], limit)

"""Mijn gegevens runs a fixed number of queries: the page, and the download however much the member
wrote (every part reads its rows in bulk)."""

from __future__ import annotations

import io
import json
import zipfile

from cop.contributions import services as contribution_services
from cop.guide import queries as guide_queries
from tests.conftest import logged_in
from tests.contributions import factories as contribution_factories
from tests.discussions.factories import bulk_posts, start_thread
from tests.factories import make_user
from tests.guide.factories import import_shipped

# Measured on SQLite and PostgreSQL: the page 2 (the member, the unread count), the download 25 (every
# package's part, moderation's audit entries included).
LIMITS = {"page": 2, "download": 25}


def build(posts: int, contributions: int, name: str) -> dict:
    """A member with ``posts`` posts (half of them theirs), contributions and endorsements."""
    member = make_user(display_name=name)
    other = make_user(display_name=f"Ander dan {name}")
    thread = start_thread(member, theme=guide_queries.themes()[0], title=f"Draad van {name}")
    bulk_posts(thread, [member, other], posts)
    for number in range(contributions):
        contribution_factories.submitted(
            contribution_factories.practice(member, title=f"Mijn {number}"), member
        )
        theirs = contribution_factories.submitted(
            contribution_factories.practice(other, title=f"Hun {number}"), other
        )
        contribution_services.endorse(theirs, member, "herkenbaar")
    return {"member": member}


def measure(app, count_queries, world) -> tuple[dict, dict]:
    client = logged_in(app, world["member"])
    counts = {}
    with count_queries() as counter:
        assert client.get("/account/gegevens").status_code == 200
    counts["page"] = counter.count
    with count_queries() as counter:
        response = client.post("/account/gegevens/download")
    assert response.status_code == 200
    counts["download"] = counter.count
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    parts = {
        name[:-5]: json.loads(archive.read(name)) for name in archive.namelist() if name.endswith(".json")
    }
    return counts, parts


def test_my_data_runs_the_same_queries_for_few_and_many_rows(app, count_queries):
    import_shipped()
    small_world = build(posts=10, contributions=2, name="Weinig Schrijver")
    large_world = build(posts=400, contributions=12, name="Veel Schrijver")
    small, small_parts = measure(app, count_queries, small_world)
    large, large_parts = measure(app, count_queries, large_world)
    print(f"\nmy data query counts (10 posts): {small}\nmy data query counts (400 posts): {large}")
    assert len(small_parts["berichten"]) == 1 + 5 and len(large_parts["berichten"]) == 1 + 200
    assert len(large_parts["bijdragen"]) == 12 and len(large_parts["steunbetuigingen"]) == 12
    assert small == large
    for name, limit in LIMITS.items():
        assert large[name] <= limit, (name, large[name])

"""Every main read page runs the same small number of SQL statements on a forum-like database and
on one ten times its size (issue 13).

Both databases come from the demo seeder (``cop/demo/seed.py``) with the shape of its ``forum``
and ``large`` presets, small enough for CI: one theme holding every thread and one long thread in
the first; six themes, ten times the members, threads, posts, circles, contributions and lessons
(two chapters) and three long threads in the second. The pages are found by asking the seeded
database (the longest thread, the busiest theme, a lesson that credits the contributions it came
from, an open learning circle, a promoted contribution, someone's public profile), and read as a
visitor, as a member of that circle and (the review queue) as a moderator. A member's first visit
may also record what they read (a lesson, a thread's reading position): it is measured apart from
the visit after it, which writes nothing.
"""

from __future__ import annotations

from sqlalchemy import func, select

from cop.accounts import User
from cop.circles.models import Circle, CircleMember
from cop.contributions.models import Contribution, LessonOrigin
from cop.contributions.states import Status
from cop.demo import PRESETS, seed
from cop.discussions.models import Thread
from cop.extensions import db
from cop.guide.models import Chapter, Lesson, LessonStatus, Theme
from tests.conftest import empty_all_tables, logged_in

LIMIT = 12

FORUM_LIKE = PRESETS["forum"].with_counts(
    users=10, threads=40, posts=450, contributions=14, circles=2, lessons=20, themes=1, long_threads=(200,)
)
BIGGER = PRESETS["large"].with_counts(
    users=100,
    threads=400,
    posts=4500,
    contributions=140,
    circles=20,
    lessons=200,
    themes=6,
    long_threads=(2000, 500, 500),
)

# page name: (path template, the roles that read it)
PAGES = {
    "home": ("/", ("anonymous", "member")),
    "guide": ("/gids/", ("anonymous", "member")),
    "chapter": ("/gids/{chapter}/", ("anonymous", "member")),
    "lesson": ("/les/{lesson}", ("anonymous", "member")),
    "theme": ("/thema/{theme}", ("anonymous", "member")),
    "thread first page": ("/discussie/{thread}", ("anonymous", "member")),
    "thread last page": ("/discussie/{thread}?pagina={last_page}", ("anonymous", "member")),
    "circle list": ("/leerkringen/", ("anonymous", "member")),
    "circle": ("/leerkring/{circle}", ("anonymous", "member")),
    "contribution": ("/bijdrage/{contribution}", ("anonymous", "member")),
    "search": ("/zoeken?q=buurthuis", ("anonymous", "member")),
    "mijn": ("/mijn", ("member",)),
    "review queue": ("/moderatie/beoordelen", ("moderator",)),
    "profile": ("/leden/{profile}", ("anonymous", "member")),
}


def _world() -> tuple[dict, dict]:
    """The seeded database's pages to read, and the viewers."""
    # an open learning circle (with a reading plan), the viewing member one of its members, and the
    # public profile of someone else
    circle = db.session.scalars(
        select(Circle).where(Circle.visibility == "open", Circle.kind == "leerkring").order_by(Circle.id)
    ).first()
    member = db.session.scalars(
        select(User)
        .join(CircleMember, (CircleMember.user_id == User.id) & (CircleMember.circle_id == circle.id))
        .where(User.role == "member")
        .order_by(User.id)
    ).first()
    profile = db.session.scalars(
        select(User).where(User.profile_public.is_(True), User.id != member.id).order_by(User.id)
    ).first()
    longest = db.session.scalars(select(Thread).order_by(Thread.last_number.desc(), Thread.id)).first()
    busiest_theme = db.session.scalars(
        select(Theme)
        .join(Thread, (Thread.container_kind == "theme") & (Thread.container_id == Theme.id))
        .group_by(Theme.id)
        .order_by(func.count(Thread.id).desc(), Theme.id)
    ).first()
    chapter = db.session.scalars(select(Chapter).order_by(Chapter.number)).first()
    # a lesson that came from a promoted contribution: its page credits the writers
    lesson = db.session.scalars(
        select(Lesson)
        .join(LessonOrigin, LessonOrigin.lesson_id == Lesson.id)
        .where(Lesson.status == LessonStatus.PUBLISHED)
        .order_by(Lesson.id)
    ).first()
    contribution = db.session.scalars(
        select(Contribution).where(Contribution.status == Status.PROMOTED).order_by(Contribution.id)
    ).first()
    names = {
        "chapter": chapter.number,
        "lesson": lesson.ref,
        "theme": busiest_theme.slug,
        "thread": longest.ref,
        "last_page": longest.pages,
        "circle": circle.slug,
        "contribution": contribution.id,
        "profile": profile.handle,
    }
    assert longest.pages > 1
    moderator = db.session.scalars(select(User).where(User.role == "moderator").order_by(User.id)).first()
    return names, {"member": member, "moderator": moderator}


def _measure(app, count_queries, sizes) -> tuple[dict, dict]:
    """Statements per (page, role): on a first visit, and on the visit after it (a visitor's are
    the same: a visitor's read writes nothing, tests/discussions/test_threads.py)."""
    seed(sizes)
    names, viewers = _world()
    clients = {"anonymous": app.test_client()}
    clients.update({role: logged_in(app, user) for role, user in viewers.items()})
    first, again = {}, {}
    for page, (template, roles) in PAGES.items():
        path = template.format(**names)
        for role in roles:
            if role == "anonymous":  # the first search on a connection prepares it (cop.sql): once
                clients[role].get(path)
            for counts in (first, again) if role != "anonymous" else (again,):
                with count_queries() as counter:
                    response = clients[role].get(path)
                assert response.status_code == 200, (path, role)
                counts[page, role] = counter.count
            first.setdefault((page, role), again[page, role])
    return first, again


def test_every_read_page_runs_the_same_few_queries_at_forum_size_and_ten_times_larger(app, count_queries):
    small_first, small = _measure(app, count_queries, FORUM_LIKE)
    empty_all_tables()
    bigger_first, bigger = _measure(app, count_queries, BIGGER)
    table = "\n".join(
        f"{page:18} {role:10} {small[page, role]:3} {bigger[page, role]:3}"
        f"   first visit {small_first[page, role]:3} {bigger_first[page, role]:3}"
        for page, role in small
    )
    print(f"\nqueries (forum-like, ten times larger):\n{table}")
    assert small == bigger, {key: (small[key], bigger[key]) for key in small if small[key] != bigger[key]}
    assert max(bigger.values()) <= LIMIT, {key: n for key, n in bigger.items() if n > LIMIT}
    # a member's first visit may record what they read: a write, and the member loaded again after
    # its commit, at most
    assert small_first == bigger_first, (small_first, bigger_first)
    assert all(bigger[key] <= bigger_first[key] <= bigger[key] + 2 for key in bigger), bigger_first

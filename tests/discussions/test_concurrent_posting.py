"""No lost writes (issue 13): many members posting into the same threads at the same moment, served
as in production.

Four gunicorn workers serve the app against this run's database (SQLite or PostgreSQL), with CSRF
on and the rate limits counted in Redis. Fifty members log in through the form, and each posts forty
replies into the same five threads, edits a few of them and deletes one, as a browser does (it
fetches the form for its CSRF token and follows the redirect now and then), while readers page
through the threads. Afterwards every reply is stored once, under the number its author was sent
to; the numbers run 1…n; each thread's reply count and last-post pointers agree with its posts;
every follower has exactly the notifications the rules promise; the members' posting counters were
shared by the workers; and nobody saw an error: on SQLite a wait for the write lock is absorbed by
the busy timeout and a retry.

Loopback only, bounded in requests and time. Find it with ``pytest -m concurrency``.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import OperationalError

from cop.accounts.models import User
from cop.discussions import services
from cop.discussions.models import FollowLevel, Post, PostRevision, Thread
from cop.extensions import db
from cop.mail import OutboxMail
from cop.notifications.models import Notification, NotificationBatch
from tests.browser import free_port
from tests.conftest import make_test_app
from tests.discussions.factories import start_thread
from tests.factories import PASSWORD, make_user
from tests.guide.factories import make_theme

pytestmark = [pytest.mark.commits, pytest.mark.concurrency]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
MEMBERS = 50
REPLIES = 40  # per member, spread over the threads in turn
THREADS = 5
READERS = 3  # two visitors and one member who only read
EDITS = (12, 25, 38)  # after these replies the member edits the reply it posted four replies before
DELETE_AT = 33  # … and after this one deletes the reply it posted three before
FOLLOW_EVERY = 5  # follow the redirect after every fifth reply, as a browser does after each
READS_MAX = 300  # requests per reader, at most
# A bound, not a benchmark: the server needs about 150 s of CPU for the run (some 80 s on two idle
# cores); a machine shared with other work takes several times that.
RUN_SECONDS_MAX = 900
REDIS_URL = "redis://127.0.0.1:6379/14"  # each run counts under a key prefix of its own

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
POSTED = re.compile(r"^/discussie/(?P<ref>[^/?#]+)(?:\?pagina=\d+)?#bericht-(?P<number>\d+)$")
PAGES = re.compile(r"[?&]pagina=(\d+)")


# --- the server -----------------------------------------------------------------------------------


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis is not running at {REDIS_URL}: {error}"
        if os.environ.get("COP_REQUIRE_BROWSER"):  # set in CI, which starts Redis before the suite
            pytest.fail(message)
        pytest.skip(message)
    return client


@dataclass
class Server:
    port: int
    log: Path

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def server(database_url, tmp_path):
    """gunicorn with four workers on a free loopback port, on this run's database, configured as the
    tests are (cheap password hashing) but with CSRF, rate limits in Redis and errors as in
    production. The posting limit is exactly what each member posts, so the 41st would be refused."""
    counters = _redis()
    prefix = f"cop-test-{secrets.token_hex(4)}"  # this run's counters, apart from any other run's
    port = free_port()
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": False,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix},
        "RATELIMIT_POSTING": f"{REPLIES} per hour",
        "RATELIMIT_LOGIN": f"{MEMBERS * 4} per hour",  # every member logs in from 127.0.0.1
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    app_spec = "cop:create_app(" + ", ".join(f"{key}={value!r}" for key, value in settings.items()) + ")"
    env = {**os.environ, "FLASK_CONFIG": "testing", "COP_INSTANCE_PATH": str(tmp_path), "HOME": str(tmp_path)}
    log = tmp_path / "gunicorn.log"
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        *("--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--no-control-socket"),
        *("--log-level", "warning", "--timeout", "60", app_spec),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()}"
            time.sleep(0.2)
        yield Server(port, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for key in counters.scan_iter(f"{prefix}*"):
            counters.delete(key)


# --- a browser ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    text: str


@dataclass
class Traffic:
    """What every client met: the number of requests, and each answer that was not the one expected."""

    requests: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, problem: str | None = None) -> None:
        with self.lock:
            self.requests += 1
            if problem:
                self.problems.append(problem)


class Visitor:
    """One browser: its own cookies, a new connection per request (gunicorn's sync workers close
    each), redirects not followed unless asked. An answer other than ``expect`` is recorded."""

    def __init__(self, port: int, traffic: Traffic):
        self.port = port
        self.traffic = traffic
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict | None = None, expect=(200,)) -> Response:
        headers = {"Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrf_token": self.token, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            response = Response(raw.status, raw.getheader("Location") or "", text)
            self._keep_cookies(raw.headers.get_all("Set-Cookie") or [])
        except OSError as error:
            self.traffic.record(f"{method} {path}: {error!r}")
            raise
        finally:
            connection.close()
        problem = None
        if response.status not in expect:
            title = re.search(r"<title>(.*?)</title>", response.text, re.S)
            problem = f"{method} {path}: {response.status} ({title.group(1).strip() if title else ''})"
        self.traffic.record(problem)
        tokens = CSRF.findall(response.text)
        if tokens:
            self.token = tokens[0]
        return response

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, expect=(200,)) -> Response:
        return self.request("GET", path, expect=expect)

    def post(self, path: str, form: dict, expect=(302,)) -> Response:
        return self.request("POST", path, form, expect=expect)

    def log_in(self, email: str) -> None:
        self.get("/account/inloggen")
        self.post("/account/inloggen", {"email": email, "password": PASSWORD})
        self.get("/")  # the page after logging in; its forms carry the new session's token


# --- the journeys ---------------------------------------------------------------------------------


@dataclass
class Reply:
    member: int  # the member's index
    ref: str
    number: int
    body: str
    edited: str | None = None
    deleted: bool = False


def member_journey(visitor: Visitor, index: int, email: str, refs: list[str], replies: list[Reply]) -> None:
    visitor.log_in(email)
    mine: list[Reply] = []
    for i in range(REPLIES):
        ref = refs[(index + i) % THREADS]
        body = f"Reactie {index:02d}-{i:02d} over de wijkaanpak: wat werkte bij ons, **punt {i}**."
        response = visitor.post(f"/discussie/{ref}/reageren", {"body": body, "save": "Plaatsen"})
        sent_to = POSTED.match(response.location)
        if response.status != 302 or sent_to is None or sent_to["ref"] != ref:
            continue  # recorded as a problem (or, for a wrong address, found missing below)
        reply = Reply(index, ref, int(sent_to["number"]), body)
        mine.append(reply)
        if i % FOLLOW_EVERY == 0:
            visitor.get(response.location.split("#")[0])
        if i in EDITS and len(mine) > 4:
            _edit(visitor, mine[-5])
        if i == DELETE_AT and len(mine) > 3:
            target = mine[-4]
            visitor.post(f"/discussie/{target.ref}/bericht/{target.number}/verwijderen", {})
            target.deleted = True
    replies.extend(mine)


def _edit(visitor: Visitor, reply: Reply) -> None:
    path = f"/discussie/{reply.ref}/bericht/{reply.number}/bewerken"
    form = visitor.get(path)
    if form.status != 200:
        return
    edited = reply.body + "\n\nAangevuld na het lezen van de andere reacties."
    if visitor.post(path, {"body": edited, "save": "Opslaan"}).status == 302:
        reply.edited = edited


def reader_journey(visitor: Visitor, refs: list[str], theme_slug: str, done: threading.Event) -> None:
    for _ in range(READS_MAX // (2 * THREADS + 1)):
        if done.is_set():
            return
        visitor.get(f"/thema/{theme_slug}/discussies")
        for ref in refs:
            first = visitor.get(f"/discussie/{ref}")
            last = max((int(n) for n in PAGES.findall(first.text)), default=1)
            visitor.get(f"/discussie/{ref}?pagina={last}")


# --- the test -------------------------------------------------------------------------------------


def test_fifty_members_posting_at_once_lose_no_write_and_see_no_error(server):
    theme = make_theme(slug="wijkaanpak", title="Wijkaanpak")
    members = [make_user(display_name=f"Schrijver {n}") for n in range(MEMBERS)]
    starters = [make_user(display_name=f"Starter {n}") for n in range(THREADS - 1)]
    # The first thread is a question asked by a member who also posts: they hear of every answer.
    question = start_thread(members[0], theme, title="Wie weet raad?", body="Een vraag.", kind="question")
    threads = [question] + [
        start_thread(starter, theme, title=f"Ervaringen met buurtbudgetten {n}", body="Vertel!")
        for n, starter in enumerate(starters)
    ]
    # Followers before the run: members who only read, posters who follow a thread before their first
    # reply there, posters who muted one (they stay muted when they reply), an unconfirmed follower.
    watchers = [make_user(display_name=f"Meelezer {n}") for n in range(10)]
    unconfirmed = make_user(confirmed=False)
    levels: dict[tuple[int, int], FollowLevel] = {}
    for n, user in enumerate(watchers):
        levels[user.id, threads[n % THREADS].id] = FollowLevel.FOLLOWING
    for n, user in enumerate(members[1:16], start=1):
        levels[user.id, threads[n % THREADS].id] = FollowLevel.FOLLOWING
    for n, user in enumerate(members[16:26], start=16):
        levels[user.id, threads[(n + 1) % THREADS].id] = FollowLevel.MUTED
    levels[unconfirmed.id, threads[1].id] = FollowLevel.FOLLOWING
    by_id = {thread.id: thread for thread in threads}
    for (user_id, thread_id), level in levels.items():
        services.set_follow_level(by_id[thread_id], db.session.get(User, user_id), level.value)
    reading_member = make_user(display_name="Alleen Lezer")
    db.session.commit()
    refs = [thread.ref for thread in threads]
    emails = [member.email for member in members]

    traffic, replies, done = Traffic(), [], threading.Event()
    started = time.monotonic()

    def guarded(journey, *args):
        try:
            journey(*args)
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            traffic.record(f"{journey.__name__} stopped: {error!r}")

    workers = [
        threading.Thread(
            target=guarded,
            args=(member_journey, Visitor(server.port, traffic), index, emails[index], refs, replies),
        )
        for index in range(MEMBERS)
    ]
    readers = []
    for n in range(READERS):
        visitor = Visitor(server.port, traffic)
        if n == 0:
            visitor.log_in(reading_member.email)
        readers.append(
            threading.Thread(target=guarded, args=(reader_journey, visitor, refs, theme.slug, done))
        )
    for thread in workers + readers:
        thread.start()
    for thread in workers:
        thread.join(timeout=max(1, RUN_SECONDS_MAX - (time.monotonic() - started)))
    done.set()
    for thread in readers:
        thread.join(timeout=30)
    elapsed = time.monotonic() - started
    print(
        f"\n{db.engine.dialect.name}: {traffic.requests} requests by {MEMBERS} members and {READERS} "
        f"readers in {elapsed:.1f} s ({traffic.requests / elapsed:.0f}/s), {len(replies)} replies"
    )
    assert not any(thread.is_alive() for thread in workers + readers), f"still running after {elapsed:.0f} s"
    assert traffic.problems == [], (
        f"{len(traffic.problems)} unexpected answers, e.g. {traffic.problems[:10]}\n"
        f"server log:\n{server.log_tail()}"
    )
    assert len(replies) == MEMBERS * REPLIES

    db.session.expire_all()
    posts = db.session.scalars(select(Post).where(Post.thread_id.in_(by_id)).order_by(Post.id)).all()
    _every_reply_stored_once_where_its_author_was_sent(posts, replies, members, by_id)
    _numbers_counts_and_last_posts_agree(posts, by_id)
    _every_batch_was_written_after_its_response()
    _followers_heard_of_exactly_the_replies_the_rules_promise(posts, by_id, levels, members[0])
    _the_posting_limit_was_counted_across_the_workers(server, emails[-1], refs[-1], len(posts))
    assert "Traceback" not in server.log.read_text(errors="replace"), server.log_tail()


def _every_reply_stored_once_where_its_author_was_sent(posts, replies, members, by_id) -> None:
    bodies = Counter(post.body for post in posts)
    at = {(by_id[post.thread_id].ref, post.number): post for post in posts}
    revisions = defaultdict(list)
    for revision in db.session.scalars(select(PostRevision)):
        revisions[revision.post_id].append(revision.body)
    for reply in replies:
        post = at.get((reply.ref, reply.number))
        assert post is not None, f"reply {reply.body!r} sent to #{reply.number} is missing"
        assert post.author_id == members[reply.member].id
        assert post.body == (reply.edited or reply.body)
        assert bodies[post.body] == 1, f"{post.body!r} stored {bodies[post.body]} times"
        assert revisions[post.id] == ([reply.body] if reply.edited else [])
        assert (post.edited_at is not None) == (reply.edited is not None)
        assert (post.deleted_at is not None) == reply.deleted
    assert len(posts) == THREADS + MEMBERS * REPLIES  # the opening posts, and nothing else
    assert sum(reply.edited is not None for reply in replies) == MEMBERS * len(EDITS)
    assert sum(reply.deleted for reply in replies) == MEMBERS


def _numbers_counts_and_last_posts_agree(posts, by_id) -> None:
    in_thread = defaultdict(list)
    for post in posts:
        in_thread[post.thread_id].append(post)
    for thread_id, thread_posts in in_thread.items():
        thread = by_id[thread_id]
        db.session.refresh(thread)
        thread_posts.sort(key=lambda post: post.number)
        numbers = [post.number for post in thread_posts]
        assert numbers == list(range(1, len(numbers) + 1)), f"gaps or duplicates in {thread.ref}"
        assert thread.last_number == numbers[-1]
        readable = [post for post in thread_posts if not post.is_deleted and not post.is_hidden]
        assert thread.reply_count == len(readable) - 1  # the opening post is no reply
        times = [post.created_at for post in thread_posts]
        assert times == sorted(times), f"a later number has an earlier time in {thread.ref}"
        last = readable[-1]
        assert (thread.last_poster_id, thread.last_posted_at) == (last.author_id, last.created_at)


BATCHES_WRITTEN_WITHIN = 30  # seconds: the last responses' workers may still be writing theirs


def _every_batch_was_written_after_its_response() -> None:
    """Each reply's notifications are written by its worker once the response has gone out
    (cop/notifications/batches.py): a moment after the last responses, none is waiting, and none
    failed."""
    deadline = time.monotonic() + BATCHES_WRITTEN_WITHIN
    waiting = None
    while time.monotonic() < deadline:
        db.session.rollback()
        waiting = db.session.scalar(select(func.count()).select_from(NotificationBatch))
        if waiting == 0:
            return
        time.sleep(0.2)
    pytest.fail(f"{waiting} notification batch(es) still waiting {BATCHES_WRITTEN_WITHIN} s after the run")


def _followers_heard_of_exactly_the_replies_the_rules_promise(posts, by_id, levels, asker) -> None:
    """cop/notifications/making.py: of each reply, every member who follows the thread hears (the
    question's asker with "answer", the others with "reply"), except its author. A member follows a
    thread they started, or chose to follow, or replied in (unless they muted it): from their first
    reply on, so of the replies numbered after it. Unconfirmed members and muted ones hear nothing."""
    confirmed = set(db.session.scalars(select(User.id).where(User.confirmed_at.is_not(None))))
    expected = set()
    for thread_id, thread in by_id.items():
        replies = [post for post in posts if post.thread_id == thread_id and post.number > 1]
        replies.sort(key=lambda post: post.number)
        following_from = {thread.author_id: 1}  # from the opening post on
        for (user_id, followed_id), level in levels.items():
            if followed_id == thread_id and level == FollowLevel.FOLLOWING:
                following_from[user_id] = 1
        for post in replies:
            if levels.get((post.author_id, thread_id)) != FollowLevel.MUTED:
                following_from.setdefault(post.author_id, post.number)
        for post in replies:
            for user_id, since in following_from.items():
                if since < post.number and user_id != post.author_id and user_id in confirmed:
                    kind = "answer" if thread.is_question and user_id == thread.author_id else "reply"
                    expected.add((user_id, post.id, kind))
    made = db.session.execute(select(Notification.user_id, Notification.post_id, Notification.kind)).all()
    assert len(made) == len(set(made)), "a member was told of one reply twice"
    missing, extra = expected - set(made), set(made) - expected
    assert not missing and not extra, f"missing {sorted(missing)[:5]}… ({len(missing)}), extra {len(extra)}"
    answers = sum(kind == "answer" for _user, _post, kind in made)
    assert answers > 0 and all(user == asker.id for user, _post, kind in made if kind == "answer")
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.list_kind == "answer")).all()
    assert len(mails) == answers and {mail.recipient_id for mail in mails} == {asker.id}


def _the_posting_limit_was_counted_across_the_workers(server, email, ref, stored) -> None:
    """Each member posted exactly the limit, through four workers: only a count shared in Redis
    refuses the next reply."""
    visitor = Visitor(server.port, Traffic())
    visitor.log_in(email)
    response = visitor.post(f"/discussie/{ref}/reageren", {"body": "Nog eentje dan.", "save": "Plaatsen"})
    assert response.status == 429 and "Nog eentje dan." in response.text
    assert len(db.session.scalars(select(Post.id)).all()) == stored


# --- the same races, one at a time ----------------------------------------------------------------


def test_a_delete_counts_the_replies_committed_since_its_thread_was_read(app):
    """A member deletes a reply while another's reply is committed in between: the count includes it."""
    author, other = make_user(), make_user()
    thread = start_thread(author, make_theme())
    gone = services.reply(thread, author, "Dit haal ik weer weg.")
    assert thread.reply_count == 1  # what the deleting request has read
    with app.app_context():  # another request, with a session of its own, replies and commits
        services.reply(db.session.get(Thread, thread.id), db.session.get(User, other.id), "Ik ook!")
    services.delete_post(gone, author)
    db.session.expire_all()
    stored = db.session.get(Thread, thread.id)
    assert (stored.reply_count, stored.last_number, stored.last_poster_id) == (1, 3, other.id)


@contextmanager
def lock_held(database_url: str, thread_id: int, seconds: float):
    """Another connection holds the thread's row (on SQLite the database's write lock) for ``seconds``."""
    held = threading.Event()

    def hold() -> None:
        engine = create_engine(database_url)
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.execute(select(Thread.id).where(Thread.id == thread_id).with_for_update())
            held.set()
            time.sleep(seconds)
            connection.rollback()
        engine.dispose()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=10)
    try:
        yield
    finally:
        holder.join(timeout=10)


def test_a_reply_outwaits_a_writer_that_holds_the_lock_past_the_busy_timeout(database_url, tmp_path):
    """Another writer keeps the thread locked (on SQLite the whole database) for longer than SQLite's
    busy timeout: the reply waits, starts over when SQLite gives up, and is stored, not an error."""
    author = make_user()
    thread_id = start_thread(author, make_theme()).id
    busy_app = make_test_app(database_url, tmp_path, SQLITE_BUSY_TIMEOUT_MS=200)
    with lock_held(database_url, thread_id, 0.35), busy_app.app_context():
        started = time.monotonic()
        thread, writer = db.session.get(Thread, thread_id), db.session.get(User, author.id)
        number = services.reply(thread, writer, "Eindelijk.").number
        waited = time.monotonic() - started
    assert number == 2 and waited > 0.3  # it did wait for the other writer, past the 0.2 s timeout
    stored = db.session.scalar(select(Post.body).where(Post.thread_id == thread_id, Post.number == 2))
    assert stored == "Eindelijk."


def test_a_service_called_after_other_changes_does_not_start_over(database_url, tmp_path):
    """Starting over means rolling back: never when the caller changed something first, which would
    be lost. Then SQLite's "database is locked" reaches the caller, with its change unsaved."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL waits for a row lock without a limit")
    author = make_user()
    thread_id = start_thread(author, make_theme()).id
    busy_app = make_test_app(database_url, tmp_path, SQLITE_BUSY_TIMEOUT_MS=100)
    with lock_held(database_url, thread_id, 0.25), busy_app.app_context():
        writer = db.session.get(User, author.id)
        writer.job_title = "Buurtwerker"  # the caller's own change, in the same transaction
        with pytest.raises(OperationalError, match="database is locked"):
            services.reply(db.session.get(Thread, thread_id), writer, "Te vroeg.")
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1

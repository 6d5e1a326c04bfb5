"""Benchmark the main pages under gunicorn against the stack's floor (loopback only, bounded).

    make bench BENCH_ARGS="--database both"
    .venv/bin/python tools/bench.py [--scale forum|large|both] [--database sqlite|postgresql|both]
        [--duration 5] [--connections 4] [--soak 600] [--pages home,thread,reply]
        [--sqlite-path large=/path/large.sqlite] [--database-url large=postgresql+psycopg://…/db]

Each database is a demo preset (cop/demo/seed.py), seeded once (db upgrade, places import, demo
seed) and then reused: ``<cache-dir>/<preset>.sqlite`` (default instance/bench/) or the PostgreSQL
database ``cop_bench_<preset>`` on the ``--pg-base-url`` server; ``--sqlite-path`` and
``--database-url`` name an existing one instead. The platform is served by gunicorn (2 sync
workers) on a free 127.0.0.1 port, and wrk (installed with apt-get when missing, else a Python
client, with a note) drives the main pages: as an anonymous visitor and as a logged-in member, the
review queue as a moderator, and a reply (POST) as a member. Before anything is measured, every
page is asked once for its role and must answer 200 (a reply: a redirect to the thread), showing a
logged-in member exactly when one is meant. Each member's page is measured twice: as the member
asks it again (a reload, which the page cache may serve) and as a *first view* ("member, first
view": every request carries a query string of its own, so every one is rendered), shown beside
it without a target; ``--no-first-views`` leaves those rows out. Alternating with the pages, the
floor is measured: a bare WSGI app (tools/floor_app.py) under the same gunicorn settings that
returns a fixed page as large as the thread page. Each page's share of the floor uses the floor
measured just before and just after it, so that a shared machine's drift hits page and floor alike.

Printed as Markdown tables, with PASS/FAIL per row and a summary:
- per page and role: requests/s, median and p95 latency, SQL statements per request (the app's
  X-Query-Count header, on with COP_QUERY_COUNT_HEADER=1; a page the page cache served ran none)
  and the share of the floor; target: an anonymous read page ≥35% of the floor, a logged-in one ≥10%
  (a reply is shown: its clients queue for one thread's lock; its own target, 50 ms with 1,000
  followers, is tests/notifications/test_fanout_speed.py's);
- each page at ``large`` against ``forum`` (shares of the floor compared): ≥80%;
- each worker's RSS after the run and its peak (VmHWM): <200 MB; with ``--soak 600`` the rounds
  repeat for ten minutes while each worker's RSS is sampled: ≤10% growth over the last half.
The exit status is 1 when a target is missed, 2 on an error.

Numbers depend on the machine and on what else runs on it: read the shares of the floor and the
comparisons rather than single values. Posting replies adds posts to one short thread of the
database (never a measured one).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRESETS = ("forum", "large")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# cop/demo/seed.py: demo-1 is an admin, demo-2 and demo-3 moderators, the others members
MEMBER = "demo-4@example.org"
MODERATOR = "demo-2@example.org"
SEARCH_WORDS = "bewoners wijk"  # two words that occur in most demo posts
THREAD_SIZES = (2000, 5000)  # the long threads measured, where the preset has them
WORKERS = 2
MIN_REQUESTS = 10  # a measurement that completes fewer is made again over SLOW_SECONDS
SLOW_SECONDS = 30
LOGOUT_ACTION = 'action="/account/uitloggen"'

ANONYMOUS, MEMBER_ROLE, MODERATOR_ROLE = "anonymous", "member", "moderator"
FIRST_VIEW = "member, first view"  # a member's page the page cache cannot have: rendered each time
ANONYMOUS_SHARE = 0.35  # an anonymous read page serves at least this share of the floor
LOGGED_IN_SHARE = 0.10  # a member's (or moderator's) page
LARGE_VS_FORUM = 0.80  # a page at large keeps this share of its throughput at forum
RSS_LIMIT_MB = 200
RSS_GROWTH = 0.10  # over the last half of a soak

WRK_SCRIPT = r"""
local method = os.getenv("BENCH_METHOD") or "GET"
local form = os.getenv("BENCH_FORM") or ""
local fresh = os.getenv("BENCH_FRESH") == "1"
local counter = 0
local threads = 0
local me = 0

function setup(thread)
  thread:set("me", threads)
  threads = threads + 1
end

if method == "POST" then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  request = function()
    -- a unique body each time; wrk.format keeps the -H headers (the session cookie)
    counter = counter + 1
    local body = "&body=Benchmarkreactie+" .. me .. "-" .. counter .. "-" .. os.time()
    return wrk.format(nil, nil, nil, form .. body)
  end
end

if method == "GET" and fresh then
  request = function()
    -- a query string no page reads, new each time: every request misses the page cache
    counter = counter + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "bench=" .. me .. "-" .. counter)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %d %d %d %d %d %d %d\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), e.status, e.connect, e.read,
    e.write, e.timeout))
end
"""


# --- what is measured ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    roles: tuple[str, ...]
    method: str = "GET"


@dataclass
class Measure:
    requests: int
    seconds: float
    median_ms: float
    p95_ms: float
    errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Row:
    page: Page
    role: str
    queries: int = 0  # SQL statements of one request as served
    rendered: int | None = None  # served from the page cache: the statements its rendering took
    measures: list[Measure] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)  # the floor's req/s beside each measure
    note: str = ""

    @property
    def rps(self) -> float:
        return statistics.median(m.rps for m in self.measures)

    @property
    def median_ms(self) -> float:
        return statistics.median(m.median_ms for m in self.measures)

    @property
    def p95_ms(self) -> float:
        return statistics.median(m.p95_ms for m in self.measures)

    @property
    def errors(self) -> int:
        return sum(m.errors for m in self.measures)

    @property
    def share(self) -> float:
        """Throughput as a share of the floor measured beside it (the median over rounds)."""
        return statistics.median(m.rps / f for m, f in zip(self.measures, self.floors, strict=True) if f)

    @property
    def target(self) -> float | None:
        """The share of the floor a read page must reach; None for a first view (shown: what the
        cache saves and what a page costs to render) and for a reply, whose target is its cost with
        1,000 followers (tests/notifications/test_fanout_speed.py); here its clients queue for the
        thread's lock, so its median says how posts line up, and its throughput is compared with
        ``forum``'s like every page's."""
        if self.role == FIRST_VIEW or self.page.method == "POST":
            return None
        return ANONYMOUS_SHARE if self.role == ANONYMOUS else LOGGED_IN_SHARE

    def judge(self) -> tuple[bool | None, str]:
        """(met, the target as the table says it); None when the row is only shown."""
        clean = not self.errors and not self.note
        if self.target is None:
            return (None if clean else False), "—"
        return self.share >= self.target and clean, f"≥{share(self.target)}"


@dataclass
class Check:
    what: str
    ok: bool


@dataclass
class Run:
    scale: str
    backend: str
    where: str
    rows: list[Row]
    floor_bytes: int
    floors: list[float]
    rss: dict[int, tuple[int, int]]  # worker pid: (VmRSS, VmHWM) in kB after the run
    samples: list[tuple[float, dict[int, int]]]  # soak: (seconds, {pid: VmRSS kB})

    @property
    def title(self) -> str:
        return f"{self.scale} on {'SQLite' if self.backend == 'sqlite' else 'PostgreSQL'}"


def share(ratio: float) -> str:
    return f"{ratio * 100:.0f}%"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --- databases -----------------------------------------------------------------------------------


@dataclass
class Database:
    scale: str
    backend: str
    url: str
    where: str  # the file or the database name, for the reader
    given: bool  # named on the command line: seeded in place when empty, never renamed


def _per_scale(values: list[str], scale: str, option: str, scales: list[str]) -> str | None:
    """``--sqlite-path large=/x.sqlite`` (or a bare value when one scale is measured)."""
    for value in values:
        name, sep, rest = value.partition("=")
        if sep and name in PRESETS:
            if name == scale:
                return rest
        elif len(scales) == 1:
            return value
        else:
            raise SystemExit(f"{option} {value}: say which preset, e.g. {option} large={value}")
    return None


def databases(args) -> list[Database]:
    from sqlalchemy.engine import make_url

    scales = list(PRESETS) if args.scale == "both" else [args.scale]
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    found = []
    for backend in backends:
        for scale in scales:
            if backend == "sqlite":
                path = _per_scale(args.sqlite_path, scale, "--sqlite-path", scales)
                file = Path(path).resolve() if path else args.cache_dir / f"{scale}.sqlite"
                found.append(Database(scale, backend, f"sqlite:///{file}", str(file), bool(path)))
            else:
                given = _per_scale(args.database_url, scale, "--database-url", scales)
                url = given or make_url(args.pg_base_url).set(database=f"cop_bench_{scale}").render_as_string(
                    hide_password=False
                )
                found.append(Database(scale, backend, url, make_url(url).database or "", bool(given)))
    return found


def flask(command: list[str], env: dict, *, quiet: bool = False) -> None:
    subprocess.run(
        [BIN / "flask", "--app", "cop", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def server_env(url: str, instance: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_CONFIG": "development",
        "COP_INSTANCE_PATH": str(instance),
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(instance / "mail"),
        "RATELIMIT_ENABLED": "0",
    }
    env.pop("COP_QUERY_COUNT_HEADER", None)
    return env


def _seed(scale: str, url: str, instance: Path) -> None:
    print(f"== seeding {scale} ({url}): db upgrade, places import, demo seed --scale {scale}", flush=True)
    env = server_env(url, instance)
    flask(["db", "upgrade"], env, quiet=True)
    flask(["places", "import"], env, quiet=True)
    flask(["demo", "seed", "--scale", scale], env)


def _tables(url: str) -> tuple[bool, bool]:
    """(the schema is there, threads were seeded) in the database at ``url``."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if "threads" not in inspect(connection).get_table_names():
                return False, False
            return True, bool(connection.execute(text("SELECT count(*) FROM threads")).scalar())
    finally:
        engine.dispose()


def _pg_exists(admin, name: str) -> bool:
    from sqlalchemy import text

    with admin.connect() as connection:
        found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        return found.scalar() is not None


def ensure_seeded(database: Database, instance: Path, pg_base_url: str) -> None:
    """Reuse the database when it holds demo data, else seed it; then bring its schema up to date.

    A database of the cache is seeded under a temporary name and renamed when done, so that an
    interrupted seed is never taken for a finished one. One named on the command line is seeded in
    place, but only while it has no tables at all: one with tables and no threads may be being seeded
    by another process right now (its rows are not committed yet), and is refused."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(pg_base_url, isolation_level="AUTOCOMMIT") if database.backend != "sqlite" else None
    try:
        if database.backend == "sqlite":
            exists = Path(database.where).exists()
        else:
            exists = _pg_exists(admin, database.where)
        if exists:
            schema, seeded = _tables(database.url)
            if not seeded:
                if schema:
                    raise RuntimeError(
                        f"{database.where} has tables but no threads: is it being seeded elsewhere? Wait for "
                        "that, or drop it to have it seeded here."
                    )
                if not database.given:
                    raise RuntimeError(f"{database.where} is empty: drop it to have it seeded here.")
                _seed(database.scale, database.url, instance)
        elif database.given and admin is not None:
            raise RuntimeError(f"{database.url}: no such database")
        elif database.given:
            _seed(database.scale, database.url, instance)
        elif admin is None:
            file = Path(database.where)
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(file.name + ".partial")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{partial}{suffix}").unlink(missing_ok=True)
            _seed(database.scale, f"sqlite:///{partial}", instance)
            for suffix in ("-wal", "-shm", ""):
                if Path(f"{partial}{suffix}").exists():
                    Path(f"{partial}{suffix}").rename(f"{file}{suffix}")
        else:
            partial = f"{database.where}_partial"
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{partial}"'))
                connection.execute(text(f'CREATE DATABASE "{partial}"'))
            url = make_url(database.url).set(database=partial).render_as_string(hide_password=False)
            _seed(database.scale, url, instance)
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{partial}" RENAME TO "{database.where}"'))
    finally:
        if admin is not None:
            admin.dispose()
    flask(["db", "upgrade"], server_env(database.url, instance), quiet=True)


# --- finding the pages ---------------------------------------------------------------------------


def discover_in(url: str) -> tuple[list[Page], int]:
    """``discover`` on the database at ``url``, through an app of its own that is thrown away."""
    from config import DevelopmentConfig
    from cop import create_app
    from cop.extensions import db

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, CACHE_URL="none")
    try:
        return discover(app)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def discover(app) -> tuple[list[Page], int]:
    """The pages to measure, read from the app's database, and the id of the thread replies go to."""
    from flask import url_for
    from sqlalchemy import func, select

    from cop.circles.models import Circle, CircleMember
    from cop.contributions.models import Contribution
    from cop.contributions.states import Status
    from cop.discussions.models import POSTS_PER_PAGE, Thread
    from cop.extensions import db
    from cop.guide.models import Lesson, LessonStatus, Theme

    both = (ANONYMOUS, MEMBER_ROLE)
    pages = [Page("home", "home", "/", both), Page("guide", "guide's front page", "/gids/", both)]
    with app.test_request_context():
        session = db.session
        lesson = session.scalar(
            select(Lesson).where(Lesson.status == LessonStatus.PUBLISHED).order_by(Lesson.id).limit(1)
        )
        if lesson:
            pages.append(Page("lesson", "lesson", url_for("guide.lesson", ref=lesson.ref), both))
        theme_threads = (Thread.container_kind == "theme", Thread.hidden_at.is_(None))
        theme_id = session.scalar(
            select(Thread.container_id)
            .where(*theme_threads)
            .group_by(Thread.container_id)
            .order_by(func.count().desc(), Thread.container_id)
            .limit(1)
        )
        theme = session.get(Theme, theme_id) if theme_id else None
        if theme:
            pages.append(Page("theme", "theme page", url_for("guide.theme", slug=theme.slug), both))
        measured = []
        for size in THREAD_SIZES:
            thread = session.scalar(
                select(Thread)
                .where(*theme_threads, Thread.merged_into_id.is_(None), Thread.last_number >= size * 0.9)
                .order_by(func.abs(Thread.last_number - size), Thread.id)
                .limit(1)
            )
            if thread is None or thread.id in measured:
                continue
            measured.append(thread.id)
            path = url_for("discussions.thread", ref=thread.ref)
            name = f"thread of {size:,} posts"
            pages.append(Page(f"thread-{size}-first", f"{name}, first page", path, both))
            last = -(-thread.last_number // POSTS_PER_PAGE)
            pages.append(Page(f"thread-{size}-last", f"{name}, last page", f"{path}?pagina={last}", both))
        pages.append(Page("circles", "circle list", url_for("circles.index"), both))
        members = (
            select(func.count())
            .where(CircleMember.circle_id == Circle.id)
            .correlate(Circle)
            .scalar_subquery()
        )
        circle = session.scalar(
            select(Circle)
            .where(Circle.visibility == "open", Circle.archived_at.is_(None))
            .order_by(members.desc(), Circle.id)
            .limit(1)
        )
        if circle:
            pages.append(Page("circle", "circle page", url_for("circles.circle", slug=circle.slug), both))
        contribution = session.scalar(
            select(Contribution)
            .where(Contribution.status == Status.PROMOTED)
            .order_by(Contribution.id)
            .limit(1)
        )
        if contribution:
            path = url_for("contributions.contribution", contribution_id=contribution.id)
            pages.append(Page("contribution", "contribution", path, both))
        pages.append(Page("queue", "review queue", url_for("contributions.queue"), (MODERATOR_ROLE,)))
        path = url_for("search.results", q=SEARCH_WORDS)
        pages.append(Page("search", f"search “{SEARCH_WORDS}”", path, both))
        # replies go to a short open thread that is not measured (a thread grows with every run)
        target = session.scalar(
            select(Thread)
            .where(
                *theme_threads,
                Thread.merged_into_id.is_(None),
                Thread.locked.is_(False),
                Thread.last_number < 500,
                Thread.id.not_in(measured or [0]),
            )
            .order_by(Thread.id)
            .limit(1)
        )
        if target is None:
            raise RuntimeError("no open thread to post replies to")
        pages.append(
            Page(
                "reply", "reply (POST)", url_for("discussions.reply", ref=target.ref), (MEMBER_ROLE,), "POST"
            )
        )
        reply_thread = target.id
    return pages, reply_thread


def post_count(url: str, thread_id: int) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM posts WHERE thread_id = :t"), {"t": thread_id}
            ).scalar()
    finally:
        engine.dispose()


# --- HTTP ----------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """A one-connection-per-request client that keeps cookies and never follows redirects."""

    def __init__(self, port: int, *, keep_cookies: bool = True):
        self.port = port
        self.keep_cookies = keep_cookies
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for line in (response.msg.get_all("Set-Cookie") or []) if self.keep_cookies else ():
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=thu, 01 jan 1970" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, content)

    def get(self, path: str) -> Response:
        return self.request("GET", path)


def csrf_token(html: str) -> str:
    for tag in re.findall(r"<input[^>]*>", html):
        if 'name="csrf_token"' in tag:
            match = re.search(r'value="([^"]+)"', tag)
            if match:
                return match.group(1)
    raise RuntimeError("no CSRF token on the page")


def log_in(port: int, email: str) -> Client:
    """Log in through the form, as a person would; the flash message is read once, so that the
    cookie the load generator replays carries none."""
    from cop.demo import DEMO_PASSWORD

    client = Client(port)
    token = csrf_token(client.get("/account/inloggen").text)
    response = client.request(
        "POST", "/account/inloggen", {"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
    )
    if response.status != 302:
        raise RuntimeError(f"logging in as {email}: HTTP {response.status}")
    home = client.get("/")
    if LOGOUT_ACTION not in home.text:
        raise RuntimeError(f"logging in as {email}: the home page does not show a logged-in member")
    return client


def drain(port: int) -> float:
    """Wait until the server has worked off what the last measurement left behind (the load
    generator stops, the requests it queued are still served), so that it does not eat into the
    next one: one cheap request per worker, all at once, answered. Returns the seconds it took."""

    def ask() -> None:
        with contextlib.suppress(OSError):
            Client(port).get("/healthz")

    started = time.perf_counter()
    threads = [threading.Thread(target=ask) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on a free port with the settings both servers share: 2 sync workers, the app loaded
    before the workers fork, no control socket, an access log (written to /dev/null) and no
    ``max_requests``, so that the workers live through the run and their memory can be followed.

    The platform is started in the project's folder, where gunicorn also reads gunicorn.conf.py (the
    production settings: its logger, its post_fork); the options given here win over that file. The
    floor is started in tools/, where there is no such file."""

    def __init__(self, app: str, env: dict, cwd: Path = ROOT):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                BIN / "gunicorn",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--no-control-socket",
                "--preload",
                "--max-requests",
                "0",
                "--timeout",
                "120",
                "--access-logfile",
                os.devnull,
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
                app,
            ],
            cwd=cwd,
            env=env,
        )

    def wait_ready(self, path: str = "/") -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped (exit {self.process.returncode})")
            try:
                Client(self.port).get(path)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            found = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    found.append(int(stat.parent.name))
            return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


# --- load generators -----------------------------------------------------------------------------


def find_wrk(choice: str) -> str | None:
    """wrk's path; installed with apt-get when missing and possible; None for the Python client."""
    if choice == "python":
        return None
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("== installing wrk (Debian's package)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
            subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if found is None and choice == "wrk":
        raise SystemExit("wrk is not installed (apt-get install wrk), and --load-generator wrk was asked")
    if found is None:
        print(
            "NOTE: wrk is missing and could not be installed: the Python client is used. It takes much\n"
            "      of the CPU the server needs, so every figure (the floor most) comes out lower.",
            flush=True,
        )
    return found


class Load:
    def __init__(self, wrk: str | None, connections: int, folder: Path):
        self.wrk = wrk
        self.connections = connections
        self.script = folder / "bench.lua"
        self.script.write_text(WRK_SCRIPT)

    def run(
        self,
        port: int,
        path: str,
        seconds: float,
        cookie: str = "",
        form: dict | None = None,
        fresh: bool = False,
    ) -> Measure:
        """``fresh``: each GET carries a query string of its own, which no page reads and which
        the page cache has never seen."""
        if self.wrk:
            return self._wrk(port, path, seconds, cookie, form, fresh)
        return self._python(port, path, seconds, cookie, form, fresh)

    def _wrk(self, port, path, seconds, cookie, form, fresh) -> Measure:
        command = [
            self.wrk,
            "-t1",
            f"-c{self.connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "60s",
            "-s",
            str(self.script),
        ]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        env = {
            **os.environ,
            "BENCH_METHOD": "POST" if form is not None else "GET",
            "BENCH_FRESH": str(int(fresh)),
        }
        if form is not None:
            env["BENCH_FORM"] = urlencode(form)
        output = subprocess.run(
            [*command, f"http://127.0.0.1:{port}{path}"], env=env, capture_output=True, text=True, check=True
        ).stdout
        match = re.search(r"^BENCH_RESULT ([\d ]+)$", output, re.M)
        if not match:
            raise RuntimeError(f"wrk said:\n{output}")
        return parse_wrk(match.group(0))

    def _python(self, port, path, seconds, cookie, form, fresh) -> Measure:
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        deadline = time.perf_counter() + seconds
        counter = iter(range(10**9))

        def worker():
            mine = []
            headers = {"Cookie": cookie} if cookie else {}
            while time.perf_counter() < deadline:
                body = None
                if form is not None:
                    body = urlencode({**form, "body": f"Benchmarkreactie {next(counter)} {time.time()}"})
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                start = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    target = path
                    if fresh and form is None:
                        target += f"{'&' if '?' in path else '?'}bench={next(counter)}"
                    connection.request(
                        "POST" if form is not None else "GET", target, body=body, headers=headers
                    )
                    response = connection.getresponse()
                    response.read()
                    ok = response.status < 400
                except OSError:
                    ok = False
                finally:
                    connection.close()
                mine.append(time.perf_counter() - start)
                if not ok:
                    with lock:
                        errors[0] += 1
            with lock:
                latencies.extend(mine)

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        latencies.sort()
        if not latencies:
            return Measure(0, elapsed, 0.0, 0.0, errors[0])
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
        return Measure(len(latencies), elapsed, statistics.median(latencies) * 1000, p95 * 1000, errors[0])


def parse_wrk(line: str) -> Measure:
    """The line the Lua script's done() writes: requests, duration and latencies in microseconds,
    then the errors (non-2xx/3xx statuses, connect, read, write, timeout)."""
    numbers = [int(n) for n in line.split()[1:]]
    requests, duration, p50, p95, *errors = numbers
    return Measure(requests, duration / 1e6, p50 / 1000, p95 / 1000, sum(errors))


# --- one database --------------------------------------------------------------------------------


def query_count(headers: dict[str, str]) -> tuple[int, int | None]:
    """(statements the request ran, statements of the rendering a cached page was made by): a
    response without X-Query-Count ran none; one the page cache served (X-Cache: hit) ran none
    either, and still carries the header of the request that rendered it."""
    value = headers.get("x-query-count")
    if value is None:
        return 0, None
    if headers.get("x-cache") == "hit":
        return 0, int(value)
    return int(value), None


def queries_cell(row: Row) -> str:
    if row.rendered is None:
        return str(row.queries)
    return f"{row.queries} (cached; {row.rendered} uncached)"


def form_for(client: Client, page: Page) -> dict | None:
    """What a POST sends besides its text: the member's CSRF token, from the thread's page."""
    if page.method != "POST":
        return None
    thread_page = page.path.rsplit("/", 1)[0]
    return {"csrf_token": csrf_token(client.get(thread_page).text), "save": "Plaatsen"}


def check_page(client: Client, page: Page, role: str, form: dict | None) -> Response:
    """The page answers as it should for ``role`` before it is measured."""
    if page.method == "POST":
        response = client.request("POST", page.path, {**form, "body": "Benchmarkreactie (controle)"})
        if response.status != 302:
            raise RuntimeError(f"{page.path} (POST as {role}): HTTP {response.status}, not a redirect")
        return response
    response = client.get(page.path)
    if response.status != 200:
        where = response.headers.get("location", "")
        raise RuntimeError(f"{page.path} as {role}: HTTP {response.status} {where}".rstrip())
    logged_in = LOGOUT_ACTION in response.text
    if logged_in != (role != ANONYMOUS):
        raise RuntimeError(
            f"{page.path} as {role}: the page shows {'a' if logged_in else 'no'} logged-in member"
        )
    return response


def bench_database(database: Database, args, load: Load, instance: Path, scratch: Path) -> Run:
    print(f"\n== {database.scale} on {database.backend}: {database.where}", flush=True)
    ensure_seeded(database, instance, args.pg_base_url)
    pages, reply_thread = discover_in(database.url)
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [page for page in pages if page.key in wanted or page.key.split("-")[0] in wanted]
    env = {**server_env(database.url, instance), "COP_QUERY_COUNT_HEADER": "1"}
    env["MAIL_FILE_DIR"] = str(scratch / "mail")
    # the page cache starts empty for every database (unless CACHE_URL names a store)
    env.setdefault("CACHE_URL", f"file://{scratch / f'page-cache-{database.backend}-{database.scale}'}")
    app = Server("cop:create_app()", env)
    floor = None
    try:
        app.wait_ready("/healthz")
        clients = {ANONYMOUS: Client(app.port, keep_cookies=False)}  # as wrk: no cookie, ever
        clients[MEMBER_ROLE] = clients[FIRST_VIEW] = log_in(app.port, MEMBER)
        if any(MODERATOR_ROLE in page.roles for page in pages):
            clients[MODERATOR_ROLE] = log_in(app.port, MODERATOR)
        reply_form = None
        rows = []
        size = None
        for page in pages:
            for role in page.roles:
                client = clients[role]
                form = form_for(client, page)
                if form is not None:
                    reply_form = form
                response = check_page(client, page, role, form)
                if size is None and page.key.startswith("thread") and role == ANONYMOUS:
                    size = len(response.body)
                for _ in range(WORKERS):  # the workers have loaded the page's code and templates
                    check_page(client, page, role, form)
                response = check_page(client, page, role, form)
                rows.append(Row(page, role, *query_count(response.headers)))
                if role == MEMBER_ROLE and page.method == "GET" and args.first_views:
                    rendered = rows[-1].rendered if rows[-1].rendered is not None else rows[-1].queries
                    rows.append(Row(page, FIRST_VIEW, rendered))
        print(f"   {len(rows)} page/role pairs answer as they should", flush=True)
        floor_bytes = size or 30_000
        floor = Server("floor_app:app", {**os.environ, "FLOOR_BYTES": str(floor_bytes)}, ROOT / "tools")
        floor.wait_ready()
        load.run(floor.port, "/", 1)  # warm up
        floors: list[float] = []
        samples: list[tuple[float, dict[int, int]]] = []
        stop_sampling = threading.Event()
        started = time.monotonic()
        sampler = None
        if args.soak:
            interval = min(10.0, max(2.0, args.soak / 60))

            def sample():
                while True:
                    taken = {}
                    for pid in app.workers():
                        with contextlib.suppress(OSError):  # a worker that just ended
                            taken[pid] = memory(pid)[0]
                    samples.append((time.monotonic() - started, taken))
                    if stop_sampling.wait(interval):
                        return

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
        posts_before = post_count(database.url, reply_thread)
        posted = 0
        rounds = 0
        while True:
            rounds += 1
            before = load.run(floor.port, "/", args.duration).rps
            floors.append(before)
            for row in rows:
                cookie = clients[row.role].cookie_header() if row.role != ANONYMOUS else ""
                form = reply_form if row.page.method == "POST" else None
                fresh = row.role == FIRST_VIEW
                measure = load.run(app.port, row.page.path, args.duration, cookie, form, fresh)
                waited = drain(app.port)
                if measure.requests < MIN_REQUESTS and args.duration < SLOW_SECONDS:
                    # too slow for the time given: once more, longer, for a figure worth reading
                    if form is not None:
                        posted += measure.requests
                    measure = load.run(app.port, row.page.path, SLOW_SECONDS, cookie, form, fresh)
                    waited = drain(app.port)
                after = load.run(floor.port, "/", args.duration).rps
                floors.append(after)
                row.measures.append(measure)
                row.floors.append((before + after) / 2)
                if form is not None:
                    posted += measure.requests
                before = after
                print(
                    f"   {row.page.key:22} {row.role:9} {measure.rps:7.1f} req/s  floor {after:7.1f}  "
                    f"p50 {measure.median_ms:6.1f} ms  p95 {measure.p95_ms:6.1f} ms"
                    + (f"  over {measure.seconds:.0f} s" if measure.seconds > args.duration + 1 else "")
                    + (f"  drained in {waited:.1f} s" if waited > 1 else "")
                    + (f"  ERRORS {measure.errors}" if measure.errors else ""),
                    flush=True,
                )
            if not args.soak or time.monotonic() - started >= args.soak:
                break
            print(f"   -- soak: round {rounds} done at {time.monotonic() - started:.0f} s", flush=True)
        stop_sampling.set()
        if sampler:
            sampler.join()
        added = post_count(database.url, reply_thread) - posts_before
        for row in rows:
            if row.page.method == "POST" and added < posted:
                row.note = f"{posted - added} of {posted} replies not stored"
        rss = {}
        for pid in app.workers():
            rss[pid] = memory(pid)
        return Run(database.scale, database.backend, database.where, rows, floor_bytes, floors, rss, samples)
    finally:
        if floor:
            floor.stop()
        app.stop()


# --- reports -------------------------------------------------------------------------------------


def page_table(run: Run, checks: list[Check]) -> list[str]:
    lines = [
        f"### {run.title} ({run.where})",
        "",
        f"Floor: {statistics.median(run.floors):.0f} req/s (median of {len(run.floors)}, "
        f"{min(run.floors):.0f}–{max(run.floors):.0f}), a {run.floor_bytes:,}-byte page.",
        "",
        "| page | role | req/s | median ms | p95 ms | queries | % of floor | target | result |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in run.rows:
        ok, target = row.judge()
        if ok is None:
            result = "shown"
        else:
            checks.append(Check(f"{run.title}: {row.page.label} ({row.role}) at {share(row.share)}", ok))
            result = verdict(ok)
        if row.errors:
            result += f" ({row.errors} errors)"
        if row.note:
            result += f" ({row.note})"
        lines.append(
            f"| {row.page.label} | {row.role} | {row.rps:.1f} | {row.median_ms:.1f} | {row.p95_ms:.1f} "
            f"| {queries_cell(row)} | {share(row.share)} "
            f"| {target} | {result} |"
        )
    return lines


def scale_table(forum: Run, large: Run, checks: list[Check]) -> list[str]:
    lines = [
        f"### forum against large on {'SQLite' if forum.backend == 'sqlite' else 'PostgreSQL'}",
        "",
        "Judged on the shares of the floor, which take out the machine's drift between the runs.",
        "",
        "| page | role | forum req/s | large req/s | large/forum | share large/forum | target | result |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    at_forum = {(row.page.key, row.role): row for row in forum.rows}
    for row in large.rows:
        small = at_forum.get((row.page.key, row.role))
        if small is None:
            continue
        ratio = row.share / small.share if small.share else 0.0
        ok = ratio >= LARGE_VS_FORUM
        result = "shown"
        if row.role != FIRST_VIEW:  # a reply too: its throughput at large against forum
            checks.append(
                Check(f"{large.backend}: {row.page.label} ({row.role}) at large {share(ratio)} of forum", ok)
            )
            result = verdict(ok)
        raw = row.rps / small.rps if small.rps else 0.0
        lines.append(
            f"| {row.page.label} | {row.role} | {small.rps:.1f} | {row.rps:.1f} | {share(raw)} "
            f"| {share(ratio)} | ≥{share(LARGE_VS_FORUM)} | {result} |"
        )
    return lines


def growth(samples: list[tuple[float, dict[int, int]]]) -> dict[int, tuple[int, int, float]]:
    """Per worker: (RSS at half time, RSS at the end, growth over the last half)."""
    if not samples:
        return {}
    half = samples[-1][0] / 2
    middle = min(samples, key=lambda sample: abs(sample[0] - half))[1]
    end = samples[-1][1]
    return {
        pid: (middle[pid], end[pid], (end[pid] - middle[pid]) / middle[pid]) for pid in end if middle.get(pid)
    }


def memory_table(runs: list[Run], soak: int, checks: list[Check]) -> list[str]:
    lines = [
        "### worker memory",
        "",
        "| database | worker | RSS MB after | peak RSS MB | target | result | RSS half time → end | growth |",
        "| --- | --- | ---: | ---: | --- | --- | --- | --- |",
    ]
    for run in runs:
        grown = growth(run.samples)
        for pid, (rss, peak) in sorted(run.rss.items()):
            ok = peak < RSS_LIMIT_MB * 1024
            checks.append(Check(f"{run.title}: worker {pid} peak RSS {peak / 1024:.0f} MB", ok))
            trend, result = "—", "run --soak 600"
            if pid in grown:
                middle, end, rate = grown[pid]
                grew = rate <= RSS_GROWTH
                checks.append(
                    Check(f"{run.title}: worker {pid} RSS grew {rate * 100:+.1f}% in the last half", grew)
                )
                trend = f"{middle / 1024:.0f} → {end / 1024:.0f} MB"
                result = f"{rate * 100:+.1f}% (≤{RSS_GROWTH * 100:.0f}%) {verdict(grew)}"
            elif soak:
                result = "worker restarted"
                checks.append(Check(f"{run.title}: worker {pid} was not there through the soak", False))
            lines.append(
                f"| {run.title} | {pid} | {rss / 1024:.0f} | {peak / 1024:.0f} | <{RSS_LIMIT_MB} MB "
                f"| {verdict(ok)} | {trend} | {result} |"
            )
    return lines


def soak_table(run: Run) -> list[str]:
    """RSS over time (about ten samples) of each worker."""
    pids = sorted({pid for _, taken in run.samples for pid in taken})
    step = max(1, len(run.samples) // 10)
    picked = run.samples[::step]
    if picked[-1] is not run.samples[-1]:
        picked.append(run.samples[-1])
    lines = [
        f"RSS of each worker over the soak, {run.title} (MB):",
        "",
        "| seconds | " + " | ".join(str(pid) for pid in pids) + " |",
        "| ---: | " + " | ".join("---:" for _ in pids) + " |",
    ]
    for seconds, taken in picked:
        values = " | ".join(f"{taken[pid] / 1024:.0f}" if pid in taken else "—" for pid in pids)
        lines.append(f"| {seconds:.0f} | {values} |")
    return lines


def report(runs: list[Run], args) -> list[Check]:
    checks: list[Check] = []
    out: list[str] = ["", f"## make bench: {args.setup}"]
    for run in runs:
        out += ["", *page_table(run, checks)]
    for backend in ("sqlite", "postgresql"):
        mine = {run.scale: run for run in runs if run.backend == backend}
        if "forum" in mine and "large" in mine:
            out += ["", *scale_table(mine["forum"], mine["large"], checks)]
    out += ["", *memory_table(runs, args.soak, checks)]
    if args.soak:
        for run in runs:
            if run.samples:
                out += ["", *soak_table(run)]
    failed = [check for check in checks if not check.ok]
    out += ["", f"**{len(checks)} checks: {len(checks) - len(failed)} PASS, {len(failed)} FAIL**"]
    out += [f"- FAIL: {check.what}" for check in failed]
    print("\n".join(out), flush=True)
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--scale", choices=[*PRESETS, "both"], default="both", help="demo preset(s) (default both)")
    add("--database", choices=["sqlite", "postgresql", "both"], default="sqlite", help="(default sqlite)")
    add("--duration", type=float, default=5, help="seconds per measurement (default 5)")
    add("--connections", type=int, default=4, help="connections the load generator keeps open (default 4)")
    add("--soak", type=int, default=0, metavar="SECONDS", help="repeat the rounds this long, sampling RSS")
    add("--cache-dir", type=Path, default=ROOT / "instance" / "bench", help="(default instance/bench)")
    add("--sqlite-path", action="append", default=[], metavar="[PRESET=]FILE", help="an existing database")
    add("--database-url", action="append", default=[], metavar="[PRESET=]URL", help="an existing database")
    add("--pg-base-url", default=DEFAULT_PG, help="server of the cop_bench_<preset> databases (local)")
    add("--load-generator", choices=["auto", "wrk", "python"], default="auto")
    add(
        "--no-first-views",
        dest="first_views",
        action="store_false",
        help="leave out the rows of a member's pages rendered each time (past the page cache)",
    )
    add(
        "--pages",
        help="only these pages, comma-separated (home,guide,lesson,theme,thread,circles,circle,"
        "contribution,queue,search,reply)",
    )
    args = parser.parse_args(argv)
    args.cache_dir = args.cache_dir.resolve()
    instance = args.cache_dir / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    os.environ["COP_INSTANCE_PATH"] = str(instance)  # before config is imported (discover)
    sys.path.insert(0, str(ROOT))

    wrk = find_wrk(args.load_generator)
    args.setup = (
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs; {'wrk' if wrk else 'Python client'} "
        f"with {args.connections} connections, {args.duration:g} s per measurement"
        f"{f', soak {args.soak} s' if args.soak else ''}; gunicorn {WORKERS} sync workers"
    )
    print(f"== {args.setup}; load {os.getloadavg()[0]:.2f}", flush=True)
    runs = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            load = Load(wrk, args.connections, Path(folder))
            for database in databases(args):
                runs.append(bench_database(database, args, load, instance, Path(folder)))
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        if not runs:
            return 2
        report(runs, args)
        return 2
    print(f"\n== done, load {os.getloadavg()[0]:.2f}")
    checks = report(runs, args)
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

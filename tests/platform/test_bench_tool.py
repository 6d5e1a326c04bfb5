"""``make bench`` (tools/bench.py): the pages it finds in a seeded database answer for their roles
over HTTP as it expects, the X-Query-Count header it reads counts a request's statements, and its
arithmetic (wrk's result line, shares of the floor, memory growth) says what it should."""

from __future__ import annotations

import http.server
import importlib.util
import re
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import event

from config import TestingConfig
from cop import create_app
from cop.demo import PRESETS, seed
from cop.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def load_tool(name: str):
    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = load_tool("bench")
floor_app = load_tool("floor_app")

# the small preset, with one thread as long as the forum preset's (the rest must have as many posts)
SIZES = replace(
    PRESETS["small"],
    users=6,
    threads=4,
    posts=4010,
    contributions=7,
    circles=2,
    lessons=3,
    long_threads=(2000,),
)


@pytest.mark.commits
def test_the_pages_it_finds_answer_for_their_roles_and_replies_are_stored(
    app, live_server, database_url, tmp_path
):
    seed(SIZES, index=False)
    pages, reply_thread = bench.discover(app)
    by_key = {page.key: page for page in pages}
    assert set(by_key) == {
        "home",
        "guide",
        "lesson",
        "theme",
        "thread-2000-first",
        "thread-2000-last",
        "circles",
        "circle",
        "contribution",
        "queue",
        "search",
        "reply",
    }
    assert by_key["thread-2000-last"].path == by_key["thread-2000-first"].path + "?pagina=100"
    assert by_key["reply"].path.startswith(f"/discussie/{reply_thread}-")
    assert not by_key["thread-2000-first"].path.startswith(f"/discussie/{reply_thread}-")

    port = int(live_server.url.rsplit(":", 1)[1])
    clients = {
        bench.ANONYMOUS: bench.Client(port, keep_cookies=False),
        bench.MEMBER_ROLE: bench.log_in(port, bench.MEMBER),
        bench.MODERATOR_ROLE: bench.log_in(port, bench.MODERATOR),
    }
    for page in pages:
        for role in page.roles:
            form = bench.form_for(clients[role], page)
            response = bench.check_page(clients[role], page, role, form)
            # no X-Query-Count without the setting: counted as none
            assert bench.query_count(response.headers) == (0, None)

    # an anonymous page that sends to the login form is not measured as if it were the page
    login_wall = bench.Page("queue", "review queue", by_key["queue"].path, (bench.ANONYMOUS,))
    with pytest.raises(RuntimeError, match="HTTP 302"):
        bench.check_page(clients[bench.ANONYMOUS], login_wall, bench.ANONYMOUS, None)

    before = bench.post_count(database_url, reply_thread)
    load = bench.Load(None, 2, tmp_path)  # the Python client: wrk may be missing here
    member = clients[bench.MEMBER_ROLE]
    measure = load.run(
        port, by_key["reply"].path, 0.3, member.cookie_header(), bench.form_for(member, by_key["reply"])
    )
    assert measure.requests > 0
    assert measure.errors == 0
    assert bench.post_count(database_url, reply_thread) - before == measure.requests


def test_the_query_count_header_counts_the_statements_of_the_request(database_url, tmp_path):
    counted = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, QUERY_COUNT_HEADER=True, CACHE_URL="none"
    )
    statements = []
    with counted.app_context():

        def record(conn, cursor, statement, *args):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA|BEGIN)", statement, re.I):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
    response = counted.test_client().get("/gids/")
    assert response.status_code == 200
    assert len(statements) > 0
    assert response.headers["X-Query-Count"] == str(len(statements))


def test_the_query_count_header_is_off_by_default_and_refused_in_production(
    client, monkeypatch, database_url
):
    assert "X-Query-Count" not in client.get("/gids/").headers
    monkeypatch.setenv("FLASK_CONFIG", "production")
    with pytest.raises(RuntimeError, match="not production"):
        create_app(
            TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, QUERY_COUNT_HEADER=True, CACHE_URL="none"
        )


def test_query_count_reads_the_header_and_a_cached_page_ran_none():
    assert bench.query_count({"x-query-count": "7"}) == (7, None)
    assert bench.query_count({"x-query-count": "7", "x-cache": "hit"}) == (0, 7)
    assert bench.query_count({}) == (0, None)


def test_wrk_result_line():
    measure = bench.parse_wrk("BENCH_RESULT 1200 4000000 3500 12250 2 0 1 0 0")
    assert measure.requests == 1200
    assert measure.rps == 300
    assert (measure.median_ms, measure.p95_ms) == (3.5, 12.25)
    assert measure.errors == 3


def test_each_page_is_judged_against_the_floor_beside_it():
    page = bench.Page("home", "home", "/", (bench.ANONYMOUS,))
    row = bench.Row(page, bench.ANONYMOUS)
    row.measures = [
        bench.Measure(400, 1.0, 5, 9),
        bench.Measure(300, 1.0, 5, 9),
        bench.Measure(100, 1.0, 5, 9),
    ]
    row.floors = [1000.0, 1000.0, 200.0]  # the third round ran while the machine was busy
    assert row.share == pytest.approx(0.4)
    assert row.rps == 300
    checks = []
    run = bench.Run("large", "sqlite", "x.sqlite", [row], 20_000, row.floors, {}, [])
    table = "\n".join(bench.page_table(run, checks))
    assert "| home | anonymous | 300.0 | 5.0 | 9.0 | 0 | 40% | ≥35% | PASS |" in table
    row.measures[0] = bench.Measure(340, 1.0, 5, 9)
    checks = []
    bench.page_table(run, checks)
    assert [check.ok for check in checks] == [False]  # 34%


def test_large_is_compared_with_forum_on_shares_of_the_floor():
    page = bench.Page("home", "home", "/", (bench.MEMBER_ROLE,))

    def run(scale, rps, floor):
        row = bench.Row(page, bench.MEMBER_ROLE, measures=[bench.Measure(rps, 1.0, 5, 9)], floors=[floor])
        return bench.Run(scale, "sqlite", "", [row], 1, [floor], {}, [])

    checks = []
    bench.scale_table(run("forum", 100, 1000), run("large", 60, 700), checks)  # 10% and 8.6%: 86%
    assert [check.ok for check in checks] == [True]
    checks = []
    bench.scale_table(run("forum", 100, 1000), run("large", 60, 1000), checks)  # 60%
    assert [check.ok for check in checks] == [False]


def test_memory_growth_over_the_last_half():
    samples = [
        (0, {1: 100_000}),
        (50, {1: 150_000}),
        (100, {1: 160_000}),
        (150, {1: 170_000}),
        (200, {1: 166_000}),
    ]
    middle, end, rate = bench.growth(samples)[1]
    assert (middle, end) == (160_000, 166_000)
    assert rate == pytest.approx(0.0375)
    checks = []
    run = bench.Run("large", "sqlite", "", [], 1, [1.0], {1: (166_000, 210_000)}, samples)
    bench.memory_table([run], 200, checks)
    assert [check.ok for check in checks] == [False, True]  # a peak over 200 MB; flat since


def test_presets_are_named_when_several_are_measured():
    assert bench._per_scale(["large=/x.sqlite"], "large", "--sqlite-path", ["forum", "large"]) == "/x.sqlite"
    assert bench._per_scale(["large=/x.sqlite"], "forum", "--sqlite-path", ["forum", "large"]) is None
    assert bench._per_scale(["/x.sqlite"], "large", "--sqlite-path", ["large"]) == "/x.sqlite"
    with pytest.raises(SystemExit):
        bench._per_scale(["/x.sqlite"], "large", "--sqlite-path", ["forum", "large"])


@pytest.mark.parametrize("size", [10, 23_015, 30_000])
def test_the_floor_page_has_the_size_asked(size):
    assert len(floor_app.page(size)) == max(size, len(floor_app.page(0)))


def test_a_first_view_asks_each_time_for_an_address_the_page_cache_has_not_seen(tmp_path):
    asked = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        load = bench.Load(None, 2, tmp_path)
        measure = load.run(server.server_address[1], "/zoeken?q=wijk", 0.3, fresh=True)
        again = load.run(server.server_address[1], "/zoeken?q=wijk", 0.1)
    finally:
        server.shutdown()
    fresh = asked[: measure.requests]
    assert measure.requests > 1 and measure.errors == 0
    assert len(set(fresh)) == len(fresh)
    assert all(path.startswith("/zoeken?q=wijk&bench=") for path in fresh)
    assert set(asked[measure.requests :]) == {"/zoeken?q=wijk"} and again.requests > 0


def test_a_first_view_is_shown_beside_the_member_row_and_not_judged():
    page = bench.Page("home", "home", "/", (bench.MEMBER_ROLE,))
    rows = [
        bench.Row(page, bench.MEMBER_ROLE, measures=[bench.Measure(500, 1.0, 1, 2)], floors=[1000.0]),
        bench.Row(page, bench.FIRST_VIEW, 9, measures=[bench.Measure(20, 1.0, 40, 60)], floors=[1000.0]),
    ]
    checks = []
    table = "\n".join(bench.page_table(bench.Run("large", "sqlite", "", rows, 1, [1000.0], {}, []), checks))
    assert "| home | member, first view | 20.0 | 40.0 | 60.0 | 9 | 2% | — | shown |" in table
    assert len(checks) == 1 and checks[0].ok  # the member's row, at 50 %


def test_a_reply_is_shown_and_compared_with_forum_not_judged_by_the_floor():
    page = bench.Page("reply", "reply (POST)", "/discussie/1-x/reageren", (bench.MEMBER_ROLE,), method="POST")

    def run(scale, rps):
        row = bench.Row(
            page, bench.MEMBER_ROLE, 11, measures=[bench.Measure(rps, 1.0, 42, 70)], floors=[5000.0]
        )
        return bench.Run(scale, "sqlite", "", [row], 1, [5000.0], {}, [])

    checks = []
    table = "\n".join(bench.page_table(run("large", 90), checks))
    assert "| reply (POST) | member | 90.0 | 42.0 | 70.0 | 11 | 2% | — | shown |" in table
    assert checks == []
    bench.scale_table(run("forum", 100), run("large", 70), checks)
    assert [check.ok for check in checks] == [False]  # 70 % of forum

"""How long the search page takes on a seeded database, through the app (issue 13).

    .venv/bin/python tools/search_latency.py --database-url sqlite:////work/bench-data/large.sqlite
    .venv/bin/python tools/search_latency.py --database-url postgresql+psycopg://postgres@127.0.0.1/cop_large

The database is one filled by ``flask --app cop demo seed`` (the ``large`` preset is what the
issue's target is about: p95 under 100 ms). Every request goes through the whole app — routing,
the viewer, the visibility filter, counting, ranking, snippets, the template — with Flask's test
client, as an anonymous visitor and as a logged-in demo member (``--member``), with the page cache
off. A round runs every query of ``QUERIES`` (common words, rare words, phrases, filters by type,
theme and neighbourhood, second pages, a misspelling) once per viewer; a first round warms up and
is not counted. It prints the median and the 95th percentile per kind of query and over all, as a
Markdown table, and exits with status 1 when the overall p95 misses ``--target`` (milliseconds).

Only reads: the database is not changed (a search writes nothing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (kind of query, query string). The two most common content words of the demo texts
# (cop/demo/seed.py: each is in about 40 % of the posts) are "bewoners" and "resultaten";
# tools/bench.py searches "bewoners wijk".
QUERIES = [
    ("common word", {"q": "bewoners"}),
    ("common word", {"q": "resultaten"}),
    ("common word", {"q": "tijd"}),
    ("common word", {"q": "buurthuis"}),
    ("common words", {"q": "bewoners wijk"}),
    ("common words", {"q": "bewoners resultaten"}),
    ("common words", {"q": "vraag jaar wijkplan"}),
    ("rare word", {"q": "huismeester"}),
    ("rare word", {"q": "vlaardingen"}),
    ("rare word", {"q": "intervisie"}),
    ("rare word", {"q": "enquête"}),
    ("rare word", {"q": "wijkaanpak"}),  # a word of the synonym list
    ("phrase", {"q": '"sociaal wijkteam"'}),
    ("phrase", {"q": '"achter de voordeur"'}),
    ("phrase", {"q": '"een vaste tijd" bewoners'}),
    ("filter", {"q": "bewoners", "soort": "thread"}),
    ("filter", {"q": "resultaten", "soort": "lesson"}),
    ("filter", {"q": "bewoners", "soort": "member"}),
    ("filter", {"q": "bewoners", "soort": "contribution"}),
    ("filter", {"q": "bewoners", "thema": "{theme}"}),
    ("filter", {"q": "resultaten", "thema": "{theme}", "soort": "post"}),
    ("filter", {"q": "bewoners", "wijk": "{place}"}),
    ("page 2", {"q": "bewoners", "pagina": "2"}),
    ("page 2", {"q": "bewoners wijk", "pagina": "2"}),
    ("page 2", {"q": "resultaten", "soort": "post", "pagina": "2"}),
    ("page 2", {"q": "tijd", "pagina": "40"}),
    ("nothing found", {"q": "bewonrs"}),  # a misspelling: "Bedoelde je"
    ("nothing found", {"q": "onbekendwoordje"}),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * share + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--rounds", type=int, default=2, help="counted rounds")
    parser.add_argument("--warm-up", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--member", default="demo-5@example.org", help="the logged-in viewer")
    parser.add_argument("--target", type=float, default=100.0, help="p95 in ms to meet")
    parser.add_argument("--verbose", action="store_true", help="print every query's median")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    url = args.database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")

    from sqlalchemy import select

    from config import TestingConfig
    from cop import create_app
    from cop.accounts import User
    from cop.extensions import db
    from cop.guide.models import Theme
    from cop.places.models import Neighbourhood

    instance = tempfile.mkdtemp(prefix="search-latency-")
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=url,
        TESTING=False,
        CACHE_URL="none",
        MAIL_FILE_DIR=instance,
        QUERY_COUNT_HEADER=True,
    )
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == args.member))
        if member is None:
            parser.error(f"no account {args.member}: is this a demo database?")
        token = member.session_token
        theme = db.session.scalar(select(Theme.slug).order_by(Theme.position, Theme.id))
        place = db.session.scalar(select(Neighbourhood.slug).order_by(Neighbourhood.id))
        dialect = db.engine.dialect.name
    anonymous = app.test_client()
    logged_in = app.test_client()
    with logged_in.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    viewers = {"anonymous": anonymous, "member": logged_in}

    timings: dict[str, list[float]] = {}
    per_query: dict[str, list[float]] = {}
    statements: set[str] = set()
    for round_ in range(args.warm_up + args.rounds):
        for kind, params in QUERIES:
            query = {k: v.format(theme=theme, place=place) for k, v in params.items()}
            for viewer, client in viewers.items():
                started = time.perf_counter()
                response = client.get("/zoeken", query_string=query)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    print(f"{viewer} {query}: status {response.status_code}", file=sys.stderr)
                    return 2
                statements.add(response.headers.get("X-Query-Count", "?"))
                if round_ < args.warm_up:
                    continue
                timings.setdefault(kind, []).append(elapsed)
                per_query.setdefault(f"{viewer:9} {query}", []).append(elapsed)
    every = [t for values in timings.values() for t in values]
    print(
        f"\nSearch page on {dialect} ({len(every)} searches, {args.rounds} rounds, SQL statements per page: "
        f"{', '.join(sorted(statements))})\n"
    )
    print("| queries | searches | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for kind, values in [*timings.items(), ("all", every)]:
        print(
            f"| {kind} | {len(values)} | {statistics.median(values) * 1000:.0f} "
            f"| {percentile(values, 0.95) * 1000:.0f} | {max(values) * 1000:.0f} |"
        )
    if args.verbose:
        print()
        for name, values in sorted(per_query.items(), key=lambda item: -statistics.median(item[1])):
            print(f"{statistics.median(values) * 1000:7.1f} ms  {name}")
    p95 = percentile(every, 0.95) * 1000
    print(f"\np95 {p95:.0f} ms: {'PASS' if p95 < args.target else 'FAIL'} (target {args.target:.0f} ms)")
    return 0 if p95 < args.target else 1


if __name__ == "__main__":
    sys.exit(main())

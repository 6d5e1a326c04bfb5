"""Time the main pages under gunicorn on this machine (loopback only, bounded).

    .venv/bin/python tools/bench.py [--requests 300] [--workers 2]

Builds a throw-away SQLite database with the shipped guide, serves it with gunicorn on a free
127.0.0.1 port, asks each page ``--requests`` times from 4 client threads, and prints the median
and 95th percentile latency and the throughput per page. Numbers vary with the machine: compare
runs made on the same machine, and read medians and ratios rather than single values.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/healthz",
    "/",
    "/gids/",
    "/gids/1/",
    "/les/1.2-wat-de-wijkengids-beoogt",
    "/thema/wijkaanpak-algemeen",
    "/les/1.2-wat-de-wijkengids-beoogt/geschiedenis",
    "/account/inloggen",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> float:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "COP_INSTANCE_PATH": folder,
            "FLASK_CONFIG": "development",
            "RATELIMIT_ENABLED": "0",
            "HOME": folder,
        }
        for command in (["db", "upgrade"], ["guide", "import"]):
            subprocess.run(
                [bin_dir / "flask", "--app", "cop", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        port = free_port()
        server = subprocess.Popen(
            [
                bin_dir / "gunicorn",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--no-control-socket",
                "--log-level",
                "warning",
                "cop:create_app()",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            for _ in range(100):
                try:
                    get(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            print(f"{'page':52} {'median ms':>9} {'p95 ms':>7} {'req/s':>7}")
            for path in PAGES:
                for _ in range(10):  # warm up
                    get(port, path)
                started = time.perf_counter()
                with ThreadPoolExecutor(4) as pool:
                    times = sorted(pool.map(get, [port] * args.requests, [path] * args.requests))
                elapsed = time.perf_counter() - started
                p95 = times[int(len(times) * 0.95) - 1]
                print(
                    f"{path:52} {statistics.median(times) * 1000:9.1f} {p95 * 1000:7.1f} "
                    f"{args.requests / elapsed:7.0f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

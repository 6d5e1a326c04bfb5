"""gunicorn.conf.py: read by gunicorn's own configuration machinery, and a real gunicorn started with
it serves the app (loopback only, bounded in time)."""

from __future__ import annotations

import json
import os
import re
import runpy
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gunicorn.app.base import Application

from tests.browser import free_port

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "gunicorn.conf.py"
SECRET = "S3cretT0ken_abc.def-XYZ"


class ConfigOnly(Application):
    """Gunicorn's application loader with nothing but the config file (no command line)."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__()

    def load_config(self):
        self.load_config_from_file(str(self.path))

    def load(self):  # pragma: no cover - never serves
        raise AssertionError


def load(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return ConfigOnly(CONF).cfg


def test_the_defaults_are_for_one_host_behind_a_local_proxy(monkeypatch):
    cfg = load(monkeypatch)
    assert cfg.bind == ["127.0.0.1:8000"]
    assert 3 <= cfg.workers <= 8
    assert cfg.wsgi_app == "cop:create_app()"
    assert cfg.control_socket_disable is True  # no ~/.gunicorn/gunicorn.ctl
    assert cfg.preload_app is True and cfg.post_fork.__name__ == "post_fork"
    assert cfg.max_requests >= 500 and 0 < cfg.max_requests_jitter < cfg.max_requests
    assert cfg.timeout == 30 and cfg.graceful_timeout >= 10
    assert cfg.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert "%(q)s" not in cfg.access_log_format and "%(r)s" not in cfg.access_log_format
    assert "%(f)s" not in cfg.access_log_format


def test_the_master_freezes_what_it_built_before_the_workers_fork(monkeypatch):
    """After ``when_ready`` the objects made so far are out of the collector's sight (its permanent
    generation), so that a worker's full collection walks only what the worker made."""
    import gc

    cfg = load(monkeypatch)
    assert gc.get_freeze_count() == 0
    try:
        cfg.when_ready(None)
        assert gc.get_freeze_count() > 10_000  # this test process: pytest, the app's modules, …
    finally:
        gc.unfreeze()


def test_the_environment_sets_address_workers_proxies_and_timeout(monkeypatch):
    cfg = load(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:8080, unix:/run/wijkengids.sock",
        WEB_CONCURRENCY="5",
        FORWARDED_ALLOW_IPS="10.0.0.0/8",
        GUNICORN_TIMEOUT="60",
    )
    assert cfg.bind == ["0.0.0.0:8080", "unix:/run/wijkengids.sock"]
    assert cfg.workers == 5
    assert cfg.forwarded_allow_ips == ["10.0.0.0/8"]
    assert cfg.timeout == 60


def test_every_link_with_a_token_is_masked_in_the_access_log(app):
    mask = runpy.run_path(str(CONF))["mask_secrets"]
    with_token = [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert len(with_token) >= 6
    for rule in with_token:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: SECRET if m.group(1) == "token" else "7", rule.rule)
        masked = mask(path)
        assert SECRET not in masked, f"{rule.rule} shows its token in the access log"
        assert "[token]" in masked
    for ordinary in ("/account/agenda", "/discussie/12-buurtkrant", "/account/bevestigen", "/"):
        assert mask(ordinary) == ordinary


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_gunicorn_starts_with_this_config_and_serves_healthz(tmp_path):
    port = free_port()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"XDG_RUNTIME_DIR", "GUNICORN_CMD_ARGS"}},
        "HOME": str(home),
        "FLASK_CONFIG": "production",
        "SECRET_KEY": "s" * 64,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'throwaway.sqlite'}",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "COP_INSTANCE_PATH": str(tmp_path / "instance"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    log_path = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(gunicorn), "-c", str(CONF)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 90  # building the app takes seconds on a busy machine
        while True:
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited ({server.returncode}):\n{log_path.read_text()}")
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer in 90 s:\n{log_path.read_text()}")
                time.sleep(0.25)
        assert status == 200 and json.loads(body) == {"status": "ok", "database": "ok"}
        get(f"http://127.0.0.1:{port}/account/bevestigen/{SECRET}?volgende=geheim")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    log = log_path.read_text()
    assert server.returncode == 0, log
    assert len(re.findall(r"Booting worker with pid", log)) == 2, log
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert "/account/bevestigen/[token]" in log
    assert SECRET not in log and "geheim" not in log
    assert not (home / ".gunicorn").exists(), "gunicorn made a control socket"

"""Configuration classes. Every value comes from the environment, read when a class is chosen."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("COP_INSTANCE_PATH", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    """Generate a secret key once and keep it in the instance folder."""
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the driver implicitly; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Settings shared by every environment."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = ""
    # hide_parameters: a failed statement's values (password hashes, session tokens) stay out of logs.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SQLITE_BUSY_TIMEOUT_MS = 5000

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    MAX_CONTENT_LENGTH = 512 * 1024  # 512 KiB: far more than any form needs.
    MAX_FORM_MEMORY_SIZE = 512 * 1024

    SESSION_COOKIE_NAME = "cop_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_NAME = "cop_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30  # 30 days
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12

    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"  # every login attempt, per client address
    # Failed passwords, per account and client address, and per account over all clients; see
    # cop/accounts/throttle.py for why neither can lock a member out.
    RATELIMIT_LOGIN_ACCOUNT = "5 per minute;20 per hour"
    RATELIMIT_LOGIN_ACCOUNT_ALL = "50 per hour"
    RATELIMIT_REGISTER = "5 per hour"
    RATELIMIT_POSTING = "10 per minute;60 per hour"  # threads and replies, per member
    RATELIMIT_RESET = "5 per hour"
    RATELIMIT_RESET_ACCOUNT = "3 per hour"
    RATELIMIT_EMAIL_CHANGE = "3 per hour"  # address changes asked for (password right), per account
    RATELIMIT_EXPORT = "5 per hour"  # "Mijn gegevens" downloads, per member
    RATELIMIT_API = "120 per minute;3000 per hour"  # the API and the feeds together, per client address

    # The page cache for anonymous visitors (cop/cache.py): "redis://host:port/db" in production
    # (one store for every worker and host), "file:///path", or "none". Empty: a folder in the
    # instance folder, shared by the workers of one machine.
    CACHE_URL = ""
    PAGE_CACHE_SECONDS = 60  # an entry lives this long at most, even when nothing changed
    CACHE_KEY_PREFIX = "cop:page:"  # in Redis: several sites can share one server
    PAGE_CACHE_PROXY_SECONDS = 10  # Cache-Control s-maxage: how long a shared proxy may keep a page

    # Mail: "smtp" delivers through MAIL_SERVER; "file" logs and writes .eml files to MAIL_FILE_DIR.
    MAIL_BACKEND = "file"
    MAIL_FILE_DIR = str(INSTANCE_DIR / "mail")
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Wijkengids <noreply@wijkengids.localhost>"
    MAIL_SEND_ON_COMMIT = True

    CONFIRM_TOKEN_MAX_AGE = 60 * 60 * 48  # two days
    RESET_TOKEN_MAX_AGE = 60 * 60  # one hour

    HSTS_ENABLED = False
    TRUST_PROXY_HOPS = 0
    TRUST_PROXY_HOST = False  # believe X-Forwarded-Host from the proxy (only if it sets it itself)

    # Where people write to the team behind the platform: /over, the privacy and accessibility
    # statements show it.
    CONTACT_EMAIL = "wijkengids@example.nl"

    # The platform's public address: every absolute link that leaves the app is built from it.
    PUBLIC_URL = "http://127.0.0.1:5000"
    TRUSTED_HOSTS: list[str] | None = None

    # argon2id parameters (argon2-cffi's recommended defaults: RFC 9106's second choice).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024  # KiB
    ARGON2_PARALLELISM = 4

    CONTENT_DIR = str(BASE_DIR / "content")

    @classmethod
    def load(cls) -> dict:
        """Return this class's settings with the environment applied."""
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        env = os.environ
        for key in (
            "MAIL_SERVER",
            "MAIL_USERNAME",
            "MAIL_PASSWORD",
            "MAIL_DEFAULT_SENDER",
            "MAIL_BACKEND",
            "MAIL_FILE_DIR",
            "RATELIMIT_STORAGE_URI",
            "CACHE_URL",
            "CACHE_KEY_PREFIX",
            "CONTENT_DIR",
            "PUBLIC_URL",
            "CONTACT_EMAIL",
        ):
            if key in env:
                settings[key] = env[key]
        if "MAIL_PORT" in env:
            settings["MAIL_PORT"] = int(env["MAIL_PORT"])
        for key in ("MAIL_USE_TLS", "MAIL_USE_SSL", "RATELIMIT_ENABLED", "TRUST_PROXY_HOST"):
            if key in env:
                settings[key] = _env_bool(key)
        if "TRUST_PROXY_HOPS" in env:
            settings["TRUST_PROXY_HOPS"] = int(env["TRUST_PROXY_HOPS"])
        if env.get("SECRET_KEY"):
            settings["SECRET_KEY"] = env["SECRET_KEY"]
        return settings


class DevelopmentConfig(Config):
    @classmethod
    def load(cls) -> dict:
        settings = super().load()
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url(f"sqlite:///{INSTANCE_DIR / 'wijkengids.sqlite'}")
        settings["SECRET_KEY"] = settings["SECRET_KEY"] or _development_secret_key()
        return settings


class TestingConfig(Config):
    TESTING = True
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False
    PUBLIC_URL = "http://localhost"
    CACHE_URL = "none"  # tests of the page cache turn it on (tests/platform/test_page_cache.py)
    # Cheap hashing keeps the suite fast; one test checks the upgrade to the real parameters.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1

    @classmethod
    def load(cls) -> dict:
        settings = super().load()
        settings["SECRET_KEY"] = "test-secret-key-not-for-production"  # noqa: S105
        settings["SQLALCHEMY_DATABASE_URI"] = os.environ.get("TEST_DATABASE_URL", "sqlite://")
        return settings


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True
    MAIL_BACKEND = "smtp"
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def load(cls) -> dict:
        settings = super().load()
        if not settings["SECRET_KEY"]:
            raise RuntimeError(
                "SECRET_KEY must be set in production: "
                "python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError(
                "DATABASE_URL must be set in production (postgresql+psycopg://user:pass@host/db)."
            )
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url(os.environ["DATABASE_URL"])
        if not os.environ.get("PUBLIC_URL"):
            raise RuntimeError(
                "PUBLIC_URL must be set in production: the address members use, e.g. "
                "https://wijkengids.example. Links in mail are built from it, never from a request."
            )
        # Requests for any other host are refused with 400; TRUSTED_HOSTS adds names (e.g. the one
        # a load balancer's health check uses), separated by commas.
        host = urlsplit(settings["PUBLIC_URL"]).hostname
        extra = [name.strip() for name in os.environ.get("TRUSTED_HOSTS", "").split(",") if name.strip()]
        settings["TRUSTED_HOSTS"] = [host, *extra]
        return settings


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

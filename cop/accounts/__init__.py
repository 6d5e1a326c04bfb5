"""Accounts: users, roles, registration, login, password reset, profiles, user admin."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


def init_app(app) -> None:
    from cop.accounts import admin_views, cli, views  # noqa: F401  (routes register on bp)
    from cop.accounts.session import init_login_manager

    init_login_manager(app)
    app.register_blueprint(bp)
    app.cli.add_command(cli.user_cli)

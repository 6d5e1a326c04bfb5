"""Accounts: users, roles, registration, login, password reset, profiles, user admin.

Other packages use ``User``, ``Role``, ``find_by_handle`` and ``privacy`` (the helpers for their
part of a member's data export and of deleting an account) from here, nothing else.
"""

from flask import Blueprint

from cop.accounts import privacy
from cop.accounts.models import Role, User
from cop.accounts.services import find_by_handle

__all__ = ["Role", "User", "bp", "find_by_handle", "init_app", "privacy"]

bp = Blueprint("accounts", __name__)


def init_app(app) -> None:
    from cop.accounts import admin_views, cli, privacy_views, views  # noqa: F401  (routes on bp)
    from cop.accounts.forms import LanguageForm
    from cop.accounts.session import init_login_manager

    init_login_manager(app)
    app.register_blueprint(bp)
    app.cli.add_command(cli.user_cli)
    app.jinja_env.globals["LanguageForm"] = LanguageForm  # the footer's language switch
    from cop import panels
    from cop.accounts.steps import profile_step

    panels.contribute(app, "first-steps", profile_step)
    panels.contribute(app, "privacy-export", privacy.profile_part)
    app.config.setdefault("RATELIMIT_EXPORT", "5 per hour")  # data exports, per member

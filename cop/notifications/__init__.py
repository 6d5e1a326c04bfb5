"""Notifications: in the app (/meldingen, a count in the header) and by mail (at once or in a
daily digest, per kind as each member chose), made from the discussions' signals.

Higher packages read ``unread_count`` from here; the header shows it through the Jinja global
``unread_notifications``.
"""

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("notifications", __name__)


def unread_notifications() -> int:
    """For the header: the logged-in member's unread notifications (one query), else 0."""
    from cop.notifications.services import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


def init_app(app) -> None:
    import click

    from cop import mail, panels
    from cop.notifications import services, views  # noqa: F401  (routes register on bp)

    app.register_blueprint(bp)
    services.connect()
    panels.contribute(app, "mail-unsubscribe", services.unsubscribe_url)
    app.jinja_env.globals["unread_notifications"] = unread_notifications

    @mail.mail_cli.command("digest")
    def digest_command():
        """Send the daily overviews that are due (run it from cron, e.g. every hour)."""
        click.echo(f"{services.send_digests()} overview(s) queued.")

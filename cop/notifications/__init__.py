"""Notifications: in the app (/meldingen, a count in the header) and by mail (at once or in a
daily digest, per kind as each member chose), made from the signals of discussions and circles.

Modules: ``making`` (the subscribers, bulk inserts, mail at once), ``batches`` (what a reply's
or new thread's followers hear, written right after the response), ``reading`` (the count,
/meldingen), ``mailing`` (settings, one-click unsubscribe, the digest, meeting reminders).
"""

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("notifications", __name__)


def unread_notifications() -> int:
    """For the header: the logged-in member's unread notifications (one query), else 0."""
    from cop.notifications.reading import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


def init_app(app) -> None:
    import click

    from cop import mail, panels
    from cop.notifications import mailing, making, views  # noqa: F401  (routes register on bp)

    app.register_blueprint(bp)
    making.connect()
    panels.contribute(app, "mail-unsubscribe", mailing.unsubscribe_url)
    from cop.notifications import privacy

    panels.contribute(app, "privacy-export", privacy.export)
    panels.contribute(app, "account-deletion", privacy.delete_part)
    app.jinja_env.globals["unread_notifications"] = unread_notifications

    @mail.mail_cli.command("digest")
    def digest_command():
        """Send the daily overviews that are due (run it from cron, e.g. every hour)."""
        click.echo(f"{mailing.send_digests()} overview(s) queued.")

    notifications_cli = click.Group("notifications", help="Notifications.")
    app.cli.add_command(notifications_cli)

    @notifications_cli.command("write")
    @click.option("--limit", default=1000, show_default=True, help="At most this many batches.")
    def write_command(limit: int):
        """Write the notifications still waiting: of a reply or new thread whose worker stopped
        before it wrote them (run it from cron, e.g. every minute)."""
        from cop.notifications import batches

        written = batches.write_waiting(limit=limit)
        click.echo(f"{written} batch(es) written, {batches.failed()} failed {batches.MAX_ATTEMPTS} times.")

    @mail.mail_cli.command("reminders")
    def reminders_command():
        """Remind who said they come of tomorrow's meetings (run it from cron, e.g. every hour)."""
        click.echo(f"{mailing.send_reminders()} reminder(s) queued.")

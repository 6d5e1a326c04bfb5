"""Moderation: members flag what they see (a post, thread, contribution, circle or profile); the
moderators' dashboard (/moderatie/) shows the open flags per item, the contributions waiting for
review and the latest actions; flags are dismissed or resolved with an action (hiding the item,
suspending its author); and the audit log (/moderatie/logboek) keeps every action of moderators
and admins, written by subscribers to the lower packages' signals in the same transaction.

Lower packages show the "Report" link with ``templates/_macros/moderation.html`` (by endpoint
name); nothing imports this package but the ones above it (``Flag``, ``AuditEntry``, ``queries``,
``pseudonymise_actor``).
"""

from flask import Blueprint

from cop.moderation import queries
from cop.moderation.audit import pseudonym_for, pseudonymise_actor
from cop.moderation.models import AuditEntry, Flag, FlagReason, FlagStatus

__all__ = [
    "AuditEntry",
    "Flag",
    "FlagReason",
    "FlagStatus",
    "bp",
    "init_app",
    "pseudonym_for",
    "pseudonymise_actor",
    "queries",
]

bp = Blueprint("moderation", __name__)


def init_app(app) -> None:
    from cop import panels as points
    from cop.moderation import audit, panels, views  # noqa: F401  (routes register on bp)

    app.register_blueprint(bp)
    audit.connect()
    points.contribute(app, "dashboard", panels.dashboard_panel)
    points.contribute(app, "privacy-export", panels.privacy_export)
    points.contribute(app, "account-deletion", panels.account_deletion)

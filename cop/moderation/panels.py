"""What moderation adds to pages and processes of lower packages: the open reports on a
moderator's dashboard, a member's part of the privacy export, and what account deletion changes."""

from __future__ import annotations

from sqlalchemy import update

from cop.extensions import db
from cop.moderation import audit, queries
from cop.moderation.models import Flag
from cop.permissions import is_moderator


def dashboard_panel(member):
    """For moderators, how many reported items wait: one query (none for other members)."""
    if not is_moderator(member):
        return None
    return "moderation/_dashboard_panel.html", {"open": queries.open_group_count()}


def privacy_export(member) -> dict:
    """The member's own reports and the audit entries about them: two queries."""
    return {
        "reports": [
            {
                "time": flag.created_at.isoformat(),
                "about": f"{flag.subject_kind} {flag.subject_id}",
                "reason": flag.reason.value,
                "text": flag.text,
                "status": flag.status.value,
            }
            for flag in queries.flags_of(member)
        ],
        "audit_entries_about_me": audit.entries_about(member),
    }


def account_deletion(member) -> None:
    """The audit log keeps the actions with a pseudonym for the member; their reports stay for the
    moderators without their name. Does not commit (the deletion does)."""
    audit.pseudonymise_actor(member.id, audit.pseudonym_for(member.id))
    db.session.execute(
        update(Flag).where(Flag.reporter_id == member.id).values(reporter_id=None),
        execution_options={"synchronize_session": False},
    )

"""Notifications' part of a member's data export and of deleting the account.

Export: the member's notifications and mail settings. Deletion: those go, with the digest state;
other members' notifications keep their place, with the member's name gone from their data. (Mail
to or about the member leaves the outbox in ``cop.accounts.privacy``.)
"""

from __future__ import annotations

from sqlalchemy import delete, select

from cop.accounts import privacy
from cop.extensions import db
from cop.notifications.models import DigestState, Notification, NotificationSetting


def export(member) -> dict:
    """Three queries."""
    notifications = db.session.scalars(
        select(Notification).where(Notification.user_id == member.id).order_by(Notification.created_at)
    ).all()
    settings = db.session.scalars(
        select(NotificationSetting).where(NotificationSetting.user_id == member.id)
    ).all()
    digest = db.session.get(DigestState, member.id)
    return {
        "meldingen": [
            {
                "soort": item.kind,
                "gegevens": item.data,
                "discussie": item.thread_id,
                "leerkring": item.circle_id,
                "bijeenkomst": item.meeting_id,
                "bijdrage": item.contribution_id,
                "gemaakt": privacy.when(item.created_at),
                "gelezen": privacy.when(item.read_at),
                "bezorging": item.delivery,
            }
            for item in notifications
        ],
        "instellingen_meldingen": {
            "per_soort": {setting.kind: setting.delivery for setting in settings},
            "laatste_overzicht": privacy.when(digest.last_sent_at) if digest else None,
        },
    }


def delete_part(member) -> None:
    for model in (Notification, NotificationSetting, DigestState):
        db.session.execute(
            delete(model).where(model.user_id == member.id).execution_options(synchronize_session=False)
        )
    for item in db.session.scalars(
        select(Notification).where(privacy.mentions_member(Notification.data, member, is_json=True))
    ):
        item.data = privacy.scrub_data(item.data, member)

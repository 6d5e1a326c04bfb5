"""Notifications, each member's choice per kind, and when each member last had a digest.

A notification is a typed row (Discourse's ``notifications``): who, what kind, about which thread
and post, by whom, when; read or not; and how it was to be mailed when it was made (at once, in
the daily digest, not at all) and whether the digest has taken it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db_types import UTCDateTime, utcnow
from cop.extensions import db

IMMEDIATELY, DIGEST, OFF = "immediately", "digest", "off"
DELIVERIES = (IMMEDIATELY, DIGEST, OFF)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        # what the header counts and /meldingen marks: a member's unread ones
        Index(
            "ix_notifications_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
        # what the digest picks up
        Index(
            "ix_notifications_digest_due",
            "user_id",
            "created_at",
            postgresql_where=text("delivery = 'digest' AND digested_at IS NULL"),
            sqlite_where=text("delivery = 'digest' AND digested_at IS NULL"),
        ),
        Index("ix_notifications_post_id_kind", "post_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # what a kind needs besides: a reason, an id
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery: Mapped[str] = mapped_column(String(12), default=OFF)
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    thread = relationship("Thread")
    post = relationship("Post")
    circle = relationship("Circle")
    meeting = relationship("Meeting")
    contribution = relationship("Contribution")
    actor = relationship("User", foreign_keys=[actor_id])


class NotificationSetting(db.Model):
    """How a member wants to be mailed about one kind; without a row the kind's default holds."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(12))


class DigestState(db.Model):
    """When a member's last daily digest went out."""

    __tablename__ = "notification_digests"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NotificationBatch(db.Model):
    """Notifications decided in the transaction of the change that causes them and written right
    after its response (``cop.notifications.batches``): what they are about and who hears of it,
    the members fixed at the change. Written and deleted in one transaction, so exactly once."""

    __tablename__ = "notification_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    payload: Mapped[dict] = mapped_column(JSON)

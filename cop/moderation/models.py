"""Flags that members raise about what they see, and the audit log of what moderators and admins did.

An audit entry is written once and never changed: the mapper refuses updates and deletes of one,
and so does the session for bulk UPDATE and DELETE statements on the table, except the one named
exception, ``pseudonymise_actor``, which account deletion needs (the entry keeps the action with a
pseudonym instead of the member's name).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from cop.db_types import UTCDateTime, enum_column, utcnow
from cop.extensions import db


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    MISLEADING = "misleading"
    OTHER = "other"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # something was done about it
    DISMISSED = "dismissed"  # nothing needed doing


class Flag(db.Model):
    """One member's report about one item (a post, thread, contribution, circle or profile)."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "reporter_id", name="uq_flags_subject_reporter"),
        Index("ix_flags_status_subject", "status", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[FlagReason] = mapped_column(enum_column(FlagReason, "flag_reason", 20))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[FlagStatus] = mapped_column(
        enum_column(FlagStatus, "flag_status"), default=FlagStatus.OPEN
    )
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(20), default="")  # the action taken: hide, suspend, none
    note: Mapped[str] = mapped_column(Text, default="")

    reporter = relationship("User", foreign_keys=[reporter_id])
    handled_by = relationship("User", foreign_keys=[handled_by_id])

    def __repr__(self) -> str:
        return f"<Flag {self.subject_kind}:{self.subject_id} by {self.reporter_id}>"


class AuditEntry(db.Model):
    """Who did what, to what, when and why. Labels are copies taken at the time, so that the log
    reads the same after the subject changed or went."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_created_at_id", "created_at", "id"),
        Index("ix_audit_entries_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    subject_label: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User", foreign_keys=[actor_id])

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.subject_kind}:{self.subject_id}>"


class AuditLogIsAppendOnly(Exception):
    """An attempt to change or remove an audit entry."""


# --- the guard ------------------------------------------------------------------------------------

PSEUDONYMISING = "cop_audit_pseudonymising"  # the execution option of pseudonymise_actor's UPDATE


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    # ORM statements on the model (``update(AuditEntry)``); table-level SQL (emptying every table
    # between tests) is not the app's business and is left alone
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is not AuditEntry:
        return
    if state.is_update and state.execution_options.get(PSEUDONYMISING):
        return
    raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")

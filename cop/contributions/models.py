"""Contributions: practice experiences, lesson proposals and suggested improvements, with their
writers, endorsements, the trail of what happened to them and the review's checklist; and the
provenance of lessons (which contributions a lesson came from, in which revision).

A contribution's text lives in ``fields`` (its kind's fields, see ``kinds``) with the rendered HTML
beside it in ``fields_html``; a suggested improvement also keeps the proposed lesson content
(``proposal``) and the revision it started from (``base_revision``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.contributions.kinds import FIELDS, Kind
from cop.contributions.states import PUBLISHED_TO_MEMBERS, Status
from cop.db_types import UTCDateTime, enum_column, utcnow
from cop.extensions import db
from cop.permissions import is_moderator

contribution_themes = Table(
    "contribution_themes",
    db.metadata,
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)

contribution_places = Table(
    "contribution_places",
    db.metadata,
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "neighbourhood_id", ForeignKey("neighbourhoods.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Contribution(db.Model):
    __tablename__ = "contributions"
    # the review queue: a state's contributions, oldest in that state first (and its counts, from
    # the index alone)
    __table_args__ = (Index("ix_contributions_queue", "status", "status_changed_at", "id", "assignee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "contribution_kind", 24), index=True)
    status: Mapped[Status] = mapped_column(
        enum_column(Status, "contribution_status", 24), default=Status.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    fields_html: Mapped[dict] = mapped_column(JSON, default=dict)
    result_bases: Mapped[list] = mapped_column(JSON, default=list)  # measured, observed, heard
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapters.id", ondelete="SET NULL"))
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="SET NULL"), index=True)
    base_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_revisions.id", ondelete="SET NULL")
    )
    proposal: Mapped[dict | None] = mapped_column(JSON)  # a suggested improvement's lesson content
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    recognised_count: Mapped[int] = mapped_column(Integer, default=0)
    works_here_count: Mapped[int] = mapped_column(Integer, default=0)
    endorsement_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)  # first submission
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    privacy_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Two writers saving at once: the second save is refused (cop.transactions maps it to a message).
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    themes = relationship("Theme", secondary=contribution_themes, order_by="Theme.position")
    places = relationship(
        "Neighbourhood",
        secondary=contribution_places,
        order_by="(Neighbourhood.municipality, Neighbourhood.name)",
    )
    author = relationship("User", foreign_keys=[author_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    chapter = relationship("Chapter")
    lesson = relationship("Lesson", foreign_keys=[lesson_id])
    base_revision = relationship("LessonRevision", foreign_keys=[base_revision_id])
    thread = relationship("Thread")
    writers: Mapped[list[ContributionWriter]] = relationship(
        back_populates="contribution", order_by="ContributionWriter.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Contribution {self.id} {self.kind} {self.status}>"

    def field(self, name: str) -> str:
        return (self.fields or {}).get(name, "")

    def html(self, name: str) -> str:
        return (self.fields_html or {}).get(name, "")

    @property
    def kind_fields(self):
        return FIELDS[self.kind]

    @property
    def is_promoted(self) -> bool:
        return self.status == Status.PROMOTED

    # Who may do what: the one place these rules are written; ``queries.visible`` says it in SQL.

    def writer_ids(self, *, accepted_only: bool = True) -> set[int]:
        return {w.user_id for w in self.writers if w.accepted_at is not None or not accepted_only}

    def is_writer(self, user, *, accepted_only: bool = True) -> bool:
        return getattr(user, "is_authenticated", False) and user.id in self.writer_ids(
            accepted_only=accepted_only
        )

    def is_author(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and user.id == self.author_id

    def is_visible_to(self, user) -> bool:
        """A draft is for its writers (and those invited to write); what is on its way is for
        members; a promoted one for everyone; declined and withdrawn ones for writers and moderators."""
        if self.status == Status.PROMOTED:
            return True
        if self.is_writer(user, accepted_only=False):
            return True
        if self.status == Status.DRAFT or not getattr(user, "is_authenticated", False):
            return False
        return self.status in PUBLISHED_TO_MEMBERS or is_moderator(user)

    def is_editable_by(self, user) -> bool:
        return self.is_writer(user)


class ContributionWriter(db.Model):
    """A writer of a contribution: its author, or a co-author who was invited (and accepted)."""

    __tablename__ = "contribution_writers"

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contribution: Mapped[Contribution] = relationship(back_populates="writers")
    user = relationship("User", foreign_keys=[user_id])


class EndorsementRow(db.Model):
    """A member's endorsement: "herkenbaar", or "werkt ook bij ons" with their own neighbourhood."""

    __tablename__ = "endorsements"

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    neighbourhood = relationship("Neighbourhood")


class ContributionEvent(db.Model):
    """The trail: every change of state, with the message that came with it, and the review
    conversation between the writers and the moderators."""

    __tablename__ = "contribution_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(24))  # an Action, or "created", "message", "assigned", …
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    message: Mapped[str] = mapped_column(Text, default="")
    message_html: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User")


class ReviewCheck(db.Model):
    """A moderator's verdict on one criterion of the review (kinds.CRITERIA), with a note."""

    __tablename__ = "review_checks"

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    criterion: Mapped[str] = mapped_column(String(24), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(1000), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LessonOrigin(db.Model):
    """A lesson came (partly) from a contribution, in this revision: the trail both ways."""

    __tablename__ = "lesson_origins"
    __table_args__ = (
        UniqueConstraint("lesson_id", "contribution_id"),
        Index("ix_lesson_origins_recent", "created_at", "id"),  # the home page: lessons from practice
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_revisions.id", ondelete="SET NULL"))
    how: Mapped[str] = mapped_column(String(16))  # new_lesson, into_lesson, change
    promoted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lesson = relationship("Lesson")
    revision = relationship("LessonRevision")
    contribution: Mapped[Contribution] = relationship()

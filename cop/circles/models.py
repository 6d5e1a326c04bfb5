"""Learning circles (leerkringen) and professional groups (vakgroepen): members and facilitators,
requests and invitations, a reading plan through the guide, meetings with attendance, and each
member's secret calendar address.

Who may see what is answered here, once, and in SQL by ``queries`` for lists:

- open: everyone sees everything; any confirmed member joins at once;
- closed (besloten): everyone sees the name, the description and the facilitators; the content
  (threads, members, meetings, reading plan) is for members; joining is by request;
- private (privé): only members know it exists; joining is by invitation.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db_types import UTCDateTime, enum_column, utcnow
from cop.extensions import db
from cop.permissions import can_write


class CircleKind(enum.StrEnum):
    LEARNING = "leerkring"  # learns together for a while around a question, along a reading plan
    PROFESSION = "vakgroep"  # lasting: one profession or role


class Visibility(enum.StrEnum):
    OPEN = "open"
    CLOSED = "besloten"
    PRIVATE = "prive"


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"


class MeetingKind(enum.StrEnum):
    MEETING = "bijeenkomst"
    WORKSHOP = "werkatelier"
    ONLINE = "online"


class Answer(enum.StrEnum):
    YES = "ja"
    MAYBE = "misschien"
    NO = "nee"


circle_themes = Table(
    "circle_themes",
    db.metadata,
    Column("circle_id", ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)

meeting_lessons = Table(
    "meeting_lessons",
    db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("lesson_id", ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True),
)


class Circle(db.Model):
    __tablename__ = "circles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    kind: Mapped[CircleKind] = mapped_column(enum_column(CircleKind, "circle_kind"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")  # a learning circle's question
    goal_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "circle_visibility"), index=True)
    municipality: Mapped[str] = mapped_column(String(80), default="", index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    themes = relationship("Theme", secondary=circle_themes, order_by="Theme.position")
    neighbourhood = relationship("Neighbourhood")

    def __repr__(self) -> str:
        return f"<Circle {self.slug}>"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    # Who may do what: the one place these rules are written. Lists ask the same in SQL
    # (queries.visible_circles, queries.content_visible_ids).

    def role_of(self, user) -> MemberRole | None:
        """The member's role here, or None; looked up once per circle object and member."""
        user_id = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
        if user_id is None or self.id is None:
            return None
        cache = self.__dict__.setdefault("_roles", {})
        if user_id not in cache:
            member = db.session.get(CircleMember, (self.id, user_id))
            cache[user_id] = member.role if member else None
        return cache[user_id]

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles", None)

    def is_member(self, user) -> bool:
        return self.role_of(user) is not None

    def is_facilitator(self, user) -> bool:
        return self.role_of(user) == MemberRole.FACILITATOR

    def is_visible_to(self, user) -> bool:
        """Whether ``user`` may know the circle exists (its name, description, facilitators)."""
        return self.visibility != Visibility.PRIVATE or self.is_member(user)

    def content_is_visible_to(self, user) -> bool:
        """Threads, members, meetings, the reading plan."""
        return self.visibility == Visibility.OPEN or self.is_member(user)

    def is_editable_by(self, user) -> bool:
        """Facilitators change the circle (not once it is archived)."""
        return not self.is_archived and can_write(user) and self.is_facilitator(user)

    def can_take_part(self, user) -> bool:
        """Post, answer attendance, tick lessons: members who may write, until it is archived."""
        return not self.is_archived and can_write(user) and self.is_member(user)


class CircleMember(db.Model):
    __tablename__ = "circle_members"
    __table_args__ = (Index("ix_circle_members_user_id", "user_id"),)

    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[MemberRole] = mapped_column(
        enum_column(MemberRole, "circle_role"), default=MemberRole.MEMBER
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    circle: Mapped[Circle] = relationship()

    @property
    def is_facilitator(self) -> bool:
        return self.role == MemberRole.FACILITATOR


class JoinRequest(db.Model):
    """A request to join a closed circle, and how a facilitator decided it."""

    __tablename__ = "circle_join_requests"
    __table_args__ = (Index("ix_circle_join_requests_open", "circle_id", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted: Mapped[bool | None] = mapped_column(Boolean)
    answer: Mapped[str] = mapped_column(String(1000), default="")  # the facilitator's message
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])


class Invitation(db.Model):
    """An invitation by handle (``user_id``) or by email address (``email``); its signed link is the
    key, usable once, also by someone who still has to register."""

    __tablename__ = "circle_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    inviter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    circle: Mapped[Circle] = relationship()
    inviter = relationship("User", foreign_keys=[inviter_id])


class ReadingItem(db.Model):
    """A lesson in a learning circle's reading plan, with the facilitator's note."""

    __tablename__ = "reading_items"
    __table_args__ = (
        UniqueConstraint("circle_id", "lesson_id", name="uq_reading_items_circle_id_lesson_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))

    lesson = relationship("Lesson")
    meeting = relationship("Meeting")


class ReadingMark(db.Model):
    """A member has read a lesson of the plan; ``shown``: others may see their name with it."""

    __tablename__ = "reading_marks"

    item_id: Mapped[int] = mapped_column(ForeignKey("reading_items.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    shown: Mapped[bool] = mapped_column(Boolean, default=False)


class Meeting(db.Model):
    """A meeting of a circle. Times are stored in UTC and entered and shown in Europe/Amsterdam;
    ``sequence`` goes up with every change that calendars must take over (RFC 5545)."""

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_circle_id_starts_at", "circle_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MeetingKind] = mapped_column(
        enum_column(MeetingKind, "meeting_kind"), default=MeetingKind.MEETING
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    agenda_html: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # the verslag, after the meeting
    notes_html: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notes_thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))

    circle: Mapped[Circle] = relationship()
    lessons = relationship("Lesson", secondary=meeting_lessons, order_by="Lesson.sort_key")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_visible_to(self, user) -> bool:
        """A meeting is part of its circle's content."""
        return self.circle.content_is_visible_to(user)

    def is_editable_by(self, user) -> bool:
        return self.circle.is_editable_by(user)

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= utcnow()


class Attendance(db.Model):
    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    answer: Mapped[Answer] = mapped_column(enum_column(Answer, "attendance_answer"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")


class CalendarFeed(db.Model):
    """The secret address of a member's calendar of their circles' meetings; renewing it ends the old."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

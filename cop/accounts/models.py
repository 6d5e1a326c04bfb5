"""The User and its roles."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.db_types import UTCDateTime, utcnow
from cop.extensions import db
from cop.permissions import is_moderator


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Role(enum.StrEnum):
    """What a member may do beyond taking part; ``cop.permissions`` ranks them."""

    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    # For mentions and the profile's address (/leden/<handle>); lower-case letters, digits, hyphens.
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    job_title: Mapped[str] = mapped_column(String(120), default="")
    municipality: Mapped[str] = mapped_column(String(80), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    # Profiles are for logged-in members; a member may open theirs to everyone.
    profile_public: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="user_role",
            values_callable=lambda e: [m.value for m in e],
            native_enum=False,
            length=16,
        ),
        default=Role.MEMBER,
    )
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspension_reason: Mapped[str] = mapped_column(String(500), default="")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Flask-Login's alternative id: rotating it ends every session and remember cookie.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    # Set when the member deleted the account: the row stays (posts keep "verwijderd lid" as their
    # author) with everything personal gone; ``credit_name`` is the name the member chose to keep
    # on lessons that came from their contributions ("" credits "een deelnemer").
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    credit_name: Mapped[str] = mapped_column(String(80), default="", server_default="")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_suspended(self) -> bool:
        if self.suspended_until is None:
            return False
        return self.suspended_until > utcnow()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return not self.is_suspended and not self.is_deleted

    def is_visible_to(self, viewer) -> bool:
        """Whether ``viewer`` may see this member's profile: the member and moderators always;
        nobody else before the address is confirmed; logged-in members; everyone when the member
        made the profile public (and is not suspended). A deleted account's profile is nobody's."""
        if self.is_deleted:
            return False
        if getattr(viewer, "id", None) == self.id or is_moderator(viewer):
            return True
        if not self.is_confirmed:
            return False
        if getattr(viewer, "is_authenticated", False):
            return True
        return self.profile_public and not self.is_suspended

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

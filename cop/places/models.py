"""Neighbourhoods (wijken): name, municipality, programme; proposed by members, approved, merged or
declined by moderators; and the neighbourhood a member works in."""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db_types import UTCDateTime, enum_column, utcnow
from cop.extensions import db
from cop.permissions import is_moderator


class Programme(enum.StrEnum):
    FORTY = "40"  # the 40 krachtwijken of 2007
    FORTY_PLUS = "40plus"
    OTHER = "other"
    SHRINKING = "krimp"  # krimpgebied


class PlaceStatus(enum.StrEnum):
    APPROVED = "approved"
    PROPOSED = "proposed"
    DECLINED = "declined"
    MERGED = "merged"


def match_key(name: str, municipality: str) -> str:
    """One key for one neighbourhood however it is written: 'Zuilen-Oost' and 'zuilen oost' in
    Utrecht are 'utrecht/zuilenoost'."""

    def letters(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
        return re.sub(r"[^a-z0-9]", "", folded)

    return f"{letters(municipality)}/{letters(name)}"


class Neighbourhood(db.Model):
    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    key: Mapped[str] = mapped_column(String(200), index=True)  # match_key(name, municipality)
    name: Mapped[str] = mapped_column(String(120))
    municipality: Mapped[str] = mapped_column(String(80), index=True)
    programme: Mapped[Programme] = mapped_column(enum_column(Programme, "programme"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(300), default="")  # the source's remark on the name
    status: Mapped[PlaceStatus] = mapped_column(
        enum_column(PlaceStatus, "place_status"), default=PlaceStatus.APPROVED
    )
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id", ondelete="SET NULL"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    merged_into = relationship("Neighbourhood", remote_side=[id])
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.municipality}/{self.name}>"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.municipality})"

    @property
    def is_approved(self) -> bool:
        return self.status == PlaceStatus.APPROVED

    def is_visible_to(self, user) -> bool:
        """Approved ones are public; a proposal is for its proposer and the moderators."""
        if self.is_approved or self.status == PlaceStatus.MERGED:
            return True
        return is_moderator(user) or getattr(user, "id", None) == self.proposed_by_id


class MemberArea(db.Model):
    """The neighbourhood a member works in; others see it only when the member made it public."""

    __tablename__ = "member_areas"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    neighbourhood: Mapped[Neighbourhood] = relationship()
    user = relationship("User")

"""The guide's part of a member's data export and of deleting the account (``cop.accounts.privacy``)."""

from __future__ import annotations

from sqlalchemy import delete, select

from cop.accounts import privacy
from cop.extensions import db
from cop.guide.models import Lesson, LessonRead, LessonRevision


def export(member) -> dict:
    """The lessons the member opened, and the lesson versions they saved: two queries."""
    reads = db.session.execute(
        select(Lesson.number, LessonRead.first_read_at)
        .join(Lesson, Lesson.id == LessonRead.lesson_id)
        .where(LessonRead.user_id == member.id)
        .order_by(LessonRead.first_read_at)
    ).all()
    revisions = db.session.execute(
        select(Lesson.number, LessonRevision)
        .join(Lesson, Lesson.id == LessonRevision.lesson_id)
        .where(LessonRevision.editor_id == member.id)
        .order_by(LessonRevision.created_at)
    ).all()
    return {
        "gelezen_lessen": [{"les": number, "eerst_gelezen": privacy.when(at)} for number, at in reads],
        "lesversies": [
            {
                "les": number,
                "versie": revision.number,
                "titel": revision.title,
                "soort": revision.kind,
                "toelichting": revision.change_note,
                "opgeslagen": privacy.when(revision.created_at),
            }
            for number, revision in revisions
        ],
    }


def delete_part(member) -> None:
    """The reading history goes; change notes that name the member credit "een deelnemer" (or the
    name the member chose to keep)."""
    db.session.execute(delete(LessonRead).where(LessonRead.user_id == member.id))
    if member.credit_name:
        return
    for revision in db.session.scalars(
        select(LessonRevision).where(privacy.mentions_member(LessonRevision.change_note, member))
    ):
        revision.change_note = privacy.scrub_text(revision.change_note, member, privacy.credit_for(member))

"""What a member has read: the first time they opened a lesson (one statement, and a commit).
Whether they did is asked with the lesson (``queries.lesson_by_ref``, ``queries.starting_lesson``)."""

from __future__ import annotations

from cop.db_types import utcnow
from cop.extensions import db
from cop.guide.models import LessonRead
from cop.sql import insert_ignoring_duplicates
from cop.transactions import commit


def record_read(lesson_id: int, user_id: int) -> None:
    """Remember that the member opened the lesson; opening it again changes nothing."""
    db.session.execute(
        insert_ignoring_duplicates(
            LessonRead.__table__,
            {"user_id": user_id, "lesson_id": lesson_id, "first_read_at": utcnow()},
            ["user_id", "lesson_id"],
        )
    )
    commit()

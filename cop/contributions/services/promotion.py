"""Promotion into the guide: as a new lesson, into an existing lesson, or a suggested improvement
accepted. The lesson is saved through the guide's own staging (a revision whose change note names
the contribution) together with the provenance row and the contribution's new state, in one
commit."""

from __future__ import annotations

from flask_babel import gettext as _

from cop import signals
from cop.contributions.kinds import Kind
from cop.contributions.models import Contribution, LessonOrigin
from cop.contributions.services.common import transition
from cop.contributions.services.review import _check_moderator
from cop.contributions.states import Action, next_status
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide import Lesson, check_base, stage_lesson
from cop.guide.rules import LIMITS
from cop.transactions import DomainError, commit

HOW = ("new_lesson", "into_lesson", "change")


def credit(contribution: Contribution) -> str:
    """The names of the writers, for the change note: "Anna de Boer en Bram Jansen"."""
    names = [
        (w.user.credit_name or _("a participant")) if w.user.is_deleted else w.user.display_name
        for w in contribution.writers
        if w.accepted_at is not None and w.user
    ]
    if len(names) <= 1:
        return names[0] if names else _("a former member")
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def default_change_note(contribution: Contribution) -> str:
    if contribution.kind == Kind.CHANGE:
        note = _(
            "Improvement by %(names)s (contribution %(id)d).", names=credit(contribution), id=contribution.id
        )
    else:
        note = _(
            "From the contribution “%(title)s” by %(names)s (contribution %(id)d).",
            title=contribution.title,
            names=credit(contribution),
            id=contribution.id,
        )
    return note[: LIMITS["change_note"]]


def _with_reference(note: str, contribution: Contribution) -> str:
    """The change note always names the contribution, however the moderator rewrote it."""
    note = (note or "").strip() or default_change_note(contribution)
    reference = _("(contribution %(id)d)", id=contribution.id)
    if reference not in note:
        note = f"{note[: LIMITS['change_note'] - len(reference) - 1]} {reference}"
    return note


def promote(
    contribution: Contribution,
    actor,
    *,
    how: str,
    details: dict,
    content: dict,
    change_note: str,
    lesson: Lesson | None = None,
    base_revision=None,
    base_version=None,
) -> tuple[Lesson, object]:
    """Save the lesson the moderator edited and record where it came from. ``how`` is
    "new_lesson" (``lesson`` None), "into_lesson" or "change" (the contribution's own lesson)."""
    _check_moderator(actor)
    next_status(contribution.status, Action.PROMOTE)  # refused unless in review
    if how not in HOW or (how == "change") != (contribution.kind == Kind.CHANGE):
        raise DomainError(_("This contribution cannot be included that way."))
    if how == "change":
        lesson = contribution.lesson
        if lesson is None:
            raise DomainError(_("The lesson this improvement is for no longer exists."))
    if how == "new_lesson":
        lesson = Lesson()
    elif lesson is None or lesson.id is None:
        raise DomainError(_("Choose the lesson to include it in."), "lesson")
    note = _with_reference(change_note, contribution)
    try:
        if how != "new_lesson":
            check_base(lesson, base_revision, base_version)
        result = stage_lesson(
            lesson,
            details,
            content,
            editor=actor,
            change_note=note,
            kind="create" if how == "new_lesson" else "edit",
        )
        db.session.flush()
        revision = result.revision or lesson.current_revision
        existing = (
            db.session.query(LessonOrigin)
            .filter_by(lesson_id=lesson.id, contribution_id=contribution.id)
            .first()
        )
        if existing is None:
            db.session.add(
                LessonOrigin(
                    lesson_id=lesson.id,
                    contribution_id=contribution.id,
                    revision_id=revision.id,
                    how=how,
                    promoted_by_id=actor.id,
                    created_at=utcnow(),
                )
            )
        transition(
            contribution,
            Action.PROMOTE,
            actor,
            lesson=lesson.id,
            number=lesson.number,
            revision=revision.number,
            how=how,
        )
        signals.contribution_promoted.send(
            contribution, actor=actor, lesson=lesson, revision=revision, how=how
        )
    except DomainError:
        db.session.rollback()
        raise
    commit()
    return lesson, revision

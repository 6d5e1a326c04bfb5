"""The moderators' review: taking a contribution (or giving it to another moderator), the checklist,
the conversation with the writers, requesting changes, declining and reopening. Public functions
own the commit."""

from __future__ import annotations

from flask_babel import gettext as _

from cop import signals
from cop.accounts import User
from cop.contributions.kinds import CRITERIA, Verdict
from cop.contributions.models import Contribution, ReviewCheck
from cop.contributions.services.common import check_message, event, transition
from cop.contributions.states import Action, Status, next_status
from cop.db_types import utcnow
from cop.extensions import db
from cop.permissions import is_moderator
from cop.transactions import DomainError, commit

NOTE_MAX = 1000


def _check_moderator(actor) -> None:
    if not is_moderator(actor) or actor.is_suspended:
        raise DomainError(_("Only moderators can review contributions."))


def take(contribution: Contribution, actor, assignee: User | None = None) -> None:
    """Take the contribution into review, for yourself or for another moderator."""
    _check_moderator(actor)
    assignee = assignee or actor
    if not is_moderator(assignee) or assignee.is_suspended:
        raise DomainError(_("Choose a moderator."), "assignee")
    if contribution.status == Status.IN_REVIEW and contribution.assignee_id == assignee.id:
        return
    next_status(contribution.status, Action.TAKE)  # refused before anything changes
    contribution.assignee_id = assignee.id
    transition(contribution, Action.TAKE, actor, assignee=assignee.id, name=assignee.display_name)
    commit(_("Another moderator took this contribution at the same moment. Look who has it now."))


def release(contribution: Contribution, actor) -> None:
    """Give it back to the queue."""
    _check_moderator(actor)
    next_status(contribution.status, Action.RELEASE)  # refused before anything changes
    contribution.assignee_id = None
    transition(contribution, Action.RELEASE, actor)
    commit()


def request_changes(contribution: Contribution, actor, message: str) -> None:
    _check_moderator(actor)
    message = check_message(
        message, required=True, missing=_("Tell the writers what should change before it can be included.")
    )
    transition(contribution, Action.REQUEST_CHANGES, actor, message)
    commit()


def decline(contribution: Contribution, actor, reason: str) -> None:
    _check_moderator(actor)
    reason = check_message(reason, required=True, missing=_("Give the reason: the writers will read it."))
    transition(contribution, Action.DECLINE, actor, reason)
    commit()


def reopen(contribution: Contribution, actor, message: str = "") -> None:
    """A declined contribution gets a second look; the moderator who reopens it has it."""
    _check_moderator(actor)
    next_status(contribution.status, Action.REOPEN)  # refused before anything changes
    contribution.assignee_id = actor.id
    transition(contribution, Action.REOPEN, actor, check_message(message))
    commit()


def decide(contribution: Contribution, actor, action: str, message: str) -> None:
    """One of the review page's decisions by name."""
    handlers = {"request_changes": request_changes, "decline": decline, "reopen": reopen}
    if action not in handlers:
        raise DomainError(_("Choose what to do."), "action")
    handlers[action](contribution, actor, message)


def save_checks(contribution: Contribution, actor, verdicts: dict[str, tuple[str, str]]) -> int:
    """The checklist: ``{criterion: (verdict, note)}``; an empty verdict clears it. Returns how
    many criteria changed."""
    _check_moderator(actor)
    if contribution.status in (Status.DRAFT, Status.WITHDRAWN):
        raise DomainError(_("This contribution is not under review."))
    criteria = {criterion.name for criterion in CRITERIA[contribution.kind]}
    existing = {
        check.criterion: check
        for check in db.session.query(ReviewCheck).filter(ReviewCheck.contribution_id == contribution.id)
    }
    changed = 0
    now = utcnow()
    for name, (verdict, note) in verdicts.items():
        if name not in criteria:
            continue
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            raise DomainError(_("Use at most %(max)d characters.", max=NOTE_MAX), name)
        check = existing.get(name)
        if not verdict:
            if check is not None:
                db.session.delete(check)
                changed += 1
            continue
        try:
            verdict = Verdict(verdict).value
        except ValueError:
            raise DomainError(_("Choose a verdict."), name) from None
        if check is None:
            db.session.add(
                ReviewCheck(
                    contribution_id=contribution.id,
                    criterion=name,
                    verdict=verdict,
                    note=note,
                    updated_by_id=actor.id,
                    updated_at=now,
                )
            )
        elif (check.verdict, check.note) != (verdict, note):
            check.verdict, check.note, check.updated_by_id, check.updated_at = verdict, note, actor.id, now
        else:
            continue
        changed += 1
    if changed:
        event(contribution, actor, "checklist", count=changed)
        commit()
    return changed


def message(contribution: Contribution, actor, text: str) -> None:
    """A message in the review conversation between the writers and the moderators."""
    if not (contribution.is_writer(actor) or is_moderator(actor)):
        raise DomainError(_("Only the writers and the moderators take part in the review conversation."))
    if contribution.status == Status.DRAFT:
        raise DomainError(_("The review conversation starts when the contribution is submitted."))
    text = check_message(text, required=True, missing=_("Write your message."))
    row = event(contribution, actor, "message", message=text)
    db.session.flush()
    signals.review_message.send(contribution, actor=actor, event=row)
    commit()

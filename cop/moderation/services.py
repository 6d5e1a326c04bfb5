"""Flagging an item, and the moderators' handling of the flags about one item. Public functions own
the commit; the audit entry and the flaggers' notifications are added by the subscribers of
``flag_resolved`` in the same transaction."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from cop import signals
from cop.accounts import User
from cop.accounts import services as accounts
from cop.db_types import utcnow
from cop.discussions import moderating
from cop.extensions import db
from cop.moderation.models import Flag, FlagReason, FlagStatus
from cop.moderation.subjects import KINDS, FlagGroup
from cop.permissions import can_write, is_admin, is_moderator
from cop.transactions import DomainError, commit, rollback

TEXT_LIMIT = 1000
DECISIONS = ("dismiss", "resolve", "hide", "suspend")


def already_flagged(user, kind: str, subject_id: int) -> bool:
    """One query."""
    return (
        db.session.scalar(
            select(Flag.id).where(
                Flag.subject_kind == kind, Flag.subject_id == subject_id, Flag.reporter_id == user.id
            )
        )
        is not None
    )


def flag(user, kind: str, obj, reason: str, text: str = "") -> Flag:
    """``user`` reports ``obj`` (of ``kind``, which they may see): once per item."""
    subject = KINDS[kind]
    if not can_write(user):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    if subject.author_id(obj) == user.id:
        raise DomainError(_("You cannot report something of your own."))
    try:
        reason = FlagReason(reason)
    except ValueError:
        raise DomainError(_("Choose a reason."), "reason") from None
    text = (text or "").strip()
    if len(text) > TEXT_LIMIT:
        raise DomainError(_("Use at most %(max)d characters.", max=TEXT_LIMIT), "text")
    if reason == FlagReason.OTHER and not text:
        raise DomainError(_("Say in a few words what is wrong."), "text")
    twice = _("You have reported this already. A moderator will look at it.")
    if already_flagged(user, kind, obj.id):
        raise DomainError(twice, "reason")
    item = Flag(subject_kind=kind, subject_id=obj.id, reporter_id=user.id, reason=reason, text=text)
    db.session.add(item)
    commit(twice)
    return item


def hide_available(kind: str) -> bool:
    """Whether the discussions can hide this kind of item."""
    return kind in ("post", "thread")


def may_suspend(actor, target) -> bool:
    """Admins suspend anyone but themselves; moderators suspend members (not other staff)."""
    if target is None or actor is None or target.id == actor.id:
        return False
    return is_admin(actor) or (is_moderator(actor) and not is_moderator(target))


def handle(
    group: FlagGroup,
    actor,
    decision: str,
    note: str,
    *,
    days: int | None = None,
    suspension_reason: str = "",
) -> str:
    """Close every open flag about the item: dismissed, or resolved (with nothing more to do, by
    hiding the item, or by suspending its author for ``days`` days, 0 meaning until lifted). The
    flaggers are told. One transaction; returns the decision."""
    if decision not in DECISIONS:
        raise DomainError(_("Choose what to do."), "decision")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Write a short note for the log."), "note")
    open_flags = list(
        db.session.scalars(
            select(Flag).where(
                Flag.subject_kind == group.kind,
                Flag.subject_id == group.subject_id,
                Flag.status == FlagStatus.OPEN,
            )
        )
    )
    if not open_flags:
        raise DomainError(_("These reports have been handled already."))
    target = None
    if decision == "suspend":
        if group.author_id is not None:
            target = db.session.get(User, group.author_id)
        if not may_suspend(actor, target):
            raise DomainError(_("You cannot suspend the author of this item."), "decision")
        if days is None or days < 0:
            raise DomainError(_("Choose how long."), "duration")
        suspension_reason = (suspension_reason or "").strip()
        if not suspension_reason:
            raise DomainError(_("Give a reason."), "suspension_reason")
    if decision == "hide" and (not hide_available(group.kind) or group.obj is None):
        raise DomainError(_("This item cannot be hidden here."), "decision")

    outcome = "dismissed" if decision == "dismiss" else "resolved"
    action = {"dismiss": "", "resolve": "none"}.get(decision, decision)
    now = utcnow()
    for item in open_flags:
        item.status = FlagStatus.DISMISSED if outcome == "dismissed" else FlagStatus.RESOLVED
        item.handled_at, item.handled_by_id, item.outcome, item.note = now, actor.id, action, note
    reporters = sorted({item.reporter_id for item in open_flags if item.reporter_id is not None})
    signals.flag_resolved.send(
        group,
        actor=actor,
        outcome=outcome,
        action=action,
        note=note,
        reporter_ids=reporters,
    )
    try:
        if decision == "suspend":
            accounts.suspend(target, days, suspension_reason, actor=actor)  # commits all of it
        elif decision == "hide":
            hide = moderating.hide_post if group.kind == "post" else moderating.hide_thread
            hide(group.obj, actor, note)  # commits all of it (unless it was hidden already)
        commit()
    except DomainError:
        rollback()
        raise
    return decision

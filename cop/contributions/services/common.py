"""What the contribution services share: the trail, state changes, the text of the fields."""

from __future__ import annotations

from flask_babel import gettext as _

from cop import signals
from cop.contributions.kinds import FIELDS
from cop.contributions.models import Contribution, ContributionEvent
from cop.contributions.states import Action, next_status
from cop.db_types import utcnow
from cop.extensions import db
from cop.sanitize import render
from cop.transactions import DomainError

TITLE_MAX = 200
MESSAGE_MAX = 5000


def event(contribution: Contribution, actor, action: str, *, old=None, new=None, message: str = "", **data):
    row = ContributionEvent(
        contribution_id=contribution.id,
        actor_id=getattr(actor, "id", None),
        action=action,
        from_status=str(old) if old is not None else None,
        to_status=str(new) if new is not None else None,
        message=message,
        message_html=render(message) if message else "",
        data=data,
        created_at=utcnow(),
    )
    db.session.add(row)
    return row


def transition(contribution: Contribution, action: Action, actor, message: str = "", **data):
    """Move the contribution by ``action`` (refused where the state machine says so), write the
    trail and tell the subscribers; the caller commits."""
    old = contribution.status
    new = next_status(old, action)
    contribution.status = new
    now = utcnow()
    if new != old:
        contribution.status_changed_at = now
    row = event(contribution, actor, action.value, old=old, new=new, message=message, **data)
    signals.contribution_changed.send(
        contribution, actor=actor, action=action, old=old, new=new, message=message
    )
    return row


def check_message(message: str, field: str = "message", *, required: bool = False, missing: str = "") -> str:
    message = (message or "").strip()
    if required and not message:
        raise DomainError(missing or _("Write a message."), field)
    if len(message) > MESSAGE_MAX:
        raise DomainError(_("Use at most %(max)d characters.", max=MESSAGE_MAX), field)
    return message


def clean_fields(kind, values: dict) -> tuple[dict, dict]:
    """The kind's fields from ``values``, checked (required, length), and their HTML."""
    text, html = {}, {}
    for field in FIELDS[kind]:
        value = (values.get(field.name) or "").strip()
        if field.required and not value:
            raise DomainError(str(field.missing or _("Fill in this field.")), field.name)
        if len(value) > field.limit:
            raise DomainError(_("Use at most %(max)d characters.", max=field.limit), field.name)
        if value:
            text[field.name] = value
            html[field.name] = render(value) if field.markdown else ""
    return text, html

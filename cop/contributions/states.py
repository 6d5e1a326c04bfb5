"""The life of a contribution as one explicit state machine.

    draft ──submit──▶ submitted ──take──▶ in review ──request changes──▶ changes requested
                        ▲   ◀──release──     │  │                          │
                        └──────────submit───────┼──────────────────────────┘
                                             │  └──decline──▶ declined ──reopen──▶ in review
                                             └──promote──▶ promoted
    submitted, in review, changes requested ──withdraw──▶ withdrawn

``TRANSITIONS`` says, for every action, from which states it may be taken and where it leads;
everything not in it is refused with a message. Editing is an action that keeps the state.
Writers take the writer's actions, moderators the others (``cop.permissions`` decides who is who).
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cop.transactions import DomainError


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    PROMOTED = "promoted"


class Action(enum.StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    TAKE = "take"
    RELEASE = "release"
    REQUEST_CHANGES = "request_changes"
    DECLINE = "decline"
    REOPEN = "reopen"
    PROMOTE = "promote"


S = Status
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.EDIT: {S.DRAFT: S.DRAFT, S.SUBMITTED: S.SUBMITTED, S.CHANGES_REQUESTED: S.CHANGES_REQUESTED},
    Action.SUBMIT: {S.DRAFT: S.SUBMITTED, S.CHANGES_REQUESTED: S.SUBMITTED},
    Action.WITHDRAW: {S.SUBMITTED: S.WITHDRAWN, S.IN_REVIEW: S.WITHDRAWN, S.CHANGES_REQUESTED: S.WITHDRAWN},
    Action.TAKE: {S.SUBMITTED: S.IN_REVIEW, S.IN_REVIEW: S.IN_REVIEW},
    Action.RELEASE: {S.IN_REVIEW: S.SUBMITTED},
    Action.REQUEST_CHANGES: {S.IN_REVIEW: S.CHANGES_REQUESTED},
    Action.DECLINE: {S.IN_REVIEW: S.DECLINED},
    Action.REOPEN: {S.DECLINED: S.IN_REVIEW},
    Action.PROMOTE: {S.IN_REVIEW: S.PROMOTED},
}
WRITER_ACTIONS = frozenset({Action.EDIT, Action.SUBMIT, Action.WITHDRAW})
MODERATOR_ACTIONS = frozenset(Action) - WRITER_ACTIONS
# Seen by members other than the writers (and moderators): what is on its way or in the guide.
PUBLISHED_TO_MEMBERS = frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.PROMOTED})
OPEN_FOR_REVIEW = frozenset({S.SUBMITTED, S.IN_REVIEW})

STATUS_LABELS = {
    S.DRAFT: _l("Draft"),
    S.SUBMITTED: _l("Submitted"),
    S.IN_REVIEW: _l("In review"),
    S.CHANGES_REQUESTED: _l("Changes requested"),
    S.DECLINED: _l("Declined"),
    S.WITHDRAWN: _l("Withdrawn"),
    S.PROMOTED: _l("Included in the guide"),
}


def allowed(status: Status, action: Action) -> bool:
    return status in TRANSITIONS[action]


def actions_from(status: Status) -> list[Action]:
    return [action for action in Action if allowed(status, action)]


def refusal(status: Status, action: Action) -> str:
    """Why ``action`` cannot be taken now, for the member who tried."""
    if action == Action.EDIT:
        if status == S.IN_REVIEW:
            return _(
                "A moderator is reviewing this contribution; it cannot be changed until the review is done."
            )
        return _(
            "This contribution can no longer be changed: it is %(status)s.",
            status=str(STATUS_LABELS[status]).lower(),
        )
    if action == Action.SUBMIT and status in (S.SUBMITTED, S.IN_REVIEW):
        return _("This contribution has been submitted already.")
    if status == S.SUBMITTED and action in (Action.REQUEST_CHANGES, Action.DECLINE, Action.PROMOTE):
        return _("Take the contribution into review first.")
    return _(
        "That is not possible now: the contribution is %(status)s.", status=str(STATUS_LABELS[status]).lower()
    )


def next_status(status: Status, action: Action) -> Status:
    """Where ``action`` leads from ``status``; a DomainError when it is not allowed there."""
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise DomainError(refusal(status, action)) from None

"""Contribution operations, one module per part of its life: writing, the community around it,
review and promotion. Public functions own the commit and send their signals before it."""

from cop.contributions.services.community import (
    comment,
    endorse,
    follow,
    stage_follow,
    withdraw_endorsement,
)
from cop.contributions.services.promotion import credit, default_change_note, promote
from cop.contributions.services.review import decide, message, release, save_checks, take
from cop.contributions.services.writing import (
    answer_invitation,
    create,
    delete_draft,
    invite_coauthor,
    remove_coauthor,
    submit,
    update,
    withdraw,
)

__all__ = [
    "answer_invitation",
    "comment",
    "create",
    "credit",
    "decide",
    "default_change_note",
    "delete_draft",
    "endorse",
    "follow",
    "invite_coauthor",
    "message",
    "promote",
    "release",
    "remove_coauthor",
    "save_checks",
    "stage_follow",
    "submit",
    "take",
    "update",
    "withdraw",
    "withdraw_endorsement",
]

"""What each entry of a contribution's trail says (templates: ``event_label``, ``verdict_label``)."""

from __future__ import annotations

from flask_babel import gettext as _

from cop.contributions.kinds import VERDICT_LABELS, Verdict


def event_label(event) -> str:
    data = event.data or {}
    action = event.action
    if action == "take" and data.get("assignee") not in (None, event.actor_id):
        return _("gave it to %(name)s for review", name=data.get("name", ""))
    if action == "promote":
        return _(
            "included it in lesson %(number)s (version %(version)s)",
            number=data.get("number", ""),
            version=data.get("revision", ""),
        )
    if action == "coauthor_invited":
        return _("asked %(name)s to write along", name=data.get("name", ""))
    labels = {
        "created": _("started it as a draft"),
        "edited": _("edited it"),
        "submit": _("submitted it for review") if event.from_status == "draft" else _("submitted it again"),
        "take": _("took it into review"),
        "release": _("put it back in the queue"),
        "request_changes": _("asked for changes"),
        "decline": _("declined it"),
        "reopen": _("reopened it"),
        "withdraw": _("withdrew it"),
        "message": _("wrote"),
        "checklist": _("judged the criteria"),
        "coauthor_accepted": _("accepted to write along"),
        "coauthor_declined": _("declined to write along"),
        "coauthor_removed": _("removed a co-author"),
    }
    return labels.get(action, action)


def verdict_label(verdict: str) -> str:
    try:
        return str(VERDICT_LABELS[Verdict(verdict)])
    except ValueError:
        return verdict

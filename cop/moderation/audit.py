"""The audit log: one entry for every action of a moderator or admin, written by subscribers to the
signals of the lower packages, in the transaction of the action itself (a change that fails leaves
no entry, and no change is stored without one).

Entries are never changed or removed (``models`` refuses it), with one exception:
``pseudonymise_actor`` replaces a member's name by a pseudonym when the member deletes the account.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from cop import signals
from cop.extensions import db
from cop.moderation.models import PSEUDONYMISING, AuditEntry

# The actions the log knows, with what the log page calls them.
ACTIONS = {
    "role_changed": _l("Role changed"),
    "member_suspended": _l("Member suspended"),
    "member_unsuspended": _l("Suspension lifted"),
    "post_deleted": _l("Message deleted"),
    "post_hidden": _l("Message hidden"),
    "post_restored": _l("Message restored"),
    "thread_pin": _l("Discussion pinned"),
    "thread_unpin": _l("Discussion unpinned"),
    "thread_lock": _l("Discussion closed"),
    "thread_unlock": _l("Discussion reopened"),
    "thread_hide": _l("Discussion hidden"),
    "thread_unhide": _l("Discussion restored"),
    "thread_move": _l("Discussion moved"),
    "thread_merge": _l("Discussions merged"),
    "theme_create": _l("Theme created"),
    "theme_rename": _l("Theme renamed"),
    "theme_describe": _l("Theme description changed"),
    "theme_order": _l("Themes reordered"),
    "theme_retire": _l("Theme retired"),
    "theme_restore": _l("Theme brought back"),
    "contribution_request_changes": _l("Contribution: changes requested"),
    "contribution_decline": _l("Contribution declined"),
    "contribution_reopen": _l("Contribution reopened"),
    "contribution_promoted": _l("Contribution included in the guide"),
    "circle_member_removed": _l("Member removed from a circle"),
    "edition_published": _l("Edition published"),
    "flag_resolved": _l("Report handled"),
    "flag_dismissed": _l("Report dismissed"),
}
SUBJECT_KINDS = {
    "member": _l("member"),
    "post": _l("message"),
    "thread": _l("discussion"),
    "theme": _l("theme"),
    "contribution": _l("contribution"),
    "circle": _l("learning circle"),
    "edition": _l("edition"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def _plain(value):
    """A value the details JSON can hold: ids for objects, ISO text for times, values for enums."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "id"):
        return value.id
    return str(value)


def record(
    action: str, subject_kind: str, subject_id, subject_label: str, actor, reason: str = "", /, **details
):
    """Add an entry to the session (the caller's transaction commits it)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=(getattr(actor, "display_name", "") or "")[:80],
        action=action[:40],
        subject_kind=subject_kind,
        subject_id=subject_id,
        subject_label=(subject_label or "")[:200],
        reason=reason or "",
        details={key: _plain(value) for key, value in details.items() if value is not None},
    )
    db.session.add(entry)
    return entry


def _member_label(user) -> str:
    return f"{user.display_name} (@{user.handle})"


def _thread_label(thread) -> str:
    return thread.title


def _post_label(post) -> str:
    return f"{post.thread.title} #{post.number}"


# --- the subscribers ------------------------------------------------------------------------------


def on_role_changed(user, actor, old, new) -> None:
    record("role_changed", "member", user.id, _member_label(user), actor, old=old, new=new)


def on_member_suspended(user, actor, until, reason) -> None:
    record("member_suspended", "member", user.id, _member_label(user), actor, reason, until=until)


def on_member_unsuspended(user, actor) -> None:
    record("member_unsuspended", "member", user.id, _member_label(user), actor)


def on_post_deleted(post, actor) -> None:
    """Only a deletion of someone else's post is a moderator's action."""
    if actor is not None and actor.id == post.author_id:
        return
    record(
        "post_deleted",
        "post",
        post.id,
        _post_label(post),
        actor,
        thread=post.thread_id,
        author=post.author_id,
    )


def _facts(facts: dict) -> tuple[str, dict]:
    reason = facts.pop("reason", "") or ""
    return str(reason), facts


def on_post_hidden(post, actor, **facts) -> None:
    reason, details = _facts(facts)
    record("post_hidden", "post", post.id, _post_label(post), actor, reason, author=post.author_id, **details)


def on_post_restored(post, actor, **facts) -> None:
    reason, details = _facts(facts)
    record("post_restored", "post", post.id, _post_label(post), actor, reason, **details)


def on_thread_moderated(thread, actor, action, **facts) -> None:
    reason, details = _facts(facts)
    record(f"thread_{action}", "thread", thread.id, _thread_label(thread), actor, reason, **details)


def on_theme_saved(theme, actor=None, action="saved", **facts) -> None:
    reason, details = _facts(facts)
    record(f"theme_{action}", "theme", theme.id, theme.title, actor, reason, **details)


MODERATOR_DECISIONS = {"request_changes", "decline", "reopen"}


def on_contribution_changed(contribution, actor, action, old, new, message) -> None:
    action = getattr(action, "value", action)
    if action not in MODERATOR_DECISIONS:
        return
    record(
        f"contribution_{action}",
        "contribution",
        contribution.id,
        contribution.title,
        actor,
        message or "",
        old=old,
        new=new,
    )


def on_contribution_promoted(contribution, actor, lesson, revision, how) -> None:
    record(
        "contribution_promoted",
        "contribution",
        contribution.id,
        contribution.title,
        actor,
        lesson=getattr(lesson, "ref", None),
        revision=revision,
        how=how,
    )


def on_member_left(circle, member, removed_by, reason) -> None:
    if removed_by is None or removed_by.id == member.id:
        return
    record(
        "circle_member_removed",
        "circle",
        circle.id,
        circle.name,
        removed_by,
        reason or "",
        member=member.id,
    )


def on_edition_published(edition, actor=None, **facts) -> None:
    record("edition_published", "edition", edition.id, f"{edition.number}. {edition.title}", actor)


def on_flag_resolved(group, actor, outcome, action, note, reporter_ids) -> None:
    record(
        "flag_dismissed" if outcome == "dismissed" else "flag_resolved",
        group.kind,
        group.subject_id,
        group.label,
        actor,
        note,
        action=action,
        flags=len(reporter_ids),
    )


# Signals that other helpers add to cop/signals.py as they go; each is connected when it exists.
SUBSCRIPTIONS = {
    "role_changed": on_role_changed,
    "member_suspended": on_member_suspended,
    "member_unsuspended": on_member_unsuspended,
    "post_deleted": on_post_deleted,
    "post_hidden": on_post_hidden,
    "post_restored": on_post_restored,
    "thread_moderated": on_thread_moderated,
    "theme_saved": on_theme_saved,
    "contribution_changed": on_contribution_changed,
    "contribution_promoted": on_contribution_promoted,
    "member_left": on_member_left,
    "edition_published": on_edition_published,
    "flag_resolved": on_flag_resolved,
}


def connect() -> None:
    for name, subscriber in SUBSCRIPTIONS.items():
        signal = getattr(signals, name, None)
        if signal is not None:
            signal.connect(subscriber)


# --- privacy --------------------------------------------------------------------------------------


def pseudonym_for(user_id: int) -> str:
    """A stable pseudonym for a deleted member: the same for all their entries, not reversible
    without the secret key."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"audit-actor:{user_id}".encode(), hashlib.sha256).hexdigest()[:10]
    return f"verwijderd-lid-{digest}"


def pseudonymise_actor(user_id: int, pseudonym: str) -> int:
    """Replace a member's name in the audit log by ``pseudonym``: as actor (the entries keep the
    action and who-id) and as subject (entries about them keep the action). The only change the
    log allows. Does not commit; returns how many entries changed."""
    changed = 0
    for condition, values in (
        (AuditEntry.actor_id == user_id, {"actor_label": pseudonym}),
        (
            (AuditEntry.subject_kind == "member") & (AuditEntry.subject_id == user_id),
            {"subject_label": pseudonym},
        ),
    ):
        result = db.session.execute(
            update(AuditEntry).where(condition).values(**values),
            execution_options={PSEUDONYMISING: True, "synchronize_session": False},
        )
        changed += result.rowcount or 0
    return changed


def entries_about(member) -> list[dict]:
    """The member's audit entries as subject, for their data export. One query."""
    rows = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_kind == "member", AuditEntry.subject_id == member.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return [
        {
            "time": entry.created_at.isoformat(),
            "action": entry.action,
            "what": action_label(entry.action),
            "reason": entry.reason,
            "details": entry.details,
        }
        for entry in rows
    ]

"""Mijn gegevens: the export of everything the platform holds about a member, and deleting the account.

Each package contributes its part through the process points of ``cop.panels``:

- ``privacy-export``: ``fn(member) -> {name: data}``; every name becomes ``<name>.json`` in the zip
  (data made of dicts, lists, strings, numbers, dates), and the summary ``overzicht.md`` lists it.
  A part holds only what the member could see already.
- ``account-deletion``: ``fn(member)`` removes or anonymises the package's rows in the session,
  without committing, while ``member`` still holds the old name, handle and address (the helpers
  below find and replace them). Accounts runs last: it empties the account itself and the outbox,
  sends ``member_deleted`` and commits once, so that either every part is done or none.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from enum import Enum

from flask_babel import gettext as _
from sqlalchemy import Text, cast, delete, func, or_

from cop import mail, signals
from cop.accounts import passwords
from cop.accounts.models import User, new_session_token
from cop.db_types import utcnow
from cop.extensions import db
from cop.panels import contributions
from cop.sanitize import escape_markdown
from cop.security import log_after_commit
from cop.transactions import DomainError, commit

# What takes the member's place in what others wrote, and as author (stored: Dutch, the platform's
# language; the interface shows it as it is).
DELETED_NAME = "verwijderd lid"
DELETED_HANDLE = "verwijderd-{id}"
CREDIT_NAME = "een deelnemer"
DELETED_EMAIL = "verwijderd-{id}.invalid"  # unique, and no address: it has no @
SUMMARY = "overzicht.md"
UNUSABLE_PASSWORD = "!deleted"  # no hash: no password verifies against it  # noqa: S105


# --- helpers for the packages' parts --------------------------------------------------------------


def needles(member: User) -> list[str]:
    """The strings that identify ``member`` in text: the address, the name (also as Markdown-escaped
    in a quote's attribution) and the handle as a mention or profile link; lower-case."""
    found = [member.email, member.display_name, escape_markdown(member.display_name)]
    found += [f"@{member.handle}", f"/leden/{member.handle}"]
    return list(dict.fromkeys(value.lower() for value in found if value))


def _json_forms(value: str) -> list[str]:
    """``value`` as it appears inside a JSON document (non-ASCII escaped or not)."""
    return list(dict.fromkeys([value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]]))


def mentions_member(column, member: User, is_json: bool = False):
    """A SQL condition: ``column`` (text, or JSON when ``is_json``) contains one of the member's
    needles, case-insensitively. For finding the rows a deletion must rewrite."""
    target = func.lower(cast(column, Text)) if is_json else func.lower(column)
    values = [form for needle in needles(member) for form in (_json_forms(needle) if is_json else [needle])]
    return or_(*(target.contains(value, autoescape=True) for value in values))


def _pattern(member: User) -> re.Pattern:
    email = re.escape(member.email)
    handle = re.escape(member.handle)
    names = sorted({re.escape(escape_markdown(member.display_name)), re.escape(member.display_name)}, key=len)
    return re.compile(
        rf"{email}|(?:https?://[^\s)\"']*)?/leden/{handle}(?![\w-])|(?<![\w@./-])@{handle}(?![\w@-])|"
        + "|".join(rf"(?<!\w){name}" for name in reversed(names)),  # also "Annas notitie"
        re.IGNORECASE,
    )


def scrub_text(text: str | None, member: User, replacement: str = DELETED_NAME) -> str | None:
    """``text`` with the member's address, name, @mention and profile link replaced by
    ``replacement`` ("verwijderd lid")."""
    if not text:
        return text
    return _pattern(member).sub(lambda _match: replacement, text)


def scrub_data(value, member: User, replacement: str = DELETED_NAME):
    """``scrub_text`` through a JSON value (dicts, lists, strings); a new value, so that the ORM sees
    the change."""
    if isinstance(value, str):
        return scrub_text(value, member, replacement)
    if isinstance(value, list):
        return [scrub_data(item, member, replacement) for item in value]
    if isinstance(value, dict):
        return {key: scrub_data(item, member, replacement) for key, item in value.items()}
    return value


def credit_for(member: User) -> str:
    """How lessons that came from the member's contributions credit them once the account is gone:
    the name they chose to keep, or "een deelnemer". Set before the parts run."""
    return member.credit_name or CREDIT_NAME


_REWRITTEN = "cop_privacy_rewritten"


def rewrote(kind: str, object_id: int) -> None:
    """Note that a part rewrote an object others can find (a "post", a "thread"): ``member_deleted``
    passes these on as ``rewritten`` ({kind: {ids}}), so that the search index refreshes them."""
    db.session.info.setdefault(_REWRITTEN, {}).setdefault(kind, set()).add(object_id)


def when(value) -> str | None:
    """A date or time for the export (ISO 8601)."""
    return value.isoformat() if value is not None else None


# --- the export -----------------------------------------------------------------------------------


def profile_part(member: User) -> dict:
    """Accounts' part: the profile and the account's settings."""
    return {
        "profiel": {
            "id": member.id,
            "email": member.email,
            "gebruikersnaam": member.handle,
            "naam": member.display_name,
            "organisatie": member.organisation,
            "functie": member.job_title,
            "gemeente": member.municipality,
            "over_mij": member.bio,
            "profiel_openbaar": member.profile_public,
            "rol": member.role.value,
            "taal": member.locale,
            "aangemaakt": when(member.created_at),
            "bevestigd": when(member.confirmed_at),
            "laatst_ingelogd": when(member.last_login_at),
            "geschorst_tot": when(member.suspended_until),
            "reden_schorsing": member.suspension_reason,
        }
    }


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"not exportable: {type(value).__name__}")


def collect(member: User) -> dict[str, object]:
    """Every package's part of the export, by file name, in registration order."""
    parts: dict[str, object] = {}
    for fn in contributions("privacy-export"):
        for name, data in (fn(member) or {}).items():
            parts[name] = data
    return parts


def export_zip(member: User) -> bytes:
    """The member's data as a zip: one JSON file per part and ``overzicht.md``."""
    parts = collect(member)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SUMMARY, summary(member, parts))
        for name, data in parts.items():
            archive.writestr(
                f"{name}.json",
                json.dumps(data, default=_plain, ensure_ascii=False, indent=2, sort_keys=False),
            )
    return buffer.getvalue()


def _line(item) -> str:
    if isinstance(item, dict):
        shown = [f"{key}: {_short(value)}" for key, value in item.items() if value not in (None, "", [], {})]
        return "; ".join(shown[:6])
    return _short(item)


def _short(value) -> str:
    if isinstance(value, dict | list):
        value = json.dumps(value, default=_plain, ensure_ascii=False)
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:117] + "…"


def summary(member: User, parts: dict[str, object]) -> str:
    """A readable Markdown summary of the export: per part how much, and the first items."""
    lines = [
        "# " + _("Your data on the Wijkengids"),
        "",
        _(
            "Made on %(date)s for %(name)s (@%(handle)s).",
            date=utcnow().date().isoformat(),
            name=member.display_name,
            handle=member.handle,
        ),
        "",
        _("Each part is also in this zip as a JSON file with everything in it."),
        "",
    ]
    for name, data in parts.items():
        lines += [f"## {name}", ""]
        if isinstance(data, list):
            file_name = f"{name}.json"
            lines.append(_("%(count)d item(s), in %(file)s.", count=len(data), file=file_name))
            lines.append("")
            lines += [f"- {_line(item)}" for item in data[:50]]
            if len(data) > 50:
                lines.append(f"- … ({len(data) - 50} " + _("more in the JSON file") + ")")
        elif isinstance(data, dict):
            lines += [
                f"- **{key}**: {_short(value)}" for key, value in data.items() if value not in (None, "")
            ]
        else:
            lines.append(_short(data))
        lines.append("")
    return "\n".join(lines)


# --- deleting the account -------------------------------------------------------------------------


def _delete_mail(member: User) -> None:
    """Mail to the member or about them, sent or not: gone."""
    OutboxMail = mail.OutboxMail
    db.session.execute(
        delete(OutboxMail)
        .where(
            or_(
                OutboxMail.recipient_id == member.id,
                func.lower(OutboxMail.to_address) == member.email.lower(),
                mentions_member(OutboxMail.body_text, member),
                mentions_member(OutboxMail.subject, member),
            )
        )
        .execution_options(synchronize_session=False)
    )


def _empty_account(member: User) -> None:
    member.email = DELETED_EMAIL.format(id=member.id)
    member.handle = DELETED_HANDLE.format(id=member.id)
    member.display_name = DELETED_NAME
    member.password_hash = UNUSABLE_PASSWORD
    for name in ("organisation", "job_title", "municipality", "bio", "bio_html", "suspension_reason"):
        setattr(member, name, "")
    member.profile_public = False
    member.locale = None
    member.last_login_at = None
    member.deleted_at = utcnow()
    member.session_token = new_session_token()  # every session and remember cookie ends


def check_password(member: User, password: str) -> None:
    if not passwords.verify_password(member.password_hash, password or ""):
        raise DomainError(_("This is not your current password."), "password")


def delete_account(member: User, *, keep_name: bool = False) -> None:
    """Delete ``member``'s account in one transaction: every package's part, then the account and the
    outbox; ``member_deleted`` lets the search index drop the member. The view checked the password."""
    if member.is_deleted:
        raise DomainError(_("This account has been deleted already."))
    member.credit_name = member.display_name if keep_name else ""
    db.session.info.pop(_REWRITTEN, None)
    for fn in contributions("account-deletion"):
        fn(member)
    _delete_mail(member)
    _empty_account(member)
    rewritten = db.session.info.pop(_REWRITTEN, {})
    signals.member_deleted.send(member, rewritten=rewritten)
    log_after_commit("account_deleted", member)
    commit()

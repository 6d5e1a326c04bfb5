"""Neighbourhood operations: the import of the shipped list, proposals and the moderators' decisions
on them, and a member's working area. Public functions own the commit."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select, update

from cop.db_types import utcnow
from cop.extensions import db
from cop.permissions import can_write
from cop.places.models import MemberArea, Neighbourhood, PlaceStatus, Programme, match_key
from cop.sanitize import render
from cop.security import log_after_commit
from cop.text import first_free, slugify
from cop.transactions import DomainError, commit

# The guide names five Utrecht krachtwijken; Hoograven is not one of the national 40.
EXTRA = [
    {"name": "Hoograven", "municipality": "Utrecht", "programme": "other", "note": "Utrecht's own krachtwijk"}
]


def by_key(name: str, municipality: str) -> Neighbourhood | None:
    return db.session.scalar(select(Neighbourhood).where(Neighbourhood.key == match_key(name, municipality)))


def _free_slug(name: str, municipality: str) -> str:
    base = slugify(f"{name} {municipality}", 110) or "wijk"
    taken = set(db.session.scalars(select(Neighbourhood.slug).where(Neighbourhood.slug.startswith(base))))
    return first_free(base, taken)


def _check(name: str, municipality: str, programme: str) -> tuple[str, str, Programme]:
    name, municipality = (name or "").strip(), (municipality or "").strip()
    if not name:
        raise DomainError(_("Enter the name of the neighbourhood."), "name")
    if not municipality:
        raise DomainError(_("Enter the municipality."), "municipality")
    if len(name) > 120:
        raise DomainError(_("Use at most %(max)d characters.", max=120), "name")
    if len(municipality) > 80:
        raise DomainError(_("Use at most %(max)d characters.", max=80), "municipality")
    try:
        return name, municipality, Programme(programme)
    except ValueError:
        raise DomainError(_("Choose a programme."), "programme") from None


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def import_csv(path: Path) -> ImportReport:
    """Load the list (and Hoograven): a new name is added, a known one (whatever its hyphens, case
    and spaces) is updated where its programme or note differ. All or nothing; twice is once."""
    # utf-8-sig: a list saved by a spreadsheet starts with a byte order mark
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    missing = {"name", "municipality", "programme"} - set(reader.fieldnames or ())
    if missing:
        raise DomainError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    try:
        report = _import_rows(path, rows)
    except DomainError:
        db.session.rollback()  # what the rows before the bad one added is not kept
        raise
    commit()
    return report


def _import_rows(path: Path, rows: list[dict]) -> ImportReport:
    report = ImportReport()
    for line, row in enumerate([*rows, *EXTRA], start=2):
        try:
            name, municipality, programme = _check(
                row.get("name"), row.get("municipality"), row.get("programme")
            )
        except DomainError as error:
            raise DomainError(f"{path}:{line}: {error.message}") from None
        note = (row.get("note") or "").strip()[:300]
        existing = by_key(name, municipality)
        if existing is None:
            db.session.add(
                Neighbourhood(
                    slug=_free_slug(name, municipality),
                    key=match_key(name, municipality),
                    name=name,
                    municipality=municipality,
                    programme=programme,
                    note=note,
                    status=PlaceStatus.APPROVED,
                )
            )
            db.session.flush()
            report.added += 1
        elif (existing.programme, existing.note) != (programme, note) and existing.is_approved:
            existing.programme, existing.note = programme, note
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def propose(user, name: str, municipality: str, programme: str, description: str = "") -> Neighbourhood:
    """A member proposes a missing neighbourhood; it is theirs (and the moderators') until approved."""
    if not can_write(user):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    name, municipality, programme = _check(name, municipality, programme)
    existing = by_key(name, municipality)
    if existing is not None and existing.status in (PlaceStatus.APPROVED, PlaceStatus.PROPOSED):
        raise DomainError(_("%(name)s is in the list already.", name=f"{name} ({municipality})"), "name")
    place = Neighbourhood(
        slug=_free_slug(name, municipality),
        key=match_key(name, municipality),
        name=name,
        municipality=municipality,
        programme=programme,
        description=description or "",
        description_html=render(description),
        status=PlaceStatus.PROPOSED,
        proposed_by_id=user.id,
    )
    db.session.add(place)
    commit(_("This neighbourhood was proposed at the same moment. Look for it in the list."))
    return place


def decide(place: Neighbourhood, decision: str, actor, merge_into: Neighbourhood | None = None) -> None:
    """Approve a proposal, merge it into a neighbourhood that exists, or decline it."""
    if place.status != PlaceStatus.PROPOSED:
        raise DomainError(_("This proposal has been decided already."))
    if decision == "merge":
        if merge_into is None or not merge_into.is_approved or merge_into.id == place.id:
            raise DomainError(_("Choose the neighbourhood to merge it into."), "merge_into")
        place.status = PlaceStatus.MERGED
        place.merged_into_id = merge_into.id
        _repoint(place, merge_into)
    elif decision == "approve":
        place.status = PlaceStatus.APPROVED
    elif decision == "decline":
        place.status = PlaceStatus.DECLINED
    else:
        raise DomainError(_("Unknown choice."))
    place.decided_at = utcnow()
    place.decided_by_id = actor.id
    log_after_commit(f"neighbourhood_{decision}", actor, neighbourhood=place.id)
    commit()


def _repoint(old: Neighbourhood, new: Neighbourhood) -> None:
    """Everything that pointed at the merged proposal points at the neighbourhood it joined: member
    areas here, and what higher packages contribute ("neighbourhood-merge", fn(old_id, new_id))."""
    from cop.panels import contributions

    db.session.execute(
        update(MemberArea).where(MemberArea.neighbourhood_id == old.id).values(neighbourhood_id=new.id)
    )
    for fn in contributions("neighbourhood-merge"):
        fn(old.id, new.id)


def set_working_area(user, place: Neighbourhood | None, public: bool) -> None:
    area = db.session.get(MemberArea, user.id)
    if place is None:
        if area is not None:
            db.session.delete(area)
    elif area is None:
        db.session.add(MemberArea(user_id=user.id, neighbourhood_id=place.id, public=public))
    else:
        area.neighbourhood_id, area.public = place.id, public
    commit()

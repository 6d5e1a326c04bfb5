"""Circles' part of a member's data export and of deleting the account.

Export: memberships, join requests, invitations to the member, attendance and the reading plan's
ticks; only circles the member is or was in, or was asked into. Deletion: all of that goes, with the
calendar feed (its token ends); the member's name leaves meeting agendas and notes.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from cop.accounts import privacy
from cop.circles.models import (
    Attendance,
    CalendarFeed,
    Circle,
    CircleMember,
    Invitation,
    JoinRequest,
    Meeting,
    ReadingItem,
    ReadingMark,
)
from cop.extensions import db
from cop.sanitize import render


def export(member) -> dict:
    """Six queries."""
    memberships = db.session.execute(
        select(CircleMember, Circle)
        .join(Circle, Circle.id == CircleMember.circle_id)
        .where(CircleMember.user_id == member.id)
        .order_by(CircleMember.joined_at)
    ).all()
    requests = db.session.execute(
        select(JoinRequest, Circle.name)
        .join(Circle, Circle.id == JoinRequest.circle_id)
        .where(JoinRequest.user_id == member.id)
        .order_by(JoinRequest.created_at)
    ).all()
    invitations = db.session.execute(
        select(Invitation, Circle.name)
        .join(Circle, Circle.id == Invitation.circle_id)
        .where(or_(Invitation.user_id == member.id, Invitation.email == member.email))
        .order_by(Invitation.created_at)
    ).all()
    attendance = db.session.execute(
        select(Attendance, Meeting.title, Meeting.starts_at, Circle.name)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Attendance.user_id == member.id)
        .order_by(Meeting.starts_at)
    ).all()
    marks = db.session.execute(
        select(ReadingMark, Circle.name, ReadingItem.lesson_id)
        .join(ReadingItem, ReadingItem.id == ReadingMark.item_id)
        .join(Circle, Circle.id == ReadingItem.circle_id)
        .where(ReadingMark.user_id == member.id)
    ).all()
    feed = db.session.get(CalendarFeed, member.id)
    return {
        "leerkringen": [
            {
                "leerkring": circle.name,
                "soort": circle.kind.value,
                "rol": membership.role.value,
                "lid_sinds": privacy.when(membership.joined_at),
            }
            for membership, circle in memberships
        ],
        "aanmeldingen": [
            {
                "leerkring": name,
                "bericht": request.message,
                "gevraagd": privacy.when(request.created_at),
                "besloten": privacy.when(request.decided_at),
                "geaccepteerd": request.accepted,
                "antwoord": request.answer,
            }
            for request, name in requests
        ],
        "uitnodigingen": [
            {
                "leerkring": name,
                "uitgenodigd": privacy.when(invitation.created_at),
                "aangenomen": privacy.when(invitation.accepted_at),
            }
            for invitation, name in invitations
        ],
        "aanwezigheid": [
            {
                "leerkring": circle_name,
                "bijeenkomst": title,
                "begint": privacy.when(starts_at),
                "antwoord": row.answer.value,
                "geantwoord": privacy.when(row.answered_at),
            }
            for row, title, starts_at, circle_name in attendance
        ],
        "leesplan": [
            {
                "leerkring": name,
                "les_id": lesson_id,
                "gelezen": privacy.when(mark.read_at),
                "getoond": mark.shown,
            }
            for mark, name, lesson_id in marks
        ],
        "agenda_abonnement": {
            "actief": feed is not None,
            "sinds": privacy.when(feed.created_at) if feed else None,
        },
    }


def delete_part(member) -> None:
    """Memberships, requests, invitations, attendance, reading ticks and the calendar feed go."""
    for model, condition in (
        (CircleMember, CircleMember.user_id == member.id),
        (JoinRequest, JoinRequest.user_id == member.id),
        (Invitation, or_(Invitation.user_id == member.id, Invitation.email == member.email)),
        (Attendance, Attendance.user_id == member.id),
        (ReadingMark, ReadingMark.user_id == member.id),
        (CalendarFeed, CalendarFeed.user_id == member.id),
    ):
        db.session.execute(delete(model).where(condition).execution_options(synchronize_session=False))
    for meeting in db.session.scalars(
        select(Meeting).where(
            or_(
                privacy.mentions_member(Meeting.agenda, member),
                privacy.mentions_member(Meeting.notes, member),
            )
        )
    ):
        meeting.agenda = privacy.scrub_text(meeting.agenda, member)
        meeting.agenda_html = render(meeting.agenda)
        meeting.notes = privacy.scrub_text(meeting.notes, member)
        meeting.notes_html = render(meeting.notes)
        privacy.rewrote("meeting", meeting.id)
    for request in db.session.scalars(
        select(JoinRequest).where(
            or_(
                privacy.mentions_member(JoinRequest.message, member),
                privacy.mentions_member(JoinRequest.answer, member),
            )
        )
    ):
        request.message = privacy.scrub_text(request.message, member)
        request.answer = privacy.scrub_text(request.answer, member)

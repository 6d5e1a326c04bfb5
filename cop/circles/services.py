"""Circle operations: start and edit a circle, join, request, invite, decide, leave, remove, hand
over, archive; the reading plan; meetings, attendance and notes; calendar addresses; reminders.
Public functions own the commit and send their signal before it."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from cop import mail, signals
from cop.accounts import User, find_by_handle
from cop.circles import queries
from cop.circles.models import (
    Answer,
    Attendance,
    CalendarFeed,
    Circle,
    CircleKind,
    CircleMember,
    Invitation,
    JoinRequest,
    Meeting,
    MeetingKind,
    MemberRole,
    ReadingItem,
    ReadingMark,
    Visibility,
)
from cop.db_types import utcnow
from cop.extensions import db
from cop.permissions import can_write
from cop.places import Neighbourhood
from cop.places import queries as places_queries
from cop.sanitize import render
from cop.security import log_after_commit
from cop.text import first_free, slugify
from cop.transactions import DomainError, commit
from cop.urls import public_url

NAME_MAX = 120
INVITATION_SALT = "cop.circles.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30  # an invitation link works for thirty days
URL_SCHEMES = ("http://", "https://")


# --- the circle -----------------------------------------------------------------------------------


def _free_slug(name: str, circle_id: int | None = None) -> str:
    base = slugify(name, 80) or "kring"
    taken = set(
        db.session.scalars(
            select(Circle.slug).where(
                (Circle.slug == base) | Circle.slug.startswith(base + "-"), Circle.id != (circle_id or 0)
            )
        )
    )
    return first_free(base, taken)


def _neighbourhood_id(value, actor, current: int | None) -> int | None:
    """The chosen neighbourhood: the one it had, or one the actor may point at."""
    if value in (None, ""):
        return None
    place = places_queries.by_id(value)
    if place is not None and place.id == current:
        return current
    if place is None or place.id not in {n.id for n in places_queries.choices_for(actor)}:
        raise DomainError(_("Choose a neighbourhood from the list."), "neighbourhood")
    return place.id


def _apply(circle: Circle, fields: dict, actor) -> None:
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError(_("Give the circle a name."), "name")
    if len(name) > NAME_MAX:
        raise DomainError(_("Use at most %(max)d characters.", max=NAME_MAX), "name")
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(_("The end cannot be before the start."), "ends_on")
    circle.kind = CircleKind(fields["kind"])
    circle.name = name
    circle.description = fields.get("description") or ""
    circle.description_html = render(circle.description)
    circle.goal = fields.get("goal") or "" if circle.kind == CircleKind.LEARNING else ""
    circle.goal_html = render(circle.goal)
    circle.visibility = Visibility(fields["visibility"])
    circle.municipality = (fields.get("municipality") or "").strip()
    circle.neighbourhood_id = _neighbourhood_id(fields.get("neighbourhood"), actor, circle.neighbourhood_id)
    if circle.neighbourhood_id and not circle.municipality:
        circle.municipality = db.session.get(Neighbourhood, circle.neighbourhood_id).municipality
    circle.starts_on = starts_on if circle.kind == CircleKind.LEARNING else None
    circle.ends_on = ends_on if circle.kind == CircleKind.LEARNING else None
    circle.themes = list(fields.get("themes") or [])


def create_circle(author, fields: dict) -> Circle:
    """A new circle; its author is its first facilitator."""
    if not can_write(author):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    circle = Circle(created_by_id=author.id)
    _apply(circle, fields, author)
    circle.slug = _free_slug(circle.name)
    db.session.add(circle)
    db.session.flush()
    db.session.add(CircleMember(circle_id=circle.id, user_id=author.id, role=MemberRole.FACILITATOR))
    signals.circle_created.send(circle, actor=author)
    commit(_("A circle with this name was made at the same moment. Try again."))
    return circle


def update_circle(circle: Circle, fields: dict, actor) -> None:
    _apply(circle, fields, actor)
    commit()


def archive(circle: Circle, actor, archived: bool = True) -> None:
    """An archived circle is read-only and stays readable as its visibility says."""
    circle.archived_at = utcnow() if archived else None
    commit()


# --- membership -----------------------------------------------------------------------------------


def _add_member(circle: Circle, user, role=MemberRole.MEMBER) -> CircleMember:
    member = CircleMember(circle_id=circle.id, user_id=user.id, role=role)
    db.session.add(member)
    circle.forget_roles()
    return member


def join(circle: Circle, user, message: str = "") -> str:
    """Join an open circle at once ("joined") or ask to join a closed one ("requested")."""
    if circle.is_archived:
        raise DomainError(_("This circle is archived: nobody can join any more."))
    if not can_write(user):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    if circle.is_member(user):
        return "joined"
    if circle.visibility == Visibility.OPEN:
        _add_member(circle, user)
        signals.member_joined.send(circle, member=user, actor=user)
        commit(_("You are a member already."))
        return "joined"
    if circle.visibility == Visibility.PRIVATE:
        raise DomainError(_("You can join this circle only when a facilitator invites you."))
    if queries.pending_request(circle, user) is None:
        request = JoinRequest(circle_id=circle.id, user_id=user.id, message=(message or "").strip()[:1000])
        db.session.add(request)
        db.session.flush()
        signals.join_requested.send(circle, request=request)
        commit()
    return "requested"


def decide_request(circle: Circle, request: JoinRequest, accept: bool, answer: str, actor) -> None:
    if request.decided_at is not None:
        raise DomainError(_("This request has been answered already."))
    request.decided_at = utcnow()
    request.accepted = accept
    request.answer = (answer or "").strip()[:1000]
    request.decided_by_id = actor.id
    if accept and not circle.is_member(request.user):
        _add_member(circle, request.user)
        signals.member_joined.send(circle, member=request.user, actor=actor)
    signals.join_decided.send(circle, request=request, actor=actor)
    commit()


def _last_facilitator(circle: Circle, member: CircleMember) -> bool:
    return member.is_facilitator and queries.facilitator_count(circle) <= 1


def leave(circle: Circle, user) -> None:
    member = queries.membership(circle, user)
    if member is None:
        return
    if _last_facilitator(circle, member):
        raise DomainError(
            _("You are the last facilitator. Make another member facilitator first, or archive the circle.")
        )
    db.session.delete(member)
    circle.forget_roles()
    signals.member_left.send(circle, member=user, removed_by=None, reason="")
    commit()


def remove_member(circle: Circle, user, reason: str, actor) -> None:
    """A facilitator removes a member, who is told why. Access ends at once."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why: the member sees this reason."), "reason")
    member = queries.membership(circle, user)
    if member is None:
        return
    if _last_facilitator(circle, member):
        raise DomainError(_("The last facilitator cannot be removed. Make another member facilitator first."))
    db.session.delete(member)
    circle.forget_roles()
    signals.member_left.send(circle, member=user, removed_by=actor, reason=reason[:500])
    log_after_commit("circle_member_removed", actor, circle=circle.id, member=user.id)
    commit()


def set_facilitator(circle: Circle, user, facilitator: bool, actor) -> None:
    member = queries.membership(circle, user)
    if member is None:
        raise DomainError(_("Only a member can be a facilitator."))
    if not facilitator and _last_facilitator(circle, member):
        raise DomainError(_("A circle always keeps at least one facilitator."))
    member.role = MemberRole.FACILITATOR if facilitator else MemberRole.MEMBER
    circle.forget_roles()
    commit()


# --- invitations ----------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invitation_token(invitation: Invitation) -> str:
    return _serializer().dumps({"i": invitation.id})


def invitation_for_token(token: str) -> Invitation | None:
    try:
        data = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    return queries.invitation_by_id(data["i"])


def invite(circle: Circle, who: str, actor) -> Invitation:
    """Invite by @handle (they get a notification) or by email address (a mail with a link that
    also works for someone who still has to register)."""
    from email_validator import EmailNotValidError, validate_email

    who = (who or "").strip()
    if not who:
        raise DomainError(_("Give a username (@name) or an email address."), "who")
    if "@" in who[1:]:
        try:
            address = validate_email(who, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            raise DomainError(_("Enter an email address like name@example.nl."), "who") from None
        invitation = Invitation(circle_id=circle.id, inviter_id=actor.id, email=address)
        existing = db.session.scalar(select(User).where(User.email == address))
        if existing is not None and circle.is_member(existing):
            raise DomainError(_("%(name)s is a member already.", name=existing.display_name), "who")
    else:
        user = find_by_handle(who.lstrip("@"))
        if user is None or not user.is_confirmed:
            raise DomainError(_("There is no member with this username."), "who")
        if circle.is_member(user):
            raise DomainError(_("%(name)s is a member already.", name=user.display_name), "who")
        invitation = Invitation(circle_id=circle.id, inviter_id=actor.id, user_id=user.id)
    db.session.add(invitation)
    db.session.flush()
    if invitation.email:
        mail.queue(
            invitation.email,
            "circle_invitation",
            circle=circle,
            inviter=actor,
            link=public_url("circles.invitation", token=invitation_token(invitation)),
        )
    signals.member_invited.send(circle, invitation=invitation, actor=actor)
    commit()
    return invitation


def accept_invitation(invitation: Invitation, user) -> Circle:
    circle = invitation.circle
    if invitation.accepted_at is not None and invitation.accepted_by_id != user.id:
        raise DomainError(_("This invitation has been used already."))
    if invitation.user_id is not None and invitation.user_id != user.id:
        raise DomainError(_("This invitation is for another member."))
    if circle.is_archived:
        raise DomainError(_("This circle is archived: nobody can join any more."))
    if not can_write(user):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    if not circle.is_member(user):
        _add_member(circle, user)
        signals.member_joined.send(circle, member=user, actor=user)
    invitation.accepted_at = invitation.accepted_at or utcnow()
    invitation.accepted_by_id = user.id
    commit()
    return circle


# --- the reading plan -----------------------------------------------------------------------------


def add_reading(circle: Circle, lesson, note: str, meeting: Meeting | None) -> ReadingItem:
    if db.session.scalar(
        select(ReadingItem.id).where(ReadingItem.circle_id == circle.id, ReadingItem.lesson_id == lesson.id)
    ):
        raise DomainError(_("This lesson is in the reading plan already."), "lesson")
    position = db.session.scalar(
        select(func.coalesce(func.max(ReadingItem.position), 0)).where(ReadingItem.circle_id == circle.id)
    )
    item = ReadingItem(
        circle_id=circle.id,
        lesson_id=lesson.id,
        position=position + 1,
        note=note or "",
        note_html=render(note),
        meeting_id=meeting.id if meeting else None,
    )
    db.session.add(item)
    commit(_("This lesson is in the reading plan already."))
    return item


def update_reading(item: ReadingItem, note: str, meeting: Meeting | None) -> None:
    item.note = note or ""
    item.note_html = render(item.note)
    item.meeting_id = meeting.id if meeting else None
    commit()


def remove_reading(item: ReadingItem) -> None:
    db.session.delete(item)
    commit()


def move_reading(circle: Circle, item: ReadingItem, step: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1)."""
    items = [row.item for row in queries.reading_plan(circle, None)]
    index = items.index(item)
    other = index + step
    if 0 <= other < len(items):
        for position, each in enumerate(items, start=1):
            each.position = position
        items[index].position, items[other].position = items[other].position, items[index].position
        commit()


def mark_read(item: ReadingItem, user, read: bool, shown: bool) -> None:
    mark = db.session.get(ReadingMark, (item.id, user.id))
    if read and mark is None:
        db.session.add(ReadingMark(item_id=item.id, user_id=user.id, shown=shown))
    elif read:
        mark.shown = shown
    elif mark is not None:
        db.session.delete(mark)
    commit()


# --- meetings -------------------------------------------------------------------------------------


def _check_meeting(fields: dict) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError(_("The meeting has to end after it starts."), "end_time")
    url = (fields.get("online_url") or "").strip()
    if url and not url.lower().startswith(URL_SCHEMES):
        raise DomainError(_("Enter a web address that starts with https://."), "online_url")
    if fields["kind"] == MeetingKind.ONLINE.value and not url:
        raise DomainError(_("An online session needs the address where it takes place."), "online_url")
    if fields["kind"] != MeetingKind.ONLINE.value and not (fields.get("location") or "").strip() and not url:
        raise DomainError(_("Say where the meeting takes place."), "location")


def _apply_meeting(meeting: Meeting, fields: dict) -> bool:
    """Set the fields; True when something calendars show changed (time, place, title)."""
    _check_meeting(fields)
    before = (
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        meeting.location,
        meeting.online_url,
        meeting.kind,
    )
    meeting.title = fields["title"].strip()
    meeting.kind = MeetingKind(fields["kind"])
    meeting.starts_at = fields["starts_at"]
    meeting.ends_at = fields["ends_at"]
    meeting.location = (fields.get("location") or "").strip()
    meeting.online_url = (fields.get("online_url") or "").strip()
    meeting.agenda = fields.get("agenda") or ""
    meeting.agenda_html = render(meeting.agenda)
    meeting.lessons = list(fields.get("lessons") or [])
    meeting.updated_at = utcnow()
    after = (
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        meeting.location,
        meeting.online_url,
        meeting.kind,
    )
    return before != after


def plan_meeting(circle: Circle, fields: dict, actor) -> Meeting:
    meeting = Meeting(circle_id=circle.id, created_by_id=actor.id)
    _apply_meeting(meeting, fields)
    db.session.add(meeting)
    db.session.flush()
    signals.meeting_planned.send(meeting, actor=actor)
    commit()
    return meeting


def update_meeting(meeting: Meeting, fields: dict, actor) -> bool:
    if meeting.is_cancelled:
        raise DomainError(_("This meeting is cancelled."))
    if _apply_meeting(meeting, fields):
        meeting.sequence += 1
        signals.meeting_changed.send(meeting, actor=actor)
        commit()
        return True
    commit()
    return False


def cancel_meeting(meeting: Meeting, actor) -> None:
    if meeting.is_cancelled:
        return
    meeting.cancelled_at = utcnow()
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    signals.meeting_cancelled.send(meeting, actor=actor)
    commit()


def answer(meeting: Meeting, user, value: str) -> None:
    existing = db.session.get(Attendance, (meeting.id, user.id))
    if existing is None:
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, answer=Answer(value)))
    else:
        existing.answer = Answer(value)
        existing.answered_at = utcnow()
    commit()


def save_notes(meeting: Meeting, notes: str) -> None:
    meeting.notes = notes or ""
    meeting.notes_html = render(meeting.notes)
    commit()


def start_thread_from_notes(meeting: Meeting, actor):
    """A discussion in the circle that opens with the meeting's notes."""
    from cop.discussions import services as discussions

    if not meeting.notes.strip():
        raise DomainError(_("Write the notes first."))
    if meeting.notes_thread_id:
        raise DomainError(_("A discussion of these notes exists already."))
    title = _("Notes: %(title)s", title=meeting.title)[:200]
    thread = discussions.start_thread(
        container_kind="circle",
        container=meeting.circle,
        author=actor,
        kind="discussion",
        title=title,
        body=meeting.notes,
    )
    meeting.notes_thread_id = thread.id
    commit()
    return thread


# --- the calendar address -------------------------------------------------------------------------


def calendar_feed(user) -> CalendarFeed:
    """The member's calendar address, made the first time it is asked for."""
    feed = queries.feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(feed)
        commit()
    return feed


def renew_calendar_feed(user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = queries.feed_of(user)
    if feed is None:
        return calendar_feed(user)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = utcnow()
    log_after_commit("calendar_feed_renewed", user)
    commit()
    return feed


# --- reminders ------------------------------------------------------------------------------------

"""Meetings: planning, changing and cancelling them, attendance, notes, calendar files and each
member's calendar address; and the reading plan."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from cop.circles import bp, queries, services
from cop.circles.calendar import calendar
from cop.circles.forms import AttendanceForm, MeetingForm, NotesForm, ReadForm, ReadingForm
from cop.circles.times import NonexistentTime, local, to_utc
from cop.circles.views.loaders import circle_from_slug, content_or_404, meeting_from_id
from cop.forms import EmptyForm, show_error
from cop.guide import queries as guide_queries
from cop.permissions import editable_or_403, login_required, write_required
from cop.transactions import DomainError

NONEXISTENT = _l("This time does not exist in the Netherlands: the clocks skip it when summer time starts.")


def _meeting_fields(form: MeetingForm, lessons_by_id: dict):
    """The form's fields for the service, or None after putting a time problem at its field."""
    try:
        starts_at = to_utc(form.day.data, form.start_time.data)
    except NonexistentTime:
        form.start_time.errors.append(str(NONEXISTENT))
        return None
    try:
        ends_at = to_utc(form.end_day.data or form.day.data, form.end_time.data)
    except NonexistentTime:
        form.end_time.errors.append(str(NONEXISTENT))
        return None
    return {
        "title": form.title.data,
        "kind": form.kind.data,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": form.location.data,
        "online_url": form.online_url.data,
        "agenda": form.agenda.data,
        "lessons": [lessons_by_id[i] for i in form.lessons.data or [] if i in lessons_by_id],
    }


def _meeting_form(circle, form: MeetingForm, meeting=None):
    lessons = guide_queries.all_lessons(current_user)
    form.set_lessons(lessons)
    if form.validate_on_submit():
        fields = _meeting_fields(form, {lesson.id: lesson for lesson in lessons})
        if fields is not None:
            try:
                if meeting is None:
                    meeting = services.plan_meeting(circle, fields, current_user)
                    flash(_("The meeting is planned; the members have been told."), "success")
                elif services.update_meeting(meeting, fields, current_user):
                    flash(_("The meeting has been changed; the members have been told."), "success")
                else:
                    flash(_("The meeting has been saved."), "success")
            except DomainError as error:
                show_error(form, error)
            else:
                return redirect(url_for("circles.meeting", meeting_id=meeting.id))
    return render_template("circles/meeting_form.html", circle=circle, meeting=meeting, form=form)


@bp.route("/leerkring/<slug>/bijeenkomsten/nieuw", methods=["GET", "POST"])
@write_required
@circle_from_slug
def new_meeting(circle):
    editable_or_403(circle)
    return _meeting_form(circle, MeetingForm())


@bp.route("/bijeenkomst/<int:meeting_id>")
@meeting_from_id
def meeting(meeting):
    return meeting_page(meeting)


def meeting_page(meeting, attendance_form=None, notes_form=None, status: int = 200):
    circle = meeting.circle
    summary = queries.attendance(meeting, current_user)
    return render_template(
        "circles/meeting.html",
        circle=circle,
        meeting=meeting,
        summary=summary,
        is_member=circle.is_member(current_user),
        attendance_form=attendance_form
        or AttendanceForm(answer=summary.mine.value if summary.mine else None),
        action_form=EmptyForm(),
        notes_form=notes_form or NotesForm(notes=meeting.notes),
    ), status


@bp.route("/bijeenkomst/<int:meeting_id>/bewerken", methods=["GET", "POST"])
@write_required
@meeting_from_id
def edit_meeting(meeting):
    editable_or_403(meeting)
    if meeting.is_cancelled:
        abort(404)
    form = MeetingForm()
    if not form.is_submitted():
        start, end = local(meeting.starts_at), local(meeting.ends_at)
        form.process(
            data={
                "title": meeting.title,
                "kind": meeting.kind.value,
                "day": start.date(),
                "start_time": start.time(),
                "end_time": end.time(),
                "end_day": end.date() if end.date() != start.date() else None,
                "location": meeting.location,
                "online_url": meeting.online_url,
                "agenda": meeting.agenda,
                "lessons": [lesson.id for lesson in meeting.lessons],
            }
        )
    return _meeting_form(meeting.circle, form, meeting)


@bp.route("/bijeenkomst/<int:meeting_id>/annuleren", methods=["POST"])
@write_required
@meeting_from_id
def cancel_meeting(meeting):
    editable_or_403(meeting)
    if EmptyForm().validate_on_submit():
        services.cancel_meeting(meeting, current_user)
        flash(_("The meeting is cancelled; the members have been told."), "success")
    return redirect(url_for("circles.meeting", meeting_id=meeting.id))


@bp.route("/bijeenkomst/<int:meeting_id>/aanwezigheid", methods=["POST"])
@write_required
@meeting_from_id
def attend(meeting):
    if not meeting.circle.can_take_part(current_user) or meeting.is_cancelled:
        abort(403)
    form = AttendanceForm()
    if not form.validate_on_submit():
        return meeting_page(meeting, attendance_form=form, status=400)
    services.answer(meeting, current_user, form.answer.data)
    flash(_("Your answer has been saved."), "success")
    return redirect(url_for("circles.meeting", meeting_id=meeting.id))


@bp.route("/bijeenkomst/<int:meeting_id>/verslag", methods=["POST"])
@write_required
@meeting_from_id
def notes(meeting):
    editable_or_403(meeting)
    form = NotesForm()
    if form.validate_on_submit():
        services.save_notes(meeting, form.notes.data or "")
        flash(_("The notes have been saved."), "success")
        return redirect(url_for("circles.meeting", meeting_id=meeting.id) + "#verslag")
    return meeting_page(meeting, notes_form=form, status=400)


@bp.route("/bijeenkomst/<int:meeting_id>/verslag/discussie", methods=["POST"])
@write_required
@meeting_from_id
def notes_thread(meeting):
    editable_or_403(meeting)
    if EmptyForm().validate_on_submit():
        try:
            thread = services.start_thread_from_notes(meeting, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            return redirect(url_for("discussions.thread", ref=thread.ref))
    return redirect(url_for("circles.meeting", meeting_id=meeting.id))


def _ics(meetings, name: str, filename: str) -> Response:
    response = Response(calendar(meetings, name), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/bijeenkomst/<int:meeting_id>.ics")
@meeting_from_id
def meeting_ics(meeting):
    return _ics([meeting], meeting.circle.name, f"bijeenkomst-{meeting.id}.ics")


@bp.route("/agenda/<token>.ics")
def feed(token: str):
    """A member's calendar: their circles' meetings, at a secret address a calendar subscribes to."""
    found = queries.feed_by_token(token)
    if found is None:
        abort(404)
    return _ics(queries.feed_meetings(found.user_id), _("Wijkengids: my meetings"), "wijkengids.ics")


@bp.route("/account/agenda", methods=["GET", "POST"])
@login_required
def calendar_settings():
    if request.method == "POST":
        if EmptyForm().validate_on_submit():
            services.renew_calendar_feed(current_user)
            flash(_("Your calendar has a new address. The old one no longer works."), "success")
        return redirect(url_for("circles.calendar_settings"))
    feed = services.calendar_feed(current_user)
    return render_template(
        "circles/calendar.html",
        feed_url=url_for("circles.feed", token=feed.token, _external=False),
        public_feed_url=_public_feed_url(feed.token),
        meetings=queries.upcoming_meetings(current_user, limit=20),
        form=EmptyForm(),
    )


def _public_feed_url(token: str) -> str:
    from cop.urls import public_url

    return public_url("circles.feed", token=token)


# --- the reading plan -----------------------------------------------------------------------------


def _reading_choices(form: ReadingForm, circle):
    lessons = guide_queries.all_lessons(current_user)
    form.lesson.choices = [("", _("Choose a lesson"))] + [
        (str(lesson.id), f"{lesson.number} {lesson.title}") for lesson in lessons
    ]
    form.meeting.choices = [("", _("No meeting"))] + [
        (str(m.id), f"{m.title} ({local(m.starts_at):%d-%m-%Y})")
        for m in queries.meetings(circle, upcoming=True)
    ]
    return {str(lesson.id): lesson for lesson in lessons}


@bp.route("/leerkring/<slug>/leesplan", methods=["GET", "POST"])
@write_required
@circle_from_slug
def add_reading(circle):
    editable_or_403(circle)
    form = ReadingForm()
    lessons = _reading_choices(form, circle)
    if form.validate_on_submit():
        meeting = queries.meeting_by_id(int(form.meeting.data)) if form.meeting.data else None
        try:
            services.add_reading(circle, lessons[form.lesson.data], form.note.data, meeting)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The lesson has been added to the reading plan."), "success")
            return redirect(url_for("circles.circle", slug=circle.slug) + "#leesplan")
    return render_template("circles/reading_form.html", circle=circle, form=form)


@bp.route("/leerkring/<slug>/leesplan/<int:item_id>", methods=["POST"])
@write_required
@circle_from_slug
def change_reading(circle, item_id: int):
    editable_or_403(circle)
    item = queries.reading_item(circle, item_id)
    if item is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        action = request.form.get("actie")
        if action == "verwijderen":
            services.remove_reading(item)
            flash(_("The lesson has been taken out of the reading plan."), "success")
        elif action in ("omhoog", "omlaag"):
            services.move_reading(circle, item, -1 if action == "omhoog" else 1)
        else:
            abort(400)
    return redirect(url_for("circles.circle", slug=circle.slug) + "#leesplan")


@bp.route("/leerkring/<slug>/leesplan/<int:item_id>/gelezen", methods=["POST"])
@write_required
@circle_from_slug
def read(circle, item_id: int):
    content_or_404(circle)
    if not circle.can_take_part(current_user):
        abort(403)
    item = queries.reading_item(circle, item_id)
    if item is None:
        abort(404)
    form = ReadForm()
    if not form.validate_on_submit() or form.read.data not in ("ja", "nee"):
        abort(400)
    services.mark_read(item, current_user, form.read.data == "ja", bool(form.shown.data))
    return redirect(url_for("circles.circle", slug=circle.slug) + f"#les-{item.id}")

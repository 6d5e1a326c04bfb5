"""Forms for circles, their members, reading plans and meetings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from cop.circles.models import Answer, CircleKind, MeetingKind, Visibility
from cop.forms import Form, max_length, required, strip
from cop.guide.forms.lessons import MultiCheckboxField

KIND_LABELS = {
    CircleKind.LEARNING.value: _l(
        "Learning circle (leerkring): learn together for a while, along a reading plan"
    ),
    CircleKind.PROFESSION.value: _l("Professional group (vakgroep): colleagues of one profession or role"),
}
VISIBILITY_LABELS = {
    Visibility.OPEN.value: _l("Open: everyone can read along, every member can join"),
    Visibility.CLOSED.value: _l("Closed: everyone sees that it exists; joining is by request"),
    Visibility.PRIVATE.value: _l("Private: only members know it exists; joining by invitation"),
}
MEETING_KIND_LABELS = {
    MeetingKind.MEETING.value: _l("Meeting"),
    MeetingKind.WORKSHOP.value: _l("Workshop"),
    MeetingKind.ONLINE.value: _l("Online session"),
}
ANSWER_LABELS = {
    Answer.YES.value: _l("I'm coming"),
    Answer.MAYBE.value: _l("Maybe"),
    Answer.NO.value: _l("I'm not coming"),
}


def markdown_area(label, hint, limit: int, rows: int = 5):
    return TextAreaField(
        label, filters=[strip], description=hint, validators=[max_length(limit)], render_kw={"rows": rows}
    )


class CircleForm(Form):
    kind = RadioField(
        _l("What kind of group?"),
        choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
        default=CircleKind.LEARNING.value,
        validators=[required(_l("Choose a learning circle or a professional group."))],
    )
    name = StringField(
        _l("Name"), filters=[strip], validators=[required(_l("Give the circle a name.")), max_length(120)]
    )
    description = markdown_area(
        _l("Description"), _l("What the group is about and for whom. Markdown is allowed."), 5000
    )
    goal = markdown_area(
        _l("Question or goal (learning circles)"),
        _l("The question you want to learn about together."),
        2000,
        rows=3,
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    neighbourhood = SelectField(
        _l("Neighbourhood (optional)"),
        description=_l("The neighbourhood the group works in, if it is tied to one."),
        validators=[Optional()],
    )
    municipality = StringField(
        _l("Municipality (optional)"),
        filters=[strip],
        validators=[max_length(80)],
        render_kw={"autocomplete": "address-level2"},
    )
    visibility = RadioField(
        _l("Who can see it?"),
        choices=[SelectChoice(k, v) for k, v in VISIBILITY_LABELS.items()],
        default=Visibility.OPEN.value,
        validators=[required(_l("Choose who can see the circle."))],
    )
    starts_on = DateField(_l("Starts on (learning circles, optional)"), validators=[Optional()])
    ends_on = DateField(_l("Ends on (learning circles, optional)"), validators=[Optional()])

    def set_themes(self, themes) -> None:
        self.themes.choices = [SelectChoice(theme.id, theme.title) for theme in themes]

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end cannot be before the start."))

    def fields(self, themes_by_id: dict) -> dict:
        return {
            "kind": self.kind.data,
            "name": self.name.data,
            "description": self.description.data,
            "goal": self.goal.data,
            "themes": [themes_by_id[i] for i in self.themes.data or [] if i in themes_by_id],
            "municipality": self.municipality.data,
            "neighbourhood": self.neighbourhood.data or None,
            "visibility": self.visibility.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
        }


class JoinForm(Form):
    message = TextAreaField(
        _l("A message for the facilitators (optional)"),
        filters=[strip],
        description=_l("Who you are and why you would like to join."),
        validators=[max_length(1000)],
        render_kw={"rows": 3},
    )


class DecideForm(Form):
    decision = HiddenField()  # "accept" or "refuse"
    answer = TextAreaField(
        _l("Message to the applicant (optional)"),
        filters=[strip],
        validators=[max_length(1000)],
        render_kw={"rows": 2},
    )

    def validate_decision(self, field):
        if field.data not in ("accept", "refuse"):
            raise ValidationError(_l("Unknown choice."))


class InviteForm(Form):
    who = StringField(
        _l("Invite"),
        filters=[strip],
        description=_l(
            "A username like @sanne-de-vries, or an email address (also of someone without an account)."
        ),
        validators=[required(_l("Give a username (@name) or an email address.")), max_length(254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class RemoveForm(Form):
    reason = TextAreaField(
        _l("Why"),
        filters=[strip],
        description=_l("The member sees this reason."),
        validators=[required(_l("Say why: the member sees this reason.")), max_length(500)],
        render_kw={"rows": 2},
    )


class ReadingForm(Form):
    lesson = SelectField(_l("Lesson"), coerce=str, validate_choice=False)
    note = markdown_area(
        _l("Note for the readers (optional)"), _l("Why read it, or a question to think about."), 2000, rows=3
    )
    meeting = SelectField(_l("Discussed at (optional)"), coerce=str, validate_choice=False)

    def validate_lesson(self, field):
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Choose a lesson."))

    def validate_meeting(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Unknown choice."))


class ReadForm(Form):
    read = HiddenField()  # "ja": mark as read, "nee": take back
    shown = BooleanField(_l("Others in the circle may see that I read it"))


class MeetingForm(Form):
    title = StringField(
        _l("Title"), filters=[strip], validators=[required(_l("Enter a title.")), max_length(200)]
    )
    kind = RadioField(
        _l("Kind"),
        choices=[SelectChoice(k, v) for k, v in MEETING_KIND_LABELS.items()],
        default=MeetingKind.MEETING.value,
        validators=[required(_l("Choose the kind of meeting."))],
    )
    day = DateField(_l("Date"), validators=[required(_l("Enter the date."))])
    start_time = TimeField(_l("Starts at"), validators=[required(_l("Enter the time it starts."))])
    end_time = TimeField(_l("Ends at"), validators=[required(_l("Enter the time it ends."))])
    end_day = DateField(
        _l("Ends on another day (optional)"),
        validators=[Optional()],
        description=_l("Only for a meeting of more days."),
    )
    location = StringField(
        _l("Address"),
        filters=[strip],
        description=_l("Where you meet, for example: Buurthuis De Pijp, Tolstraat 1, Amsterdam."),
        validators=[max_length(300)],
    )
    online_url = StringField(
        _l("Online link"),
        filters=[strip],
        description=_l("For an online session: the address, starting with https://."),
        validators=[max_length(500)],
        render_kw={"inputmode": "url", "spellcheck": "false"},
    )
    agenda = markdown_area(_l("Agenda (optional)"), _l("Markdown is allowed."), 10_000, rows=5)
    lessons = MultiCheckboxField(_l("Lessons to prepare (optional)"), coerce=int)
    save = SubmitField(_l("Save meeting"))

    def set_lessons(self, lessons) -> None:
        self.lessons.choices = [
            SelectChoice(lesson.id, f"{lesson.number} {lesson.title}") for lesson in lessons
        ]


class AttendanceForm(Form):
    answer = RadioField(
        _l("Are you coming?"),
        choices=[SelectChoice(k, v) for k, v in ANSWER_LABELS.items()],
        validators=[required(_l("Choose an answer."))],
    )


class NotesForm(Form):
    notes = markdown_area(
        _l("Notes (verslag)"), _l("What was discussed and agreed. Markdown is allowed."), 50_000, 12
    )


class ChoiceButtonForm(Form):
    """A button that sends one of two values (``yes`` or ``no``) in its hidden field ``choice``."""

    choice = HiddenField()

    def validate_choice(self, field):
        if field.data not in ("ja", "nee"):
            raise ValidationError(_l("Unknown choice."))

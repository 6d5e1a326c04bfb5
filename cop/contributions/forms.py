"""Forms for contributions: one per kind (made from ``kinds.FIELDS``), submitting, co-authors,
endorsements, comments, and the moderators' review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from cop.contributions.kinds import (
    CRITERIA,
    FIELDS,
    RESULT_BASES,
    VERDICT_LABELS,
    Kind,
)
from cop.contributions.services.common import MESSAGE_MAX, TITLE_MAX
from cop.contributions.services.review import NOTE_MAX
from cop.discussions.forms import body_field
from cop.forms import Form, max_length, required, strip
from cop.guide.forms import LessonForm
from cop.guide.forms.lessons import MultiCheckboxField, content_of, fill_content
from cop.guide.rules import LIMITS
from cop.places.forms import grouped_choices

PLACE_SLOTS = 3


def _message(label, hint=None, *, needed=None, rows: int = 4, id=None):
    validators = [required(needed)] if needed else [Optional()]
    return TextAreaField(
        label,
        filters=[strip],
        description=hint,
        validators=[*validators, max_length(MESSAGE_MAX)],
        render_kw={"rows": rows},
        id=id,
    )


class BaseContributionForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[required(_l("Give your contribution a title.")), max_length(TITLE_MAX)],
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    place_1 = SelectField(_l("Neighbourhood"), validators=[Optional()])
    place_2 = SelectField(_l("Another neighbourhood (optional)"), validators=[Optional()])
    place_3 = SelectField(_l("A third neighbourhood (optional)"), validators=[Optional()])
    version = HiddenField()
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save as draft"))

    kind: Kind

    @property
    def text_fields(self):
        return [self[field.name] for field in FIELDS[self.kind]]

    @property
    def page_order(self) -> list[str]:
        """The fields in the order contributions/form.html shows them (for the error summary)."""
        lesson = ["lesson_title", "objectives", "summary", "body", "quotes", "examples", "sources"]
        texts = [field.name for field in FIELDS[self.kind]]
        if "results" in texts:
            texts.insert(texts.index("results") + 1, "result_bases")
        return [
            "title",
            *(lesson if self.kind == Kind.CHANGE else []),
            *texts,
            "chapter",
            "themes",
            *(f"place_{n}" for n in range(1, PLACE_SLOTS + 1)),
        ]

    def set_choices(self, themes, places) -> None:
        self.themes.choices = [SelectChoice(theme.id, theme.title) for theme in themes]
        for number in range(1, PLACE_SLOTS + 1):
            self[f"place_{number}"].choices = grouped_choices(places, _l("No neighbourhood"))

    def fill_from(self, contribution) -> None:
        self.title.data = contribution.title
        self.themes.data = [theme.id for theme in contribution.themes]
        for number, place in enumerate(contribution.places[:PLACE_SLOTS], start=1):
            self[f"place_{number}"].data = str(place.id)
        for field in FIELDS[self.kind]:
            self[field.name].data = contribution.field(field.name)
        self.version.data = str(contribution.version)

    def values(self, themes_by_id: dict) -> dict:
        return {
            "title": self.title.data,
            "themes": [themes_by_id[i] for i in self.themes.data or [] if i in themes_by_id],
            "places": [self[f"place_{n}"].data for n in range(1, PLACE_SLOTS + 1) if self[f"place_{n}"].data],
            "fields": {field.name: self[field.name].data for field in FIELDS[self.kind]},
        }


def _text_field(field):
    validators = [required(field.missing)] if field.required else [Optional()]
    validators.append(max_length(field.limit))
    if not field.markdown:
        return StringField(field.label, filters=[strip], description=field.hint, validators=validators)
    hint = field.hint
    return TextAreaField(
        field.label, filters=[strip], description=hint, validators=validators, render_kw={"rows": field.rows}
    )


def _with_fields(cls, kind: Kind):
    for field in FIELDS[kind]:
        setattr(cls, field.name, _text_field(field))
    cls.kind = kind
    return cls


class PracticeForm(BaseContributionForm):
    result_bases = MultiCheckboxField(
        _l("How do you know the results?"), choices=[SelectChoice(k, v) for k, v in RESULT_BASES.items()]
    )

    def fill_from(self, contribution) -> None:
        super().fill_from(contribution)
        self.result_bases.data = list(contribution.result_bases or [])

    def values(self, themes_by_id: dict) -> dict:
        return {**super().values(themes_by_id), "result_bases": self.result_bases.data or []}


class LessonProposalForm(BaseContributionForm):
    chapter = SelectField(_l("Suggested chapter (optional)"), validators=[Optional()])

    def set_chapters(self, chapters) -> None:
        self.chapter.choices = [SelectChoice("", _l("No suggestion"))] + [
            SelectChoice(str(c.id), f"{c.number}. {c.title}") for c in chapters
        ]

    def fill_from(self, contribution) -> None:
        super().fill_from(contribution)
        self.chapter.data = str(contribution.chapter_id or "")

    def values(self, themes_by_id: dict, chapters_by_id: dict | None = None) -> dict:
        chapter = (
            (chapters_by_id or {}).get(int(self.chapter.data))
            if (self.chapter.data or "").isdigit()
            else None
        )
        return {**super().values(themes_by_id), "chapter": chapter}


class ChangeForm(BaseContributionForm):
    """A suggested improvement: a copy of the lesson's text to edit, and why."""

    title = StringField(
        _l("Title of your suggestion"),
        filters=[strip],
        validators=[required(_l("Give your contribution a title.")), max_length(TITLE_MAX)],
    )
    lesson_title = StringField(
        _l("Title of the lesson"),
        filters=[strip],
        validators=[required(_l("Enter a title.")), max_length(LIMITS["title"])],
    )
    summary = LessonForm.summary
    objectives = LessonForm.objectives
    body = LessonForm.body
    quotes = LessonForm.quotes
    examples = LessonForm.examples
    sources = LessonForm.sources

    validate_quotes = LessonForm.validate_quotes
    validate_examples = LessonForm.validate_examples
    validate_sources = LessonForm.validate_sources
    validate_objectives = LessonForm.validate_objectives
    add_blank_entries = LessonForm.add_blank_entries

    def fill_content(self, content: dict) -> None:
        fill_content(self, content, title="lesson_title")

    def fill_from(self, contribution) -> None:
        super().fill_from(contribution)
        self.fill_content(contribution.proposal)

    def proposal(self) -> dict:
        return content_of(self, title="lesson_title")

    def values(self, themes_by_id: dict) -> dict:
        return {**super().values(themes_by_id), "proposal": self.proposal()}


_with_fields(PracticeForm, Kind.PRACTICE)
_with_fields(LessonProposalForm, Kind.LESSON)
_with_fields(ChangeForm, Kind.CHANGE)
FORMS = {Kind.PRACTICE: PracticeForm, Kind.LESSON: LessonProposalForm, Kind.CHANGE: ChangeForm}


class SubmitForm(Form):
    privacy = BooleanField(
        _l("My contribution names no residents and holds no personal data of others"),
        description=_l(
            "No names, addresses or stories by which residents or colleagues can be recognised, unless "
            "they agreed to it and it is needed."
        ),
        validators=[
            required(
                _l("Confirm that your contribution names no residents and holds no personal data of others.")
            )
        ],
    )
    note = _message(
        _l("A note for the moderators (optional)"),
        _l("For example: what you changed after their questions."),
        rows=3,
    )


class WithdrawForm(Form):
    reason = _message(_l("Why do you withdraw it? (optional)"), rows=3)


class CoauthorForm(Form):
    handle = StringField(
        _l("Username of the co-author"),
        filters=[strip],
        description=_l("As on their profile page, for example @janjansen. They are asked to accept."),
        validators=[
            required(_l("Enter the username of the member, for example @janjansen.")),
            max_length(31),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class EndorseForm(Form):
    kind = HiddenField()
    neighbourhood = SelectField(_l("Your neighbourhood"), validators=[Optional()])


class CommentForm(Form):
    body = body_field(_l("Your comment"))
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Post"))


class ReviewMessageForm(Form):
    message = _message(
        _l("Message"),
        _l("Only the writers and the moderators read the review conversation."),
        needed=_l("Write your message."),
    )
    back = HiddenField()  # "beoordelen": back to the review page

    def validate_back(self, field):
        if field.data not in (None, "", "beoordelen"):
            raise ValidationError(_l("Unknown choice."))


class FollowForm(Form):
    volgen = HiddenField()  # "ja" follows, "nee" stops

    def validate_volgen(self, field):
        if field.data not in ("ja", "nee"):
            raise ValidationError(_l("Unknown choice."))


class AssignForm(Form):
    assignee = SelectField(_l("Moderator"), validators=[required(_l("Choose a moderator."))])


DECISIONS = {
    "request_changes": _l("Request changes: the writers edit it and submit it again"),
    "decline": _l("Decline: it will not be included in the guide"),
    "reopen": _l("Reopen: review it again"),
}


class DecisionForm(Form):
    action = RadioField(_l("Decision"), validators=[required(_l("Choose what to do."))])
    message = _message(
        _l("Message to the writers"),
        _l("Required when you request changes or decline: say what should change, or why."),
        rows=5,
        id="decision-message",  # the review page also has the conversation's "message"
    )

    def set_actions(self, actions) -> None:
        self.action.choices = [SelectChoice(name, DECISIONS[name]) for name in actions]


def checklist_form(kind: Kind, data: dict | None = None):
    """The review checklist of ``kind``: per criterion a verdict and a note."""

    class ChecklistForm(Form):
        pass

    choices = [
        SelectChoice("", _l("Not judged yet")),
        *(SelectChoice(k.value, v) for k, v in VERDICT_LABELS.items()),
    ]
    for criterion in CRITERIA[kind]:
        setattr(
            ChecklistForm,
            f"verdict_{criterion.name}",
            RadioField(criterion.question, choices=choices, default="", validators=[Optional()]),
        )
        setattr(
            ChecklistForm,
            f"note_{criterion.name}",
            StringField(_l("Note"), filters=[strip], validators=[max_length(NOTE_MAX)]),
        )
    form = ChecklistForm(data=data)
    form.criteria = CRITERIA[kind]
    return form

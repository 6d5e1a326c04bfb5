"""The lesson form. Its structured parts (quotes, examples, sources) are lists of sub-forms; an add
button under each list and a remove button in each entry change them without JavaScript (see
``apply_entry_action``). Every rule it checks comes from ``cop.guide.rules``, like the services'
and the content files' checks. The fields are declared in the order the page shows them, which is
the order the error summary lists their problems in."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from cop.forms import Form, max_length, required, strip
from cop.guide import rules
from cop.guide.forms.entries import (
    EntryActionField,
    ExampleForm,
    QuoteForm,
    SourceForm,
    apply_entry_action,
    filled_entries,
    is_blank,
    list_field,
)
from cop.guide.labels import AUDIENCE_LABELS, EVIDENCE_LABELS, STATUS_LABELS
from cop.guide.models import LessonStatus
from cop.guide.rules import LIMITS, MAX_ITEMS, normalise_content
from cop.guide.services.details import details_version

DIGITS_RE = re.compile(r"^[0-9]{1,18}$")


def lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def objectives_validator(form, field):
    """At most MAX_ITEMS objectives (one per line), each within its limit."""
    objectives = lines(field.data)
    if len(objectives) > MAX_ITEMS["objectives"]:
        raise ValidationError(rules.message("too_many.objectives", max=MAX_ITEMS["objectives"]))
    if any(len(line) > LIMITS["objective"] for line in objectives):
        raise ValidationError(rules.message("too_long", max=LIMITS["objective"]))


def _check_item_count(field_list, kind: str) -> None:
    if filled_entries(field_list) > MAX_ITEMS[kind]:
        raise ValidationError(rules.message(f"too_many.{kind}", max=MAX_ITEMS[kind]))


def fill_content(form, content: dict, title: str = "title") -> None:
    """Put lesson content in a form with the lesson form's content fields (the lesson form, a
    suggested improvement's form); ``title`` names the form's field for the lesson's title."""
    form[title].data = content["title"]
    form.objectives.data = "\n".join(content["objectives"])
    form.summary.data = content["summary"]
    form.body.data = content["body"]
    for name in ("quotes", "examples", "sources"):
        while form[name].entries:
            form[name].pop_entry()
        for item in content[name]:
            form[name].append_entry(item)


def content_of(form, title: str = "title") -> dict:
    """The lesson content a form with the lesson form's content fields holds."""
    return normalise_content(
        {
            "title": form[title].data,
            "summary": form.summary.data,
            "objectives": lines(form.objectives.data),
            "body": form.body.data,
            "quotes": [entry.data for entry in form.quotes],
            "examples": [entry.data for entry in form.examples],
            "sources": [entry.data for entry in form.sources],
        }
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PreviewMixin:
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class LessonForm(PreviewMixin, Form):
    # In the order of the page (templates/guide/lesson_form.html): the place in the guide, the
    # content, its lists, the details, the change note.
    chapter = SelectField(_l("Chapter"), coerce=int, validators=[required(_l("Choose a chapter."))])
    number = StringField(
        _l("Number"),
        filters=[strip],
        description=_l("Chapter and section, for example 1.2."),
        validators=[
            required(_l("Enter the lesson number.")),
            max_length(20),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    slug = StringField(
        _l("Web address name (optional)"),
        filters=[strip],
        description=_l("Lower-case words joined by hyphens. Left empty, it is made from the title."),
        validators=[Optional(), max_length(LIMITS["slug"])],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    status = RadioField(
        _l("Status"),
        choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()],
        default=LessonStatus.DRAFT.value,
        validators=[required(_l("Choose a status."))],
    )
    title = StringField(
        _l("Title"), filters=[strip], validators=[required(_l("Enter a title.")), max_length(LIMITS["title"])]
    )
    objectives = TextAreaField(
        _l("Learning objectives (optional)"),
        filters=[strip],
        description=_l("What a reader knows after reading this lesson. One objective per line."),
        render_kw={"rows": 4},
    )
    summary = TextAreaField(
        _l("In short (optional)"),
        filters=[strip],
        description=_l("The lesson in a few sentences. Markdown is allowed."),
        validators=[max_length(LIMITS["summary"])],
        render_kw={"rows": 4},
    )
    body = TextAreaField(
        _l("Text (optional)"),
        filters=[strip],
        description=_l("Markdown: an empty line starts a new paragraph; ## makes a heading."),
        validators=[max_length(LIMITS["body"])],
        render_kw={"rows": 16},
    )
    quotes = list_field(QuoteForm, _l("Quote"), MAX_ITEMS["quotes"])
    examples = list_field(ExampleForm, _l("Practice example"), MAX_ITEMS["examples"])
    sources = list_field(SourceForm, _l("Source"), MAX_ITEMS["sources"])
    themes = MultiCheckboxField(_l("Themes (optional)"), coerce=int)
    audiences = MultiCheckboxField(
        _l("For whom (optional)"), choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()]
    )
    evidence = RadioField(
        _l("Evidence basis (optional)"),
        choices=[
            SelectChoice("", _l("Not stated")),
            *(SelectChoice(k, v) for k, v in EVIDENCE_LABELS.items()),
        ],
        default="",
        validators=[Optional()],
    )
    last_reviewed = DateField(
        _l("Last reviewed (optional)"),
        validators=[Optional()],
        description=_l("The date an editor last checked this lesson against practice."),
    )
    change_note = StringField(
        _l("What did you change?"),
        filters=[strip],
        description=_l(
            "Needed when you changed the text: a short note for the history, for example: added a source."
        ),
        validators=[max_length(LIMITS["change_note"])],
    )
    # The add and remove buttons of the lists of quotes, examples and sources.
    entry_action = EntryActionField()
    # What the editor started from: the revision number and the details version
    # (lesson_details.details_version). A save from an older form is refused by the service.
    base_revision = HiddenField()
    base_version = HiddenField()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        damaged = False
        for hidden in (self.base_revision, self.base_version):
            if hidden.data and not DIGITS_RE.match(str(hidden.data).strip()):
                damaged = True
                hidden.data = ""  # saving again is a deliberate save over the latest version
        if damaged:
            self.form_errors.append(
                _l(
                    "We could not tell which version of the lesson you started from. Your input is kept "
                    "below: compare it with the lesson as it is now before you save again."
                )
            )
        return ok and not damaged

    def validate_number(self, field):
        problem = rules.number_problem(field.data)
        if problem:
            raise ValidationError(rules.message(problem))

    def validate_slug(self, field):
        if field.data and rules.slug_problem(field.data):
            raise ValidationError(rules.message("slug"))

    def validate_quotes(self, field):
        _check_item_count(field, "quotes")

    def validate_examples(self, field):
        _check_item_count(field, "examples")

    def validate_sources(self, field):
        _check_item_count(field, "sources")

    validate_objectives = objectives_validator

    def set_choices(self, chapters, themes) -> None:
        self.chapter.choices = [SelectChoice(c.id, f"{c.number}. {c.title}") for c in chapters]
        self.themes.choices = [SelectChoice(t.id, t.title) for t in themes]

    def apply_entry_action(self) -> bool:
        """True when an add or remove button of a list was pressed (and applied): see entries.py."""
        return apply_entry_action(self, MAX_ITEMS)

    def can_add(self, name: str) -> bool:
        """Whether the list ``name`` has room for one more entry (its add button is shown)."""
        return len(self[name].entries) < MAX_ITEMS[name]

    def add_blank_entries(self) -> None:
        """One empty quote, example and source at the end, to add another."""
        for name in ("quotes", "examples", "sources"):
            field_list = self[name]
            entries = field_list.entries
            last_is_blank = entries and all(is_blank(f) for f in entries[-1].form)
            if not last_is_blank and len(entries) < MAX_ITEMS[name]:
                field_list.append_entry()

    def fill_from(self, lesson, revision) -> None:
        self.chapter.data = lesson.chapter_id
        self.number.data = lesson.number
        self.slug.data = lesson.slug
        fill_content(self, revision.content())
        self.themes.data = [t.id for t in lesson.themes]
        self.audiences.data = lesson.audiences
        self.evidence.data = lesson.evidence or ""
        self.last_reviewed.data = lesson.last_reviewed
        self.status.data = lesson.status.value
        self.base_revision.data = str(revision.number)
        self.base_version.data = details_version(lesson)

    def content(self) -> dict:
        return content_of(self)

    def details(self, chapters_by_id: dict, themes_by_id: dict) -> dict:
        return {
            "chapter": chapters_by_id[self.chapter.data],
            "number": self.number.data,
            "slug": self.slug.data or "",
            "status": self.status.data,
            "themes": [themes_by_id[i] for i in self.themes.data or [] if i in themes_by_id],
            "audiences": self.audiences.data or [],
            "evidence": self.evidence.data or None,
            "last_reviewed": self.last_reviewed.data,
        }

"""The structured parts of a lesson as sub-forms: quotes, practice examples and sources.

Each is all-or-nothing (an entry with any field filled needs its required fields; an empty entry
is dropped), and a list keeps entries beyond its limit so the editor's input is never lost: the
lesson form refuses the surplus with a message at the list.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp, ValidationError

from cop.forms import max_length, strip
from cop.guide.validation import LIMITS, URL_RE, YEAR_RANGE


def is_blank(field) -> bool:
    if field.raw_data and any(str(v).strip() for v in field.raw_data):
        return False
    return field.data in (None, "")


def _all_or_nothing(form, required_fields: dict) -> bool:
    """An entry left completely empty is dropped; a partly filled one needs its required fields."""
    if all(is_blank(field) for field in form):
        return True
    ok = True
    for name, message in required_fields.items():
        if is_blank(form[name]):
            form[name].errors = [*form[name].errors, message]
            ok = False
    return ok


class QuoteForm(Form):
    text = TextAreaField(
        _l("Quote"), filters=[strip], validators=[max_length(LIMITS["quote.text"])], render_kw={"rows": 4}
    )
    speaker = StringField(
        _l("Speaker"),
        filters=[strip],
        description=_l("For example: Jan Jans"),
        validators=[max_length(LIMITS["quote.speaker"])],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[strip],
        description=_l("For example: gemeente Arnhem"),
        validators=[max_length(LIMITS["quote.organisation"])],
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return (
            _all_or_nothing(
                self, {"text": _l("Enter the text of the quote."), "speaker": _l("Enter who said it.")}
            )
            and ok
        )


class ExampleForm(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[max_length(LIMITS["example.title"])])
    place = StringField(
        _l("Place (optional)"),
        filters=[strip],
        description=_l("Municipality or neighbourhood."),
        validators=[max_length(LIMITS["example.place"])],
    )
    text = TextAreaField(
        _l("Text"),
        filters=[strip],
        description=_l("Markdown is allowed."),
        validators=[max_length(LIMITS["example.text"])],
        render_kw={"rows": 6},
    )
    source = StringField(
        _l("Source (optional)"),
        filters=[strip],
        description=_l("Where this example comes from, for example a report."),
        validators=[max_length(LIMITS["example.source"])],
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return (
            _all_or_nothing(
                self, {"title": _l("Give the example a title."), "text": _l("Describe the example.")}
            )
            and ok
        )


class SourceForm(Form):
    title = StringField(_l("Title"), filters=[strip], validators=[max_length(LIMITS["source.title"])])
    authors = StringField(
        _l("Authors or organisation (optional)"),
        filters=[strip],
        validators=[max_length(LIMITS["source.authors"])],
    )
    publisher = StringField(
        _l("Publisher (optional)"), filters=[strip], validators=[max_length(LIMITS["source.publisher"])]
    )
    # A text field with our own check, so that "twintig" gets one clear message and stays in the field.
    year = StringField(_l("Year (optional)"), filters=[strip], render_kw={"inputmode": "numeric"})
    url = StringField(
        _l("Web address (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            max_length(LIMITS["source.url"]),
            Regexp(URL_RE, message=_l("Enter a web address that starts with https://.")),
        ],
        render_kw={"inputmode": "url", "spellcheck": "false"},
    )
    note = StringField(
        _l("Note (optional)"),
        filters=[strip],
        description=_l("For example who commissioned it."),
        validators=[max_length(LIMITS["source.note"])],
    )

    def validate_year(self, field):
        if field.data in (None, ""):
            return
        text = str(field.data)
        if not (text.isascii() and text.isdigit() and YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]):
            raise ValidationError(
                _l("Enter a year between %(min)s and %(max)s.", min=YEAR_RANGE[0], max=YEAR_RANGE[1])
            )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return _all_or_nothing(self, {"title": _l("Enter the title of the source.")}) and ok


def list_field(form_class, label, limit):
    # Entries beyond the limit are kept and refused by LessonForm.validate_<name>, so nothing the
    # editor typed disappears; max_entries only stops absurd posts (more is refused all the same).
    return FieldList(FormField(form_class, label=label), label=label, min_entries=0, max_entries=limit * 3)


def filled_entries(field_list) -> int:
    return sum(1 for entry in field_list.entries if not all(is_blank(f) for f in entry.form))


def check_item_count(field_list, limit: int, message) -> None:
    if filled_entries(field_list) > limit:
        raise ValidationError(message)

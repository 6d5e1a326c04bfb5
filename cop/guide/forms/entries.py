"""The structured parts of a lesson as sub-forms: quotes, practice examples and sources.

Each is all-or-nothing (an entry with any field filled needs its required fields; an empty entry
is dropped), as ``rules.entry_problems`` says, and a list keeps entries beyond its limit so the
editor's input is never lost: the lesson form refuses the surplus with a message at the list.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import Field, FieldList, FormField, StringField, TextAreaField

from cop.forms import SubForm, max_length, strip
from cop.guide import rules

LIMITS = rules.LIMITS


def is_blank(field) -> bool:
    if field.raw_data and any(str(v).strip() for v in field.raw_data):
        return False
    return field.data in (None, "")


class EntryForm(SubForm):
    """An entry of one of the lesson's lists; ``kind`` names the list in ``rules``."""

    kind = ""

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        values = {name: "" if is_blank(field) else field.data for name, field in self._fields.items()}
        for name, code in rules.entry_problems(self.kind, values):
            field = self[name]
            if not field.errors:  # a field's own check (too long) has said what is wrong already
                params = {"min": rules.YEAR_RANGE[0], "max": rules.YEAR_RANGE[1]} if code == "year" else {}
                field.errors = [*field.errors, rules.message(code, **params)]
            ok = False
        return ok


class QuoteForm(EntryForm):
    kind = "quotes"
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
        _l("Organisation (optional)"),
        filters=[strip],
        description=_l("For example: gemeente Arnhem"),
        validators=[max_length(LIMITS["quote.organisation"])],
    )


class ExampleForm(EntryForm):
    kind = "examples"
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


class SourceForm(EntryForm):
    kind = "sources"
    title = StringField(_l("Title"), filters=[strip], validators=[max_length(LIMITS["source.title"])])
    authors = StringField(
        _l("Authors or organisation (optional)"),
        filters=[strip],
        validators=[max_length(LIMITS["source.authors"])],
    )
    publisher = StringField(
        _l("Publisher (optional)"), filters=[strip], validators=[max_length(LIMITS["source.publisher"])]
    )
    # A text field checked by the rules, so that "twintig" gets one clear message and stays in the field.
    year = StringField(_l("Year (optional)"), filters=[strip], render_kw={"inputmode": "numeric"})
    url = StringField(
        _l("Web address (optional)"),
        filters=[strip],
        validators=[max_length(LIMITS["source.url"])],
        render_kw={"inputmode": "url", "spellcheck": "false"},
    )
    note = StringField(
        _l("Note (optional)"),
        filters=[strip],
        description=_l("For example who commissioned it."),
        validators=[max_length(LIMITS["source.note"])],
    )


def list_field(form_class, label, limit):
    # Entries beyond the limit are kept and refused by LessonForm.validate_<name>, so nothing the
    # editor typed disappears; max_entries only stops absurd posts (more is refused all the same).
    return FieldList(FormField(form_class, label=label), label=label, min_entries=0, max_entries=limit * 3)


def filled_entries(field_list) -> int:
    return sum(1 for entry in field_list.entries if not all(is_blank(f) for f in entry.form))


# --- adding and removing entries without JavaScript ------------------------------------------------

ENTRY_LISTS = ("quotes", "examples", "sources")
ACTION_RE = re.compile(r"^(?:add-(quotes|examples|sources)|remove-(quotes|examples|sources)-([0-9]{1,3}))$")


class EntryActionField(Field):
    """Which add or remove button of a list was pressed: its value, like ``add-quotes`` or
    ``remove-sources-2`` (the third source), or "". The buttons share this field's name; a value
    that is none of theirs is no action, so there is nothing to validate or to report."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = value if isinstance(value, str) and ACTION_RE.match(value) else ""

    def validate(self, form, extra_validators=()):
        self.errors = []
        return True


def apply_entry_action(form, limits: dict) -> bool:
    """If an add or remove button was pressed, add one empty entry at the end of its list (up to
    its limit) or remove the given entry, keep everything else as it was typed, and return True:
    the view then shows the form again, validating and storing nothing."""
    match = ACTION_RE.match(form.entry_action.data or "")
    if not match:
        return False
    added, removed, index = match.groups()
    if added:
        field_list = form[added]
        if len(field_list.entries) < min(limits[added], field_list.max_entries or limits[added]):
            field_list.append_entry()
        return True
    field_list = form[removed]
    kept = [entry.data for i, entry in enumerate(field_list.entries) if i != int(index)]
    # Rebuilt rather than deleted in place, so that the entries are numbered 0, 1, 2 … again.
    field_list.entries = []
    field_list.last_index = -1
    for item in kept:
        field_list.append_entry(item)
    return True

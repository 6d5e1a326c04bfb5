"""Forms: a member's flag, a moderator's handling of an item's flags, the audit log's filter."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, StopValidation

from cop.forms import Form, max_length, required, strip
from cop.moderation.models import FlagReason

REASON_LABELS = {
    FlagReason.SPAM.value: _l("Spam or advertising"),
    FlagReason.OFFENSIVE.value: _l("Offensive or inappropriate"),
    FlagReason.PERSONAL_DATA.value: _l("Personal data of someone else"),
    FlagReason.MISLEADING.value: _l("Incorrect or misleading"),
    FlagReason.OTHER.value: _l("Something else"),
}
REASON_SHORT = {
    FlagReason.SPAM.value: _l("spam"),
    FlagReason.OFFENSIVE.value: _l("offensive"),
    FlagReason.PERSONAL_DATA.value: _l("personal data"),
    FlagReason.MISLEADING.value: _l("misleading"),
    FlagReason.OTHER.value: _l("other"),
}
DECISION_LABELS = {
    "dismiss": _l("Dismiss: nothing is wrong"),
    "resolve": _l("Resolved: handled without a further action here"),
    "hide": _l("Hide the item"),
    "suspend": _l("Suspend the author"),
}
DURATIONS = [
    SelectChoice("1", _l("1 day")),
    SelectChoice("7", _l("1 week")),
    SelectChoice("30", _l("30 days")),
    SelectChoice("90", _l("90 days")),
    SelectChoice("0", _l("Until lifted")),
]


class FlagForm(Form):
    reason = RadioField(
        _l("What is wrong with it?"),
        choices=[SelectChoice(k, v) for k, v in REASON_LABELS.items()],
        validators=[required(_l("Choose a reason."))],
    )
    text = TextAreaField(
        _l("Explanation"),
        filters=[strip],
        description=_l("Optional, unless you chose “something else”. Only the moderators read it."),
        validators=[max_length(1000)],
        render_kw={"rows": 4},
    )


class HandleForm(Form):
    decision = RadioField(_l("What do you do?"), validators=[required(_l("Choose what to do."))])
    note = TextAreaField(
        _l("Note"),
        filters=[strip],
        description=_l("For the audit log: what you decided and why."),
        validators=[required(_l("Write a short note for the log.")), max_length(1000)],
        render_kw={"rows": 3},
    )
    duration = SelectField(_l("Suspension: how long"), choices=DURATIONS, default="7")
    suspension_reason = TextAreaField(
        _l("Suspension: reason"),
        filters=[strip],
        description=_l("Only when you suspend. The member sees this reason when trying to log in."),
        validators=[max_length(500)],
        render_kw={"rows": 3},
    )

    def set_decisions(self, names: list[str]) -> None:
        self.decision.choices = [SelectChoice(name, DECISION_LABELS[name]) for name in names]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.decision.data == "suspend" and not self.suspension_reason.data:
            self.suspension_reason.errors.append(_l("Give a reason."))
            return False
        return ok


def _date(form, field) -> None:
    """The date the field holds goes to ``field.day`` (None when empty); what was typed stays."""
    field.day = None
    text = (field.data or "").strip()
    if not text:
        return
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise StopValidation(str(_l("Enter a date like 2026-03-31."))) from None
    if not date(2000, 1, 1) <= day <= date(2999, 12, 31):
        raise StopValidation(str(_l("Enter a date like 2026-03-31.")))
    field.day = day


class LogFilterForm(Form):
    """The log's filter, read from the query string (no CSRF: it changes nothing). The fields are
    named as the query parameters: wie (actor id), actie, van and tot (dates, inclusive)."""

    class Meta:
        csrf = False

    wie = SelectField(_l("Who"), validators=[Optional()])
    actie = SelectField(_l("Action"), validators=[Optional()])
    van = StringField(
        _l("From"), description=_l("A date like 2026-03-01"), validators=[_date], render_kw={"type": "date"}
    )
    tot = StringField(
        _l("Until"), description=_l("A date like 2026-03-31"), validators=[_date], render_kw={"type": "date"}
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        since, until = getattr(self.van, "day", None), getattr(self.tot, "day", None)
        if ok and since and until and since > until:
            self.tot.errors.append(_l("The end date comes before the start date."))
            return False
        return ok

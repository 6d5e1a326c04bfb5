"""Forms for neighbourhoods: a proposal, a moderator's decision, a member's working area."""

from __future__ import annotations

from itertools import groupby

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from cop.forms import Form, max_length, required, strip
from cop.places.models import Programme

PROGRAMME_LABELS = {
    Programme.FORTY.value: _l("40 neighbourhoods (krachtwijken, 2007)"),
    Programme.FORTY_PLUS.value: _l("40+ neighbourhoods"),
    Programme.OTHER.value: _l("Other neighbourhood"),
    Programme.SHRINKING.value: _l("Shrinking region (krimpgebied)"),
}
PROGRAMME_SHORT = {
    Programme.FORTY.value: _l("40 neighbourhoods"),
    Programme.FORTY_PLUS.value: _l("40+ neighbourhoods"),
    Programme.OTHER.value: _l("other"),
    Programme.SHRINKING.value: _l("shrinking region"),
}
DECISION_LABELS = {
    "approve": _l("Approve: add it to the list"),
    "merge": _l("Merge: it is a neighbourhood that is in the list already"),
    "decline": _l("Decline"),
}


def grouped_choices(places, empty_label) -> dict:
    """Choices for a select of neighbourhoods, in an option group per municipality."""
    groups = {"": [SelectChoice("", str(empty_label))]}
    for municipality, items in groupby(places, key=lambda n: n.municipality):
        groups[municipality] = [
            SelectChoice(str(n.id), n.name if n.is_approved else f"{n.name} ({_l('proposed')})")
            for n in items
        ]
    return groups


class ProposeForm(Form):
    name = StringField(
        _l("Name of the neighbourhood"),
        filters=[strip],
        validators=[required(_l("Enter the name of the neighbourhood.")), max_length(120)],
    )
    municipality = StringField(
        _l("Municipality"),
        filters=[strip],
        validators=[required(_l("Enter the municipality.")), max_length(80)],
        render_kw={"autocomplete": "address-level2"},
    )
    programme = RadioField(
        _l("Programme"),
        choices=[SelectChoice(k, v) for k, v in PROGRAMME_LABELS.items()],
        default=Programme.OTHER.value,
        validators=[required(_l("Choose a programme."))],
    )
    description = TextAreaField(
        _l("Short description (optional)"),
        filters=[strip],
        description=_l("What kind of neighbourhood it is, in a few sentences. Markdown is allowed."),
        validators=[max_length(2000)],
        render_kw={"rows": 4},
    )


class DecideForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice(k, v) for k, v in DECISION_LABELS.items()],
        validators=[required(_l("Choose what to do with the proposal."))],
    )
    merge_into = SelectField(
        _l("Merge into"),
        description=_l("Only when you merge: the neighbourhood in the list it is the same as."),
        validators=[Optional()],
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.decision.data == "merge" and not self.merge_into.data:
            self.merge_into.errors.append(_l("Choose the neighbourhood to merge it into."))
            return False
        return ok


class WorkingAreaForm(Form):
    neighbourhood = SelectField(_l("The neighbourhood you work in"), validators=[Optional()])
    public = BooleanField(
        _l("Show it on my profile and on the neighbourhood's page"),
        description=_l("Otherwise only you see it."),
    )

"""The theme form (admins)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from cop.forms import Form, max_length, required, strip
from cop.guide.services.themes import DESCRIPTION_MAX, TITLE_MAX

GROUP_LABELS = {
    "thema": _l("Theme of the guide"),
    "aan-de-slag": _l("Getting started: four questions"),
    "algemeen": _l("In general"),
}


class ThemeForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[required(_l("Enter a title.")), max_length(TITLE_MAX)],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        filters=[strip],
        description=_l("One or two sentences on what the theme covers. Markdown is allowed."),
        validators=[max_length(DESCRIPTION_MAX)],
        render_kw={"rows": 4},
    )
    group = SelectField(
        _l("Group"),
        choices=[SelectChoice(key, label) for key, label in GROUP_LABELS.items()],
        default="thema",
        description=_l("Where the home page shows the theme."),
    )

    def validate_group(self, field):
        if field.data not in GROUP_LABELS:
            raise ValidationError(_l("Choose a group."))

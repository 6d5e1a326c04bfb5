"""The form that publishes an edition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Optional

from cop.forms import Form, max_length, required, strip


class EditionForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        description=_l("For example: Derde versie"),
        validators=[required(_l("Enter a title.")), max_length(200)],
    )
    published_on = DateField(_l("Publication date (optional)"), validators=[Optional()])
    note = TextAreaField(
        _l("Note (optional)"),
        filters=[strip],
        description=_l("What this edition brings. Markdown is allowed."),
        validators=[max_length(5000)],
        render_kw={"rows": 4},
    )

"""The chapter form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange

from cop.forms import Form, max_length, required, strip
from cop.guide.forms.lessons import PreviewMixin, lines, objectives_validator
from cop.guide.rules import LIMITS


class ChapterForm(PreviewMixin, Form):
    number = IntegerField(
        _l("Chapter number"),
        validators=[
            required(_l("Enter the chapter number.")),
            NumberRange(1, 999, message=_l("Enter a whole number between 1 and 999.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[required(_l("Enter a title.")), max_length(LIMITS["chapter.title"])],
    )
    intro = TextAreaField(
        _l("Introduction (optional)"),
        filters=[strip],
        description=_l("Markdown is allowed."),
        validators=[max_length(LIMITS["chapter.intro"])],
        render_kw={"rows": 8},
    )
    objectives_intro = StringField(
        _l("Lead-in to the learning objectives (optional)"),
        filters=[strip],
        description=_l("For example: Na het lezen van de Vooraf weet je:"),
        validators=[max_length(LIMITS["chapter.objectives_intro"])],
    )
    objectives = TextAreaField(
        _l("Learning objectives (optional)"),
        filters=[strip],
        description=_l("One objective per line."),
        render_kw={"rows": 6},
    )

    validate_objectives = objectives_validator

    def fields(self) -> dict:
        return {
            "number": self.number.data,
            "title": self.title.data,
            "intro": self.intro.data or "",
            "objectives_intro": self.objectives_intro.data or "",
            "objectives": lines(self.objectives.data),
        }

"""Form pieces shared by every capability."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Length


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: for POST buttons (log out, delete, suspend)."""


def strip(value):
    return value.strip() if isinstance(value, str) else value


def required(message=None):
    return DataRequired(message=message or _l("This field is required."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters."))

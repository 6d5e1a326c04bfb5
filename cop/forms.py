"""Form pieces shared by every capability."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.validators import DataRequired, Length


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: for POST buttons (log out, delete, suspend)."""


def csrf_field(form) -> Markup:
    """The form's hidden CSRF input without an id: a page holds several forms (log out, language,
    the page's own), and ids must be unique. Empty when CSRF is off (in some tests)."""
    token = getattr(form, "csrf_token", None)
    return token(id=False) if token is not None else Markup("")


def show_error(form, error) -> None:
    """Put a service's domain error (``.message``, ``.field``) at its field, or on top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def required(message=None):
    return DataRequired(message=message or _l("This field is required."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters."))

"""Form pieces shared by every capability.

Every form of the platform derives from ``Form`` (or ``SubForm`` for the entries of a list), which
guards every field in one place: a NUL character is refused with a message at the field before any
other check runs (PostgreSQL cannot store it, and nothing else should), and single-line fields
lose other control characters (a line break in a display name must not make lines in a mail).
"""

from __future__ import annotations

import re

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from markupsafe import Markup
from wtforms.validators import DataRequired, Length, StopValidation

TOO_LONG_MESSAGE = _l("Use at most %(max)d characters.")
NUL_MESSAGE = _l("This field contains a character that is not allowed. Remove it and try again.")
# C0 controls and DEL, but for NUL (refused, not removed) and tab (a space).
_CONTROL_RE = re.compile(r"[\x01-\x08\x0a-\x1f\x7f]")
_SINGLE_LINE_TYPES = {"StringField", "EmailField", "SearchField", "URLField", "TelField"}


def refuse_nul(form, field) -> None:
    """Stop validating a field that holds a NUL character anywhere in what was posted."""
    for value in field.raw_data or ():
        if isinstance(value, str) and "\x00" in value:
            field.errors[:] = []
            raise StopValidation(str(NUL_MESSAGE))


def single_line(value):
    """Control characters out of a one-line value (a NUL is left for ``refuse_nul`` to refuse)."""
    if not isinstance(value, str):
        return value
    return _CONTROL_RE.sub("", value.replace("\t", " "))


class GuardedMeta:
    """Gives every bound field the NUL guard first, and one-line fields the control filter."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        field.validators = [refuse_nul, *field.validators]
        if field.type in _SINGLE_LINE_TYPES:
            field.filters = (single_line, *field.filters)
        return field


class _TokenWhenShown:
    """A form's CSRF token, made when a page shows it. Building a form that the page then leaves
    out (the reply form on a visitor's thread page) leaves the session alone, so that the page is
    the same for every visitor and can be served from the page cache (``cop.cache``)."""

    __slots__ = ("_make", "_token")

    def __init__(self, make):
        self._make = make
        self._token = None

    def __str__(self) -> str:
        if self._token is None:
            self._token = self._make()
        return self._token

    def __html__(self) -> str:
        return str(self)  # a token is URL-safe text


class _LazyCSRF(_FlaskFormCSRF):
    def generate_csrf_token(self, csrf_token_field):
        parent = super().generate_csrf_token
        return _TokenWhenShown(lambda: parent(csrf_token_field))


class Form(FlaskForm):
    class Meta(GuardedMeta, FlaskForm.Meta):
        csrf_class = _LazyCSRF

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # A hidden field has no place to show its error: say it above the form.
        for field in self:
            if field.type == "HiddenField" and field.errors:
                self.form_errors.extend(field.errors)
        return ok


class SubForm(wtforms.Form):
    """An entry of a list of sub-forms (a quote of a lesson): the same guards as ``Form``."""

    class Meta(GuardedMeta, wtforms.meta.DefaultMeta):
        pass


class EmptyForm(Form):
    """A form with only its CSRF token: for POST buttons (log out, delete, suspend)."""


def csrf_field(form) -> Markup:
    """The form's hidden CSRF input without an id: a page holds several forms (log out, language,
    the page's own), and ids must be unique. Empty when CSRF is off (in some tests)."""
    token = getattr(form, "csrf_token", None)
    return token(id=False) if token is not None else Markup("")


def show_error(form, error) -> None:
    """Put a service's DomainError (``.message``, ``.field``) at its field, or on top of the form."""
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
    return Length(max=limit, message=TOO_LONG_MESSAGE)

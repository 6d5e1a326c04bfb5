"""The notification settings form: per kind, at once, in the daily digest, or not by mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from cop.forms import Form
from cop.notifications.kinds import KINDS
from cop.notifications.models import DIGEST, IMMEDIATELY, OFF

DELIVERY_LABELS = {
    IMMEDIATELY: _l("Mail me at once"),
    DIGEST: _l("In my daily overview"),
    OFF: _l("Only in the app"),
}


def settings_form(current: dict[str, str], formdata=None):
    """A form with one choice per kind, filled with ``current``."""

    class SettingsForm(Form):
        pass

    for name, kind in KINDS.items():
        setattr(
            SettingsForm,
            name,
            RadioField(kind.setting, choices=[SelectChoice(k, v) for k, v in DELIVERY_LABELS.items()]),
        )
    form = SettingsForm() if formdata is None else SettingsForm(formdata=formdata)
    if not form.is_submitted():
        for name, delivery in current.items():
            form[name].data = delivery
    return form

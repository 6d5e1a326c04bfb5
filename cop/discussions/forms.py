"""Forms for threads and posts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from cop.discussions.models import REASON_MAX, FollowLevel, ThreadKind
from cop.discussions.services import BODY_MAX, TITLE_MAX
from cop.forms import Form, max_length, required, strip

KIND_LABELS = {
    ThreadKind.DISCUSSION.value: _l("A discussion"),
    ThreadKind.QUESTION.value: _l("A question to colleagues"),
}
BODY_HINT = _l(
    "Markdown: an empty line starts a new paragraph, **bold**, *italic*, > quote, - list. "
    "Mention a colleague with @username."
)


def body_field(label):
    return TextAreaField(
        label,
        filters=[strip],
        description=BODY_HINT,
        validators=[required(_l("Write your message.")), max_length(BODY_MAX)],
        render_kw={"rows": 10},
    )


class PreviewMixin:
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Post"))


class ThreadForm(PreviewMixin, Form):
    kind = RadioField(
        _l("What do you start?"),
        choices=[SelectChoice(key, label) for key, label in KIND_LABELS.items()],
        default=ThreadKind.DISCUSSION.value,
        description=_l("Colleagues can mark one reply to a question as its best answer."),
        validators=[required(_l("Choose a discussion or a question."))],
    )
    theme = SelectField(_l("Theme"), coerce=str)  # only shown when the thread is about a lesson
    title = StringField(
        _l("Title"),
        filters=[strip],
        description=_l("One line that says what it is about."),
        validators=[required(_l("Enter a title.")), max_length(TITLE_MAX)],
    )
    body = body_field(_l("Your message"))

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if themes is None:
            del self.theme
        else:
            self.theme.choices = [SelectChoice(theme.slug, theme.title) for theme in themes]

    def validate_theme(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a theme."))


class ReplyForm(PreviewMixin, Form):
    body = body_field(_l("Your reply"))


class EditPostForm(Form):
    title = StringField(
        _l("Title"), filters=[strip], validators=[required(_l("Enter a title.")), max_length(TITLE_MAX)]
    )
    body = body_field(_l("Message"))
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))

    def __init__(self, *args, opening_post: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not opening_post:
            del self.title


class BestAnswerForm(Form):
    post = HiddenField()  # a post number; empty takes the choice back


class FollowForm(Form):
    level = HiddenField()

    def validate_level(self, field):
        if field.data not in {level.value for level in FollowLevel}:
            raise ValidationError(_l("Unknown choice."))


class FollowContainerForm(Form):
    volgen = HiddenField()  # "ja" follows, "nee" stops

    def validate_volgen(self, field):
        if field.data not in ("ja", "nee"):
            raise ValidationError(_l("Unknown choice."))


# --- moderation -----------------------------------------------------------------------------------


def reason_field(label, description):
    return TextAreaField(
        label,
        filters=[strip],
        description=description,
        validators=[max_length(REASON_MAX)],
        render_kw={"rows": 3},
    )


class HideForm(Form):
    """Hide (with a reason) or restore a post or a thread; ``action`` says which."""

    action = HiddenField()
    reason = reason_field(
        _l("Reason"), _l("Required when hiding. The other moderators see it, and the log keeps it.")
    )

    def validate_action(self, field):
        if field.data not in ("hide", "restore"):
            raise ValidationError(_l("Unknown choice."))


class MoveForm(Form):
    theme = SelectField(_l("Move to theme"), coerce=str, validate_choice=False)
    move_reason = reason_field(_l("Reason (optional)"), _l("The log keeps it."))
    move = SubmitField(_l("Move"))

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = [SelectChoice(theme.slug, theme.title) for theme in themes]

    def validate_theme(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a theme."))


class MergeForm(Form):
    target = SelectField(_l("Merge into a recent discussion"), coerce=str, validate_choice=False)
    ref = StringField(
        _l("Or the address or number of another discussion"),
        filters=[strip],
        description=_l("For example 12 or /discussie/12-buurtbudgetten."),
        validators=[max_length(300)],
    )
    merge_reason = reason_field(_l("Reason (optional)"), _l("The log keeps it."))
    merge = SubmitField(_l("Merge"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [SelectChoice("", _l("Choose a discussion"))] + [
            SelectChoice(str(thread.id), thread.title) for thread in candidates
        ]

    def validate_target(self, field):
        field.data = field.data or ""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a discussion."))

    def validate_ref(self, field):
        if bool(field.data) == bool(self.target.data):
            raise ValidationError(_l("Choose one discussion from the list, or give one address."))

    def chosen_ref(self) -> str:
        """The thread reference chosen: '12' from the list, or what the address names."""
        if self.target.data:
            return self.target.data
        value = self.ref.data or ""
        if "/discussie/" in value:
            value = value.split("/discussie/", 1)[1]
        for separator in "/?#":
            value = value.split(separator, 1)[0]
        return value.strip()

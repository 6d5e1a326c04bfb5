"""Account forms. Labels, hints and messages are English source strings, Dutch by default."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Optional, ValidationError

from cop.accounts import handles, passwords
from cop.accounts.models import Role
from cop.forms import Form, max_length, required, strip


def email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        filters=[strip],  # kept as typed; services compare it lower-case
        validators=[
            required(_l("Enter your email address.")),
            max_length(254),
            Email(message=_l("Enter an email address like name@example.nl.")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        description=_l(
            "At least %(min)d characters. A sentence of a few words is easy to remember and hard to guess.",
            min=passwords.MIN_LENGTH,
        ),
        validators=[required(_l("Choose a password."))],
        render_kw={"autocomplete": "new-password"},
    )


class NewPasswordMixin:
    """The password policy (``passwords.problem``), with the account's own name and address."""

    def personal_values(self) -> tuple[str, ...]:
        return ()

    def validate_password(self, field):
        problem = passwords.problem(field.data, *self.personal_values())
        if problem:
            raise ValidationError(problem)


class ProfileFieldsMixin:
    display_name = StringField(
        _l("Display name"),
        filters=[strip],
        description=_l("The name other members see, for example your first and last name."),
        validators=[required(_l("Enter a display name.")), max_length(80)],
        render_kw={"autocomplete": "name"},
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[strip],
        validators=[required(_l("Enter your organisation.")), max_length(120)],
        render_kw={"autocomplete": "organization"},
    )
    job_title = StringField(
        _l("Job title"),
        filters=[strip],
        validators=[required(_l("Enter your job title.")), max_length(120)],
        render_kw={"autocomplete": "organization-title"},
    )
    municipality = StringField(
        _l("Municipality (optional)"),
        filters=[strip],
        description=_l("The municipality you work or live in."),
        validators=[Optional(), max_length(80)],
        render_kw={"autocomplete": "address-level2"},
    )


class RegistrationForm(ProfileFieldsMixin, NewPasswordMixin, Form):
    email = email_field()
    password = new_password_field()

    def personal_values(self):
        return (self.email.data or "", self.display_name.data or "")


class LoginForm(Form):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[required(_l("Enter your password.")), max_length(passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Stay logged in"), description=_l("Not on a shared computer."))


class EmailOnlyForm(Form):
    email = email_field()


class ResetPasswordForm(NewPasswordMixin, Form):
    password = new_password_field(_l("New password"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def personal_values(self):
        return (self.user.email, self.user.display_name) if self.user else ()


def current_password_field():
    return PasswordField(
        _l("Current password"),
        validators=[required(_l("Enter your current password.")), max_length(passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class CurrentPasswordMixin:
    """Checks ``current_password`` against ``self.user``; ``current_password_failed`` tells the view
    to count a failed guess (``password_change_throttle``)."""

    def validate_current_password(self, field):
        self.current_password_failed = bool(
            self.user and not passwords.verify_password(self.user.password_hash, field.data)
        )
        if self.current_password_failed:
            raise ValidationError(_l("This is not your current password."))


class ChangePasswordForm(CurrentPasswordMixin, ResetPasswordForm):
    current_password = current_password_field()
    password = new_password_field(_l("New password"))

    def validate_password(self, field):
        super().validate_password(field)
        # Compared with the current password as typed and verified (the field before this one),
        # not with the stored hash: this field must not become a way around the throttle on
        # guessing the current password.
        same = field.data and field.data == self.current_password.data
        if same and not getattr(self, "current_password_failed", True):
            raise ValidationError(_l("This is your current password. Choose a new one."))


class ChangeEmailForm(CurrentPasswordMixin, Form):
    email = email_field(_l("New email address"))
    current_password = current_password_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_email(self, field):
        if self.user and (field.data or "").strip().lower() == self.user.email:
            raise ValidationError(_l("This is your email address already."))


class ProfileForm(ProfileFieldsMixin, Form):
    handle = StringField(
        _l("Username"),
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
        description=_l(
            "Colleagues mention you with @username, and your profile's address ends with it. "
            "Lower-case letters, digits and hyphens."
        ),
        validators=[required(_l("Choose a username.")), max_length(handles.MAX_LENGTH)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    profile_public = BooleanField(
        _l("Show my profile to everyone"),
        description=_l(
            "Without this, only logged-in members see your profile. Your email address is never shown."
        ),
    )
    bio = TextAreaField(
        _l("About you (optional)"),
        filters=[strip],
        description=_l("What you work on and what you would like to share or learn. Markdown is allowed."),
        validators=[Optional(), max_length(2000)],
        render_kw={"rows": 6},
    )

    def validate_handle(self, field):
        problem = handles.problem(field.data)
        if problem:
            raise ValidationError(problem)


ROLE_CHOICES = [
    SelectChoice(Role.MEMBER.value, _l("Member")),
    SelectChoice(Role.MODERATOR.value, _l("Moderator")),
    SelectChoice(Role.ADMIN.value, _l("Administrator")),
]


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)  # the choices are the validation


SUSPEND_CHOICES = [
    SelectChoice("1", _l("1 day")),
    SelectChoice("7", _l("1 week")),
    SelectChoice("30", _l("30 days")),
    SelectChoice("0", _l("Until lifted")),
]


class SuspendForm(Form):
    duration = SelectField(_l("Duration"), choices=SUSPEND_CHOICES, default="7")
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        description=_l("The member sees this reason when trying to log in."),
        validators=[required(_l("Give a reason.")), max_length(500)],
        render_kw={"rows": 3},
    )


class LanguageForm(Form):
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
    )


class DeleteAccountForm(CurrentPasswordMixin, Form):
    """Deleting the account: the password says it is the member; the choice keeps their name on
    lessons that came from their contributions."""

    keep_name = BooleanField(
        _l("Keep my name on lessons that came from my contributions"),
        description=_l('Without this, such lessons say they came from "a participant".'),
    )
    current_password = current_password_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

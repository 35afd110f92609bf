"""Account forms. They collect input; the rules live in services.accounts."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length


class SignupForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired()],
        description=_l("At least 10 characters. A few words together work well."),
    )
    confirm = PasswordField(
        _l("Repeat the password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))]
    )
    next = HiddenField()  # where the person was going (an invite link, an event): see auth.destination


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("The address you signed up with."),
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l("At least 10 characters. You will be logged out everywhere."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    skills = StringField(_l("Skills"), description=_l("Separate them with commas, e.g. Python, design, GIS."))
    languages = StringField(_l("Languages you speak"), description=_l("Separate them with commas."))
    bio = TextAreaField(_l("Short bio"), validators=[Length(max=500)], description=_l("At most 500 characters."))
    looking_for_team = BooleanField(_l("I am looking for a team"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l("At least 10 characters. You will be logged out everywhere else."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    confirm = BooleanField(
        _l("I understand that my account and profile are deleted for good."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("What the token is for, e.g. the script or laptop that uses it."),
    )
    scope = SelectField(
        _l("Access"),
        choices=[
            SelectChoice("read", _l("Read only")),
            SelectChoice("write", _l("Read and write")),
        ],
        default="read",
        description=_l("A read-only token can fetch what you can see but cannot change anything."),
    )


ROLE_LABELS = {"participant": _l("participant"), "judge": _l("judge"), "organizer": _l("organizer")}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()])


class LogoutForm(FlaskForm):
    """Log-out is a POST with a CSRF token, so no other site can sign someone out."""


def apply_service_errors(form: FlaskForm, errors: dict) -> None:
    """Show a service's field errors next to the matching inputs."""
    for field_name, messages in errors.items():
        field = getattr(form, field_name, None)
        if field is not None:
            field.errors = list(field.errors) + [str(m) for m in messages]


def form_if_signed_in(form_class: type[FlaskForm], **kwargs) -> FlaskForm | None:
    """A form for a page that shows it only to signed-in people, else None.

    Building a form puts a CSRF token in the session, so a visitor who only reads would get a
    cookie for nothing (and a page the public page cache could not share, hackkit.pagecache).
    """
    return form_class(**kwargs) if current_user.is_authenticated else None

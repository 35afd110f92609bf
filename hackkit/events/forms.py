"""Event forms. They collect input as text; services.events validates and stores it.

Date-times are `datetime-local` inputs: the browser sends a naive "2026-05-16T18:00",
which the services read as local time in the event's time zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from hackkit.services.events import ANNOUNCEMENT_FIELDS, EVENT_MOMENTS, TEXT_LANGUAGES, TRANSLATED_FIELDS

VISIBILITY_LABELS = {"draft": _l("Draft (organizers only)"), "published": _l("Published"), "archived": _l("Archived")}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
# Offered as the time zone field's suggestions (a datalist): typing "Brus" finds Europe/Brussels.
TIME_ZONES = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))


def moment_field(label, description=None):
    return StringField(label, description=description, render_kw={"type": "datetime-local"})


def local_value(moment: datetime | None, zone: str) -> str:
    """A stored UTC moment as the value of a datetime-local input in the event's zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime(LOCAL_FORMAT) if moment else ""


class EventForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address"),
        validators=[Length(max=80)],
        description=_l(
            "Made from the name; lower-case letters, digits and hyphens. The page will be /events/<address>."
        ),
        render_kw={"data-slug-from": "name", "spellcheck": "false", "autocapitalize": "off"},  # forms.js fills it in
    )
    tagline = StringField(_l("Tagline"), validators=[Length(max=300)])
    description = TextAreaField(_l("Description"), description=_l("Markdown is allowed."))
    venue = StringField(_l("Venue"), validators=[Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=100)])
    timezone = StringField(
        _l("Time zone"),
        default="Europe/Brussels",
        validators=[DataRequired()],
        description=_l("A name like Europe/Brussels. All times below are in this zone."),
        render_kw={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"},
    )
    registration_opens = moment_field(_l("Registration opens"), _l("Leave empty to open it at once."))
    registration_closes = moment_field(_l("Registration closes"), _l("Leave empty to keep it open until the deadline."))
    starts_at = moment_field(_l("Hacking starts"))
    ends_at = moment_field(_l("Hacking ends"))
    submission_deadline = moment_field(_l("Submission deadline"))
    max_team_size = StringField(_l("Maximum team size"), default="5", render_kw={"type": "number", "min": 1, "max": 50})
    code_of_conduct = TextAreaField(_l("Code of conduct"), description=_l("Markdown is allowed."))
    visibility = SelectField(
        _l("Visibility"), choices=[SelectChoice(value, label) for value, label in VISIBILITY_LABELS.items()]
    )
    # The same texts in Dutch and in English, both optional: a visitor reading the page in that
    # language sees them, others the texts above.
    name_nl = StringField(_l("Name in Dutch"), validators=[Length(max=200)])
    tagline_nl = StringField(_l("Tagline in Dutch"), validators=[Length(max=300)])
    description_nl = TextAreaField(_l("Description in Dutch"), description=_l("Markdown is allowed."))
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    tagline_en = StringField(_l("Tagline in English"), validators=[Length(max=300)])
    description_en = TextAreaField(_l("Description in English"), description=_l("Markdown is allowed."))

    FIELDS = (
        "name",
        "slug",
        "tagline",
        "description",
        "venue",
        "city",
        "timezone",
        *EVENT_MOMENTS,
        "max_team_size",
        "code_of_conduct",
        "visibility",
    )

    def fill_from(self, event) -> None:
        for name in self.FIELDS:
            value = getattr(event, name)
            if name in EVENT_MOMENTS:
                value = local_value(value, event.timezone)
            getattr(self, name).data = "" if value is None else str(value)
        fill_translations(self, event.translations, TRANSLATED_FIELDS)

    def values(self) -> dict:
        data = {name: getattr(self, name).data for name in self.FIELDS}
        data["translations"] = translations_of(self, TRANSLATED_FIELDS)
        return data


def fill_translations(form, texts: dict | None, fields) -> None:
    for language in TEXT_LANGUAGES:
        for field in fields:
            form[f"{field}_{language}"].data = ((texts or {}).get(language) or {}).get(field, "")


def translations_of(form, fields) -> dict:
    """The form's <field>_<language> inputs as the service's {"nl": {field: text}}."""
    return {
        language: {field: form[f"{field}_{language}"].data or "" for field in fields} for language in TEXT_LANGUAGES
    }


class ChallengeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    department = StringField(
        _l("City department"), validators=[Length(max=200)], description=_l("The department that owns it.")
    )
    description = TextAreaField(_l("The problem"), description=_l("Markdown is allowed."))
    success = TextAreaField(_l("What success looks like"), description=_l("Markdown is allowed."))
    # Picked from the catalogue (choices set by the view); the service refuses anything else
    # with its own message, so the form does not check the choice a second time.
    datasets = SelectMultipleField(
        _l("Datasets"),
        choices=[],
        validate_choice=False,
        description=_l(
            "Datasets from the catalogue that help with this challenge. Hold Ctrl (or Cmd) to pick several."
        ),
    )

    def fill_from(self, challenge) -> None:
        for name in ("title", "department", "description", "success"):
            getattr(self, name).data = getattr(challenge, name)
        self.datasets.data = list(challenge.datasets or [])

    def values(self) -> dict:
        names = ("title", "department", "description", "success", "datasets")
        return {name: getattr(self, name).data for name in names}


class AnnouncementForm(FlaskForm):
    body = TextAreaField(
        _l("Announcement"), validators=[DataRequired(), Length(max=5000)], description=_l("Markdown is allowed.")
    )
    body_nl = TextAreaField(_l("In Dutch (optional)"), validators=[Length(max=5000)])
    body_en = TextAreaField(_l("In English (optional)"), validators=[Length(max=5000)])

    def fill_from(self, announcement) -> None:
        self.body.data = announcement.body
        fill_translations(self, announcement.translations, ANNOUNCEMENT_FIELDS)

    def values(self) -> dict:
        return {"body": self.body.data, "translations": translations_of(self, ANNOUNCEMENT_FIELDS)}


class DeadlineExtensionForm(FlaskForm):
    new_deadline = moment_field(_l("New deadline"), _l("In the event's time zone."))
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (register, leave, join...)."""

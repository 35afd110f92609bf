"""Prize forms. They collect input as text; services.prizes validates and stores it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

KIND_LABELS = {"money": _l("Money"), "pilot": _l("A pilot with a department"), "item": _l("An item")}
SCOPE_LABELS = {
    "event": _l("The whole event (overall ranking)"),
    "challenge": _l("One challenge (ranking among its projects)"),
    "public_vote": _l("The public vote (people's choice)"),
    "jury_choice": _l("A special mention chosen by the jury"),
}


class PrizeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), description=_l("Markdown is allowed."))
    kind = SelectField(
        _l("What it is"), choices=[SelectChoice(k, label) for k, label in KIND_LABELS.items()], default="item"
    )
    value = StringField(_l("Value"), description=_l("In words, e.g. € 2,000 or a six-month pilot."))
    sponsor_name = StringField(_l("Given by"), description=_l("The sponsor or the city department."))
    sponsor_url = StringField(_l("Sponsor's web address"), render_kw={"type": "url", "inputmode": "url"})
    sponsor_logo = FileField(
        _l("Sponsor's logo"), description=_l("PNG, JPEG or WebP, at most 2 MB; shown on the projector too.")
    )
    remove_logo = BooleanField(_l("Remove the logo"))
    scope = SelectField(
        _l("Awarded for"), choices=[SelectChoice(k, label) for k, label in SCOPE_LABELS.items()], default="event"
    )
    challenge_id = SelectField(
        _l("Challenge"), choices=[], description=_l("Only for a challenge prize."), validate_choice=False
    )
    max_winners = StringField(
        _l("Number of winners"), default="1", render_kw={"type": "number", "min": 1, "max": 50, "inputmode": "numeric"}
    )
    position = StringField(
        _l("Order"),
        default="0",
        description=_l("Prizes are listed and presented from low to high."),
        render_kw={"type": "number", "min": 0, "inputmode": "numeric"},
    )

    def values(self) -> dict:
        data = {
            name: self[name].data
            for name in ("name", "description", "kind", "value", "sponsor_name", "sponsor_url", "scope")
        }
        data |= {"max_winners": self.max_winners.data, "position": self.position.data}
        data["challenge_id"] = self.challenge_id.data or None
        data["remove_logo"] = self.remove_logo.data
        return data

    def logo(self) -> bytes | None:
        upload = self.sponsor_logo.data  # on an edit page it may hold the stored logo's bytes
        return upload.read() if isinstance(upload, FileStorage) and upload.filename else None


class PrizeSettingsForm(FlaskForm):
    several_prizes_per_project = BooleanField(_l("One project may win several prizes"))

"""Team and submission forms. They collect input; services.teams and services.submissions decide."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, Form, FormField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from hackkit.labels import project_licence_name
from hackkit.licences import SPDX_LICENCES
from hackkit.services import submissions as submission_fields


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("What you want to build"), validators=[Length(max=500)])
    missing_skills = StringField(
        _l("Skills you are looking for"), description=_l("Separate them with commas, e.g. design, GIS.")
    )

    def fill_from(self, team) -> None:
        self.name.data = team.name
        self.description.data = team.description
        self.missing_skills.data = ", ".join(team.missing_skills or [])

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "description": self.description.data,
            "missing_skills": self.missing_skills.data or "",
        }


class JoinRequestForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the captain"),
        validators=[Length(max=1000)],
        description=_l("Say what you would bring to the team."),
    )


class CaptainForm(FlaskForm):
    captain_id = SelectField(_l("New captain"), coerce=int, validate_choice=False)


class CheckboxesField(SelectMultipleField):
    """Several checkboxes, one per choice (credited members)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlaceField(SelectField):
    """A list of places; shown as a text input (the view swaps the widget) where the hub has none."""

    def _value(self) -> str:
        return self.data or ""


class DatasetUseForm(Form):
    """One dataset a project used, picked from the catalogue, and a line on how."""

    slug = SelectField(_l("Dataset"), validate_choice=False)
    how = StringField(_l("How we used it"))  # the service checks the length


class SubmissionForm(FlaskForm):
    # No length or URL validators here: services.submissions checks every field, and a POST
    # after the deadline must reach it whatever it holds, to be refused with 409.
    title = StringField(_l("Project title"))
    tagline = StringField(_l("Tagline"), description=_l("One sentence."))
    description = TextAreaField(_l("Description"), description=_l("Markdown is allowed."))
    repo_url = StringField(_l("Repository URL"), render_kw={"type": "url"})
    demo_url = StringField(_l("Demo URL"), render_kw={"type": "url"})
    video_url = StringField(_l("Video URL"), render_kw={"type": "url"})
    challenge_id = SelectField(_l("Challenge"), validate_choice=False)
    # Rows of (dataset from the catalogue, how it was used); the view adds empty rows to fill in.
    datasets = FieldList(FormField(DatasetUseForm), label=_l("Datasets used"))
    template = SelectField(
        _l("Started from"),
        description=_l("The hackkit sample app your project grew from, if any (see the app gallery)."),
        validate_choice=False,
    )
    # A list of the districts dataset's names when the hub has one (the view sets the choices).
    district = PlaceField(
        _l("District or neighbourhood"),
        description=_l("Where in the city your project is about, if it is about one place."),
        validate_choice=False,
    )
    licence = SelectField(
        _l("Licence"),
        choices=lambda: (
            [SelectChoice("", _l("Not chosen yet"))]
            + [SelectChoice(key, f"{project_licence_name(key)} ({key})") for key in SPDX_LICENCES]
        ),
        validate_choice=False,
    )
    credited_user_ids = CheckboxesField(_l("Credited members"), coerce=int, validate_choice=False)

    TEXT_FIELDS = submission_fields.TEXT_FIELDS  # the other fields are filled one by one below

    def fill_from(self, content: dict) -> None:
        for name in self.TEXT_FIELDS:
            getattr(self, name).data = content.get(name) or ""
        self.challenge_id.data = str(content.get("challenge_id") or "")
        while self.datasets.entries:
            self.datasets.pop_entry()
        for used in content.get("datasets") or []:
            self.datasets.append_entry({"slug": used.get("slug", ""), "how": used.get("how", "")})
        self.credited_user_ids.data = list(content.get("credited_user_ids") or [])

    def values(self) -> dict:
        data = {name: getattr(self, name).data or "" for name in self.TEXT_FIELDS}
        data["challenge_id"] = self.challenge_id.data or None
        data["datasets"] = [
            {"slug": row.slug.data, "how": (row.how.data or "").strip()} for row in self.datasets if row.slug.data
        ]
        data["credited_user_ids"] = list(self.credited_user_ids.data or [])
        return data


class ScreenshotForm(FlaskForm):
    screenshot = FileField(
        _l("Screenshot"),
        validators=[FileRequired(message=_l("Choose an image file."))],
        description=_l("PNG, JPEG or WebP, at most 5 MB. Location data in the file is removed."),
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )
    alt_text = StringField(
        _l("What the screenshot shows"),
        validators=[Length(max=300)],
        description=_l("Read aloud to people who cannot see the image."),
    )

"""Team and submission forms. They collect input; services.teams and services.submissions decide."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

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
    datasets = TextAreaField(
        _l("Datasets used"),
        description=_l("One per line: the dataset's slug, a colon, and how you used it, e.g. trees: shade map."),
    )
    sample_app = StringField(_l("Sample app you started from"))
    template = SelectField(
        _l("Started from template"),
        description=_l("The hackkit sample app your project grew from, if any (see the app gallery)."),
        validate_choice=False,
    )
    district = StringField(
        _l("District or neighbourhood"),
        description=_l("Where in the city your project is about, if it is about one place."),
    )
    licence = SelectField(
        _l("Licence"),
        choices=[SelectChoice("", _l("Not chosen yet"))]
        + [SelectChoice(key, f"{name} ({key})") for key, name in SPDX_LICENCES.items()],
        validate_choice=False,
    )
    credited_user_ids = CheckboxesField(_l("Credited members"), coerce=int, validate_choice=False)

    TEXT_FIELDS = submission_fields.TEXT_FIELDS  # the other fields are filled one by one below

    def fill_from(self, content: dict) -> None:
        for name in self.TEXT_FIELDS:
            getattr(self, name).data = content.get(name) or ""
        self.challenge_id.data = str(content.get("challenge_id") or "")
        self.datasets.data = "\n".join(
            f"{d['slug']}: {d['how']}" if d.get("how") else d["slug"] for d in content.get("datasets") or []
        )
        self.credited_user_ids.data = list(content.get("credited_user_ids") or [])

    def values(self) -> dict:
        data = {name: getattr(self, name).data or "" for name in self.TEXT_FIELDS}
        data["challenge_id"] = self.challenge_id.data or None
        data["datasets"] = parse_dataset_lines(self.datasets.data or "")
        data["credited_user_ids"] = list(self.credited_user_ids.data or [])
        return data


def parse_dataset_lines(text: str) -> list[dict]:
    """'slug: how it was used' per line, as the service's list of {slug, how}."""
    found = []
    for line in text.splitlines():
        slug, _sep, how = line.partition(":")
        if slug.strip():
            found.append({"slug": slug.strip(), "how": how.strip()})
    return found


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

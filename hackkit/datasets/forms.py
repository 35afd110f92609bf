"""Catalogue forms. They collect input; the rules live in services.datasets and dataset_meta."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hackkit.services.dataset_meta import FREQUENCIES, LICENSES, THEMES


def license_choices():
    return [SelectChoice("", _l("Not stated"))] + [SelectChoice(key, label) for key, (label, _url) in LICENSES.items()]


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l("CSV, TSV or text, Excel (.xlsx), JSON or GeoJSON."),
    )
    title = StringField(_l("Title"), description=_l("Leave empty to use the file name."))
    slug = StringField(
        _l("Address (slug)"),
        description=_l("Lower-case letters, digits and dashes. An existing address gets a new version."),
    )
    publisher = StringField(_l("Publisher"))
    license = SelectField(_l("Licence"), choices=license_choices, default="")
    draft = BooleanField(_l("Keep as a draft (visible to organizers only)"), default=True)
    notes = TextAreaField(_l("Notes on this version"))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MetadataForm(FlaskForm):
    title = StringField(_l("Title"))
    description = TextAreaField(_l("Description"))
    publisher = StringField(_l("Publisher"))
    contact = StringField(_l("Contact"), description=_l("An e-mail address or web page for questions."))
    license = SelectField(_l("Licence"), choices=license_choices)
    themes = CheckboxesField(_l("Themes"), choices=[SelectChoice(k, v) for k, v in THEMES.items()])
    keywords = StringField(_l("Keywords"), description=_l("Separate them with commas."))
    spatial = StringField(_l("Spatial coverage"), description=_l("For example: Antwerp, district Borgerhout."))
    temporal_start = DateField(_l("Covers from"), validators=[Optional()])
    temporal_end = DateField(_l("Covers until"), validators=[Optional()])
    update_frequency = SelectField(
        _l("Update frequency"), choices=[SelectChoice("", _l("Not stated"))] + [SelectChoice(f, f) for f in FREQUENCIES]
    )
    source_url = StringField(_l("Source web address"))
    status = SelectField(
        _l("Status"), choices=[SelectChoice("draft", _l("Draft")), SelectChoice("published", _l("Published"))]
    )

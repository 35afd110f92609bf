"""Catalogue forms. They collect input; the rules live in services.datasets and dataset_meta."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hackkit.labels import FREQUENCY_NAMES, dataset_licence_name, theme_name
from hackkit.services.dataset_meta import FREQUENCIES, LICENSES, THEMES


def license_choices():
    return [SelectChoice("", _l("Not stated"))] + [SelectChoice(key, dataset_licence_name(key)) for key in LICENSES]


def theme_choices():
    return [SelectChoice(code, theme_name(code)) for code in THEMES]


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l("CSV, TSV or text, Excel (.xlsx), JSON or GeoJSON."),
    )
    target = RadioField(
        _l("What is this file?"),
        choices=[("new", _l("A new dataset")), ("version", _l("A new version of an existing dataset"))],
        default="new",
    )
    version_of = SelectField(_l("New version of"), choices=[], validate_choice=False)
    title = StringField(_l("Title"), description=_l("Leave empty to use the file name."))
    slug = StringField(
        _l("Address (slug)"),
        description=_l("Lower-case letters, digits and dashes. Leave empty to make one from the title."),
    )
    publisher = StringField(_l("Publisher"))
    license = SelectField(_l("Licence"), choices=license_choices, default="")
    draft = BooleanField(
        _l("Keep as a draft"),
        default=True,
        description=_l(
            "A new dataset: visible to organizers only. A new version: the public keeps seeing the published "
            "version until you publish this one, after checking what would change."
        ),
    )
    header = SelectField(
        _l("First row holds the column names"),
        choices=[("", _l("let the importer decide")), ("yes", _l("yes")), ("no", _l("no"))],
        default="",
    )
    delimiter = StringField(_l("Delimiter"), description=_l("One character, or tab. Leave empty to detect it."))
    encoding = StringField(
        _l("Encoding"), description=_l("For example utf-8 or windows-1252. Leave empty to detect it.")
    )
    geometry = StringField(
        _l("Location columns"),
        description=_l("latitude,longitude; or x,y with a coordinate system; or one column of shapes; or none."),
    )
    crs = StringField(_l("Coordinate system (EPSG code)"), description=_l("For x,y columns, e.g. 28992 or 31370."))
    types = StringField(
        _l("Column types"),
        description=_l('A JSON object of column: type, e.g. {"postcode": "text"}. Leave empty to detect them.'),
    )
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
    themes = CheckboxesField(_l("Themes"), choices=theme_choices)
    keywords = StringField(_l("Keywords"), description=_l("Separate them with commas."))
    spatial = StringField(_l("Spatial coverage"), description=_l("For example: Antwerp, district Borgerhout."))
    temporal_start = DateField(_l("Covers from"), validators=[Optional()])
    temporal_end = DateField(_l("Covers until"), validators=[Optional()])
    update_frequency = SelectField(
        _l("Update frequency"),
        choices=[SelectChoice("", _l("Not stated"))]
        + [SelectChoice(frequency, FREQUENCY_NAMES[frequency]) for frequency in FREQUENCIES],
    )
    source_url = StringField(_l("Source web address"))
    status = SelectField(
        _l("Status"), choices=[SelectChoice("draft", _l("Draft")), SelectChoice("published", _l("Published"))]
    )

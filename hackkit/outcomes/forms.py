"""Forms of the outcome pages. They collect text; services.outcomes validates and stores it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hackkit.services.outcomes import STATUS_LABELS


class OutcomeForm(FlaskForm):
    status = SelectField(_l("What happened"), choices=[SelectChoice(s, label) for s, label in STATUS_LABELS.items()])
    # A text field shown as the browser's date picker: the service reads and checks the date.
    date = StringField(_l("When"), render_kw={"type": "date"}, description=_l("Today when left empty."))
    note = TextAreaField(_l("Note"), description=_l("Required when the project stopped: say why."))
    url = StringField(_l("Link"), description=_l("Required when the project is live: where it runs."))
    department = StringField(
        _l("Department (optional)"), description=_l("Left empty: the department that owns the challenge.")
    )

    def values(self) -> dict:
        return {
            "status": self.status.data,
            "date": self.date.data,
            "note": self.note.data,
            "url": self.url.data,
            "department": self.department.data,
        }


class UpdateForm(FlaskForm):
    text = TextAreaField(_l("Your update"), description=_l("What changed since the event? Markdown is allowed."))
    url = StringField(_l("Link (optional)"))

    def values(self) -> dict:
        return {"text": self.text.data, "url": self.url.data}

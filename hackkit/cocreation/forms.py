"""Forms of the co-creation loop. They collect text; the services validate and store it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from hackkit.services.feedback import KIND_LABELS, PROBLEM_KINDS, STATUS_LABELS

MARKDOWN = _l("Markdown is allowed.")


class ProblemForm(FlaskForm):
    kind = SelectField(_l("What is wrong?"), choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in PROBLEM_KINDS])
    title = StringField(_l("Summary"), validators=[DataRequired(), Length(max=200)])
    column = StringField(
        _l("Column (optional)"), validators=[Length(max=120)], description=_l("The column where you saw it.")
    )
    row = StringField(
        _l("Row (optional)"),
        validators=[Length(max=120)],
        description=_l("A row number or an identifier that finds the row, e.g. id = 1042."),
    )
    body = TextAreaField(_l("Details"), validators=[Length(max=5000)], description=MARKDOWN)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("kind", "title", "column", "row", "body")}


class RequestForm(FlaskForm):
    title = StringField(_l("Which data do you need?"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("What would you do with it?"),
        validators=[Length(max=5000)],
        description=_l("Who publishes it now, which fields and area you need. Markdown is allowed."),
    )

    def values(self) -> dict:
        return {"title": self.title.data, "body": self.body.data}


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[Length(max=5000)], description=MARKDOWN)
    status = SelectField(_l("Status"), choices=[SelectChoice(s, label) for s, label in STATUS_LABELS.items()])

    def values(self) -> dict:
        return {"answer": self.answer.data, "status": self.status.data}


class ProposalForm(FlaskForm):
    title = StringField(_l("The problem in one line"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Describe it"),
        validators=[Length(max=5000)],
        description=_l("Who has this problem, where, and what would help. Markdown is allowed."),
    )
    neighbourhood = StringField(_l("Neighbourhood or district (optional)"), validators=[Length(max=120)])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ("title", "description", "neighbourhood")}

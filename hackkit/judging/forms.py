"""Judging forms. They collect input; the rules live in services.judging, judging_setup, assignments and scoring."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class CriterionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("What judges should look for"), validators=[Length(max=2000)])
    weight = DecimalField(
        _l("Weight"), default=1, validators=[DataRequired()], description=_l("Weight 2 counts twice as much as 1.")
    )
    scale_min = IntegerField(_l("Lowest score"), default=1, validators=[NumberRange(min=0, max=100)])
    scale_max = IntegerField(_l("Highest score"), default=5, validators=[NumberRange(min=0, max=100)])


class JudgeForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the judge"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("The person needs an account on this hub."),
    )


class AssignForm(FlaskForm):
    per_submission = IntegerField(
        _l("Judges per project"),
        default=3,
        validators=[DataRequired(), NumberRange(min=1, max=50)],
        description=_l("Every project gets at least this many judges; workloads differ by at most one."),
    )


class SettingsForm(FlaskForm):
    opens_at = DateTimeLocalField(
        _l("Judging opens"),
        validators=[Optional()],
        description=_l("Empty: at the submission deadline. In the event's time zone."),
    )
    closes_at = DateTimeLocalField(
        _l("Judging closes"), validators=[Optional()], description=_l("Empty: when the results are published.")
    )
    mode = SelectField(
        _l("How the jury judges"),
        choices=[SelectChoice("rubric", _l("Scores per criterion")), SelectChoice("pairwise", _l("Pairwise"))],
    )
    # Asked for by the service when a switch would set scores or votes aside (see the jury page).
    confirm_mode_change = BooleanField(_l("Yes, switch the judging mode anyway"))
    public_vote_opens = DateTimeLocalField(
        _l("Public vote opens"), validators=[Optional()], description=_l("Empty: the public vote stays closed.")
    )
    public_vote_closes = DateTimeLocalField(
        _l("Public vote closes"),
        validators=[Optional()],
        description=_l("Empty: open until you set a closing time. A closing time needs an opening time."),
    )


CONFLICT_CHOICES = [
    SelectChoice("member", _l("I am in this team")),
    SelectChoice("organisation", _l("Same organisation")),
    SelectChoice("relation", _l("Personal relation")),
    SelectChoice("other", _l("Other (say what)")),
]


class ConflictForm(FlaskForm):
    submission_id = SelectField(_l("Project"), coerce=int)
    kind = SelectField(_l("Kind of conflict"), choices=CONFLICT_CHOICES)
    note = StringField(_l("Note"), validators=[Length(max=1000)])


def score_form(criteria, data=None):
    """A form with one number field per criterion (named c<id>), plus feedback and a private note."""

    class ScoreForm(FlaskForm):
        feedback = TextAreaField(
            _l("Feedback for the team"),
            validators=[Length(max=5000)],
            description=_l("The team reads this after the results are published."),
        )
        private_note = TextAreaField(
            _l("Private note for the jury"),
            validators=[Length(max=5000)],
            description=_l("Only organizers and you read this."),
        )

    for criterion in criteria:
        field = DecimalField(
            criterion.name,
            places=None,  # show 4, not 4.00
            validators=[Optional()],
            description=_l("From %(low)d to %(high)d.", low=criterion.scale_min, high=criterion.scale_max),
            render_kw={"inputmode": "decimal", "min": criterion.scale_min, "max": criterion.scale_max},
        )
        setattr(ScoreForm, f"c{criterion.id}", field)
    return ScoreForm(data=data)


class ManualAssignForm(FlaskForm):
    """Assign one judge to one project by hand (kept by every automatic re-assignment)."""

    judge_id = SelectField(_l("Judge"), coerce=int)
    submission_id = SelectField(_l("Project"), coerce=int)


# The organizer records a conflict on a judge's behalf: the same kinds, in the third person.
JUDGE_CONFLICT_CHOICES = [
    SelectChoice("member", _l("Member of this team")),
    SelectChoice("organisation", _l("Same organisation")),
    SelectChoice("relation", _l("Personal relation")),
    SelectChoice("other", _l("Other (say what)")),
]


class JudgeConflictForm(FlaskForm):
    judge_id = SelectField(_l("Judge"), coerce=int)
    submission_id = SelectField(_l("Project"), coerce=int)
    kind = SelectField(_l("Kind of conflict"), choices=JUDGE_CONFLICT_CHOICES)
    note = StringField(
        _l("Reason"), validators=[Length(max=1000)], description=_l("Required for “Other”; kept for the record.")
    )

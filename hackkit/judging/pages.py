"""What the judging pages share: the blueprint, the markdown helper of their templates,
running one service call with its answer flashed, and the jury page's two pick-a-judge forms.

The view modules (views.py, jury_views.py) import this one and never each other's helpers.
The blueprint is not in the package __init__ (as hackkit/cocreation/'s is) because that
package also holds the plain-Python algorithms the services import: loading them must not
load the pages.
"""

from __future__ import annotations

from flask import Blueprint

from hackkit.judging import forms
from hackkit.markup import render_markdown
from hackkit.services.jury_page import JuryChoices

bp = Blueprint("judging", __name__)


@bp.context_processor
def markdown_helper() -> dict:
    return {"render_markdown": render_markdown}


def manual_forms(choices: JuryChoices) -> tuple[forms.ManualAssignForm, forms.JudgeConflictForm]:
    """The two jury-page forms that pick a judge and a project, with this event's choices."""
    judges = [(u.id, f"{u.display_name} ({u.email})") for u in choices.judges]
    projects = [(submission_id, f"{title} (#{submission_id})") for submission_id, title in choices.titles.items()]
    # Prefixes: both forms have a judge and a project field on the same page.
    assign_form = forms.ManualAssignForm(prefix="assign")
    conflict_form = forms.JudgeConflictForm(prefix="conflict")
    for form in (assign_form, conflict_form):
        form.judge_id.choices = judges
        form.submission_id.choices = projects
    return assign_form, conflict_form

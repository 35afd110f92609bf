"""What the judging pages share: the blueprint, the markdown helper of their templates,
running one service call with its answer flashed, and the jury page's two pick-a-judge forms.

The view modules (views.py, jury_views.py) import this one and never each other's helpers.
The blueprint is not in the package __init__ (as hackkit/cocreation/'s is) because that
package also holds the plain-Python algorithms the services import: loading them must not
load the pages.
"""

from __future__ import annotations

from flask import Blueprint, flash

from hackkit.judging import forms
from hackkit.markup import render_markdown
from hackkit.services.errors import ServiceError
from hackkit.services.jury_page import JuryChoices

bp = Blueprint("judging", __name__)


@bp.context_processor
def markdown_helper() -> dict:
    return {"render_markdown": render_markdown}


def attempt(action, success: str) -> bool:
    """Run a service call; flash its refusal (or `success`) for the next page."""
    try:
        action()
    except ServiceError as error:
        if error.status in (401, 403):
            # Not allowed at all: the error page with 403, as the API answers, not a
            # redirect that hides the refusal in a flash message.
            raise
        flash(str(error.message), "error")
        for messages in error.errors.values():
            for message in messages:
                flash(str(message), "error")
        return False
    flash(success, "success")
    return True


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

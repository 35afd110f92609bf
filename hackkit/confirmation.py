"""Ask before a destructive action: a page that says what will happen, with a red button.

A destructive form (remove a judge, delete a criterion or an announcement, leave a team...)
posts without `confirm=yes` first; its view answers with this page instead of acting, and the
page's button posts the same address again with `confirm=yes`. The server decides, so it works
without JavaScript and a stray click or a replayed form never deletes anything.
"""

from __future__ import annotations

from flask import render_template, request


def confirmed() -> bool:
    return request.form.get("confirm") == "yes"


def ask(question: str, button: str, cancel_url: str, details: str = ""):
    """The confirmation page for this POST (status 200: nothing happened yet)."""
    return render_template(
        "confirm.html", question=question, button=button, cancel_url=cancel_url, details=details, action=request.path
    )

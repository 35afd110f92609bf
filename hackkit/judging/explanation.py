"""The method in plain words, as the results page shows it: the one home of this text.

Constant English text, one paragraph per entry, so the page can render it as it likes and a
translator can work paragraph by paragraph. Each paragraph is marked with N_ (a no-op: this
module is plain Python, without Flask) so that `pybabel extract -k N_` collects it; the pages
translate it for the reader (hackkit/judging/explanation_text.py).
Keep it in step with the docstring of ``hackkit.judging.scores`` and with docs/judging.md.
"""

from __future__ import annotations

from .scores import Method


def N_(message: str) -> str:  # noqa: N802 - the usual name of a gettext no-op marker
    """Mark a paragraph for translation; it is translated where it is shown."""
    return message


# What every reader needs, whichever method ranks the results.
COMMON: tuple[str, ...] = (
    N_(
        "Each project was scored by several judges on the criteria published before the event. "
        "Each criterion has a weight: a criterion with weight 3 counts three times as much as one with weight 1."
    ),
    N_(
        "To combine criteria that use different scales (for example 1 to 5 and 1 to 10), every score is first "
        "placed on the same 0 to 1 range: the lowest possible score becomes 0 and the highest 1."
    ),
)

METHOD_TEXT: dict[Method, tuple[str, ...]] = {
    "normalised": (
        N_(
            "Judges differ: some give high scores to everything, some low; some use the whole scale, others only "
            "the middle. Each judge also saw only some of the projects. So that a project does not win or lose "
            "because of which judges it happened to get, we compare every score with the other scores from the "
            "same judge."
        ),
        N_(
            "For each judge and each criterion we take the judge's average score over the projects they scored, "
            "and we look at how far each project is above or below that average. We divide that distance by how "
            "widely this judge spreads their scores in general. A strict judge's 6 can then count as much as a "
            "generous judge's 8."
        ),
        N_(
            "A project's result is the average of these comparisons over its judges, combined with the criteria "
            "weights. 0 means as good as the average project its judges saw; +1 means clearly better (one "
            "standard deviation); -1 clearly worse."
        ),
        N_(
            "For transparency we also show the plain weighted average of the scores (the raw score) and the "
            "result per criterion."
        ),
    ),
    "raw": (
        N_(
            "A project's result is the plain average of its judges' scores on each criterion, combined with the "
            "criteria weights, on a scale from 0 (lowest possible) to 1 (highest possible)."
        ),
        N_("Note that this favours projects that happened to be scored by generous judges."),
    ),
}

EDGE_CASES: tuple[str, ...] = (
    N_(
        "Ties: projects with the same result share a place, and the next place is skipped (1, 2, 2, 4). "
        "The jury decides between tied projects when a prize depends on it."
    ),
    N_(
        "Missing scores: if a judge skipped a criterion, that criterion is averaged over the judges who did score "
        "it. If nobody scored a criterion for a project, the project is judged on its other criteria, with their "
        "weights scaled up. A project nobody scored gets no place."
    ),
    N_(
        "A judge who scored only one project cannot be compared with themselves, so that score counts in the raw "
        "score only. A judge who gave every project the same score says they are equal: those scores count as "
        "exactly average."
    ),
)

# One line per note code that SubmissionResult.notes can carry, for next to the project's result.
NOTE_TEXT: dict[str, str] = {
    "no_scores": N_("Nobody has scored this project."),
    "missing_criteria": N_("Some criteria were not scored by anyone; the result uses the other criteria."),
    "not_comparable": N_(
        "Some scores come from judges who scored only this project; they count in the raw score only."
    ),
}


# Pairwise judging (Crowd-BT) ranks by estimated quality: its own, shorter text.
PAIRWISE: tuple[str, ...] = (
    N_(
        "Judges compared projects two at a time and said which was better. A statistical model "
        "(Crowd-BT, as used by the Gavel judging system) turns all comparisons into an estimated "
        "quality per project, with its uncertainty; judges whose votes keep disagreeing with the "
        "others count a little less."
    ),
    N_(
        "Projects are ranked by estimated quality. When two projects' uncertainties overlap, the "
        "difference between them is not clear."
    ),
)


def explanation(method: Method | str) -> tuple[str, ...]:
    """All paragraphs for the results page, in reading order."""
    if method == "pairwise":
        return PAIRWISE
    return COMMON + METHOD_TEXT[method] + EDGE_CASES

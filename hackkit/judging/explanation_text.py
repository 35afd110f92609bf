"""The words of hackkit.judging.explanation, marked for translation.

explanation.py keeps the method text as plain English constants (no Flask there); the pages
need it in the reader's language, so the same paragraphs are repeated here inside _l() where
Babel finds them. tests/judging/test_views.py checks that both lists say exactly the same.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hackkit.judging.explanation import COMMON, EDGE_CASES, METHOD_TEXT, NOTE_TEXT, explanation

# In the order of COMMON + METHOD_TEXT["normalised"] + METHOD_TEXT["raw"] + EDGE_CASES.
TRANSLATABLE = (
    _l(
        "Each project was scored by several judges on the criteria published before the event. Each"
        " criterion has a weight: a criterion with weight 3 counts three times as much as one with "
        "weight 1."
    ),
    _l(
        "To combine criteria that use different scales (for example 1 to 5 and 1 to 10), every "
        "score is first placed on the same 0 to 1 range: the lowest possible score becomes 0 and "
        "the highest 1."
    ),
    _l(
        "Judges differ: some give high scores to everything, some low; some use the whole scale, "
        "others only the middle. Each judge also saw only some of the projects. So that a project "
        "does not win or lose because of which judges it happened to get, we compare every score "
        "with the other scores from the same judge."
    ),
    _l(
        "For each judge and each criterion we take the judge's average score over the projects they"
        " scored, and we look at how far each project is above or below that average. We divide "
        "that distance by how widely this judge spreads their scores in general. A strict judge's 6"
        " can then count as much as a generous judge's 8."
    ),
    _l(
        "A project's result is the average of these comparisons over its judges, combined with the "
        "criteria weights. 0 means as good as the average project its judges saw; +1 means clearly "
        "better (one standard deviation); -1 clearly worse."
    ),
    _l(
        "For transparency we also show the plain weighted average of the scores (the raw score) and"
        " the result per criterion."
    ),
    _l(
        "A project's result is the plain average of its judges' scores on each criterion, combined "
        "with the criteria weights, on a scale from 0 (lowest possible) to 1 (highest possible)."
    ),
    _l("Note that this favours projects that happened to be scored by generous judges."),
    _l(
        "Ties: projects with the same result share a place, and the next place is skipped (1, 2, 2,"
        " 4). The jury decides between tied projects when a prize depends on it."
    ),
    _l(
        "Missing scores: if a judge skipped a criterion, that criterion is averaged over the judges"
        " who did score it. If nobody scored a criterion for a project, the project is judged on "
        "its other criteria, with their weights scaled up. A project nobody scored gets no place."
    ),
    _l(
        "A judge who scored only one project cannot be compared with themselves, so that score "
        "counts in the raw score only. A judge who gave every project the same score says they are "
        "equal: those scores count as exactly average."
    ),
)
ENGLISH = (*COMMON, *METHOD_TEXT["normalised"], *METHOD_TEXT["raw"], *EDGE_CASES)
_TWIN = dict(zip(ENGLISH, TRANSLATABLE, strict=True))

NOTES = {
    "no_scores": _l("Nobody has scored this project."),
    "missing_criteria": _l("Some criteria were not scored by anyone; the result uses the other criteria."),
    "not_comparable": _l(
        "Some scores come from judges who scored only this project; they count in the raw score only."
    ),
}
assert set(NOTES) == set(NOTE_TEXT)


def explanation_paragraphs(method: str) -> list:
    """The method in plain words, in the reader's language; pairwise has its own text."""
    if method == "pairwise":
        return [
            _l(
                "Judges compared projects two at a time and said which was better. A statistical model "
                "(Crowd-BT, as used by the Gavel judging system) turns all comparisons into an estimated "
                "quality per project, with its uncertainty; judges whose votes keep disagreeing with the "
                "others count a little less."
            ),
            _l(
                "Projects are ranked by estimated quality. When two projects' uncertainties overlap, the "
                "difference between them is not clear."
            ),
        ]
    return [_TWIN[paragraph] for paragraph in explanation(method)]


def note_text(code: str):
    return NOTES.get(code, code)

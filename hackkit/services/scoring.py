"""Running a jury, part two: what a judge sees and scores, progress, results, feedback.

Who sees what (the reason for most of the checks below):
- a judge sees and scores only the projects assigned to them, never one they have a conflict
  of interest with (403, even if an assignment was left behind), and sees the version frozen
  at the team's deadline, never later edits;
- scores and private jury notes reach organizers and the judge who wrote them; feedback and
  per-criterion results reach the team only after publication;
- results: organizers any time, everyone else after publication.
"""

from __future__ import annotations

import copy
import random
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from hackkit.judging import pairwise
from hackkit.judging.scores import Criterion as CriterionInput
from hackkit.judging.scores import Score as ScoreInput
from hackkit.judging.scores import compute_results
from hackkit.models import Event, PairwiseVote, Review, Score, Submission, User
from hackkit.models.base import utcnow
from hackkit.permissions import can, require
from hackkit.services import assignments, judging
from hackkit.services import submissions as submission_service
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Forbidden, Unauthorized
from hackkit.services.teams import is_member
from hackkit.services.transactions import rolls_back

# What a judge sees -----------------------------------------------------------------------------


def require_can_judge(session: Session, actor, submission: Submission) -> None:
    """An assigned judge without a conflict; organizers may look but are checked elsewhere."""
    if not getattr(actor, "is_authenticated", False):
        raise Unauthorized(_l("Log in first."))
    if judging.is_conflicted(session, actor, submission):
        raise Forbidden(_l("You have a conflict of interest with this project: you cannot see or score it."))
    if not assignments.is_assigned(session, actor, submission):
        raise Forbidden(_l("This project is not assigned to you."))


def require_can_view(session: Session, actor, submission: Submission) -> None:
    """Judges who may score it, and organizers who are not in a conflict with it."""
    if can(actor, "judging.manage") and not judging.is_conflicted(session, actor, submission):
        return
    require_can_judge(session, actor, submission)


def judge_view(session: Session, actor, submission: Submission) -> dict:
    """The frozen project, the criteria and the viewer's own scores and words."""
    require_can_view(session, actor, submission)
    version = submission_service.frozen_version(session, submission)
    event = submission.team.event
    scores = {
        s.criterion_id: s.value
        for s in session.scalars(
            sa.select(Score).where(Score.judge_id == actor.id, Score.submission_id == submission.id)
        )
    }
    review = _review(session, actor.id, submission.id)
    criteria = judging.criteria_of(session, event)
    return {
        **score_completeness(criteria, scores),
        "submission": submission,
        "content": version.data,
        "version": version.number,
        "team": submission.team.name,
        "criteria": criteria,
        "scores": scores,
        "feedback": review.feedback if review else "",
        "private_note": review.private_note if review else "",
        "judging_open": judging.judging_is_open(session, event),
    }


def score_completeness(criteria: list, scores: dict) -> dict:
    """`{complete, missing_criteria}`: a form is complete when every criterion has a score.

    A half-filled form is saved (a judge may come back to it) but stays "to score" on the
    dashboards and in the warnings before publication; how its values count in the results
    is written in docs/judging.md ("Partial score forms").
    """
    missing = [c.id for c in criteria if c.id not in scores]
    return {"complete": bool(criteria) and not missing, "missing_criteria": missing}


def _review(session: Session, judge_id: int, submission_id: int) -> Review | None:
    return session.scalar(sa.select(Review).where(Review.judge_id == judge_id, Review.submission_id == submission_id))


# Scoring -------------------------------------------------------------------------------------


@rolls_back
def save_scores(session: Session, actor: User, submission: Submission, data: dict, now: datetime | None = None) -> dict:
    """Store `{scores: {criterion_id: value}, feedback, private_note}`; a value of null clears one.

    All values are checked before anything is written, so bad input changes nothing.
    """
    require_can_judge(session, actor, submission)
    event = submission.team.event
    judging.require_not_frozen(session, event)
    judging.require_judging_open(session, event, now)
    criteria = {c.id: c for c in judging.criteria_of(session, event)}
    raw = data.get("scores", {})
    if not isinstance(raw, dict):
        raise v.fail("scores", _l("Send scores as an object: {criterion id: value}."))
    cleaned: dict[int, float | None] = {}
    errors: dict[str, list] = {}
    for key, value in raw.items():
        try:
            criterion = criteria.get(int(key))
        except (TypeError, ValueError):
            criterion = None
        if criterion is None:
            errors[str(key)] = [_l("This event has no criterion with this id.")]
            continue
        if value in (None, ""):
            cleaned[criterion.id] = None
            continue
        try:
            number = v.number({"value": value}, "value")
        except v.Invalid:
            number = None
        if number is None or not criterion.scale_min <= number <= criterion.scale_max:
            errors[str(key)] = [
                _l(
                    "Give %(name)s a score from %(low)d to %(high)d.",
                    name=criterion.name,
                    low=criterion.scale_min,
                    high=criterion.scale_max,
                )
            ]
            continue
        cleaned[criterion.id] = number
    if errors:
        raise v.Invalid(_l("Some scores are not valid; nothing was saved."), {"scores": [], **errors})
    feedback = v.text(data, "feedback", max_length=5000) if "feedback" in data else None
    note = v.text(data, "private_note", max_length=5000) if "private_note" in data else None

    now = now or utcnow()
    existing = {
        s.criterion_id: s
        for s in session.scalars(
            sa.select(Score).where(Score.judge_id == actor.id, Score.submission_id == submission.id)
        )
    }
    for criterion_id, value in cleaned.items():
        score = existing.get(criterion_id)
        if value is None:
            if score is not None:
                session.delete(score)
        elif score is None:
            session.add(
                Score(
                    judge_id=actor.id,
                    submission_id=submission.id,
                    criterion_id=criterion_id,
                    value=value,
                    updated_at=now,
                )
            )
        else:
            score.value, score.updated_at = value, now
            # Written even when it looks unchanged: what this save read may be stale (another
            # save of the same judge committed meanwhile), and a save must land whole.
            flag_modified(score, "value")
    if feedback is not None or note is not None:
        with session.no_autoflush:  # the scores are written at commit, where a race is caught
            found = _review(session, actor.id, submission.id)
        review = found or Review(judge_id=actor.id, submission_id=submission.id, feedback="", private_note="")
        if feedback is not None:
            review.feedback = feedback
            flag_modified(review, "feedback")  # see flag_modified above
        if note is not None:
            review.private_note = note
            flag_modified(review, "private_note")
        review.updated_at = now
        session.add(review)
    try:
        session.commit()
    except sa.exc.IntegrityError as error:  # the same judge saving twice at once
        session.rollback()
        raise Conflict(_l("Your scores were saved at the same moment from elsewhere. Reload and try again.")) from error
    view = judge_view(session, actor, submission)
    return {k: view[k] for k in ("scores", "feedback", "private_note", "complete", "missing_criteria")}


def submission_scores(session: Session, actor: User, submission: Submission) -> dict:
    """Every judge's scores and notes on one project: organizers only (not when conflicted)."""
    require(actor, "judging.manage")
    if judging.is_conflicted(session, actor, submission):
        raise Forbidden(_l("You have a conflict of interest with this project: you cannot see or score it."))
    rows = session.scalars(sa.select(Score).where(Score.submission_id == submission.id).order_by(Score.judge_id))
    reviews = session.scalars(sa.select(Review).where(Review.submission_id == submission.id))
    judges: dict[int, dict] = {}
    for score in rows:
        judges.setdefault(score.judge_id, {"scores": {}, "feedback": "", "private_note": ""})["scores"][
            score.criterion_id
        ] = score.value
    for review in reviews:
        entry = judges.setdefault(review.judge_id, {"scores": {}, "feedback": "", "private_note": ""})
        entry["feedback"], entry["private_note"] = review.feedback, review.private_note
    return judges


# Progress ------------------------------------------------------------------------------------


def progress(session: Session, actor: User, event: Event) -> dict:
    """Who still has to score what: per judge and per submission (organizers), or one's own."""
    event_assignments = assignments.assignments_of(session, actor, event)  # checks who may see
    criteria = [c.id for c in judging.criteria_of(session, event)]
    scored: dict[tuple[int, int], set[int]] = {}
    for judge_id, submission_id, criterion_id in session.execute(
        sa.select(Score.judge_id, Score.submission_id, Score.criterion_id)
        .join(Submission, Submission.id == Score.submission_id)
        .where(Submission.event_id == event.id)
    ):
        scored.setdefault((judge_id, submission_id), set()).add(criterion_id)
    per_judge: dict[int, dict] = {}
    per_submission: dict[int, dict] = {}
    for a in event_assignments:
        done = bool(criteria) and set(criteria) <= scored.get((a.judge_id, a.submission_id), set())
        judge = per_judge.setdefault(
            a.judge_id,
            {
                "judge_id": a.judge_id,
                "name": a.judge.display_name,
                "assigned": 0,
                "done": 0,
                "missing": [],
                "partial": [],  # begun but not every criterion scored: still counted as missing
            },
        )
        sub = per_submission.setdefault(
            a.submission_id,
            {
                "submission_id": a.submission_id,
                "title": judging.frozen_title(session, a.submission),
                "judges": 0,
                "done": 0,
                "missing_judges": [],
            },
        )
        judge["assigned"] += 1
        sub["judges"] += 1
        if done:
            judge["done"] += 1
            sub["done"] += 1
        else:
            judge["missing"].append(a.submission_id)
            sub["missing_judges"].append(a.judge_id)
            if scored.get((a.judge_id, a.submission_id)):
                judge["partial"].append(a.submission_id)
    return {"criteria": len(criteria), "judges": list(per_judge.values()), "submissions": list(per_submission.values())}


def reminders(session: Session, actor: User, event: Event) -> list[dict]:
    """Per judge with work left: their name, e-mail and the projects they still have to score.

    For the organizer to send on (the hub sends no e-mail itself); organizers only, since
    it lists the judges' addresses.
    """
    require(actor, "judging.manage")
    found = progress(session, actor, event)
    judges = {u.id: u for u in judging.judges_of(session, event)}
    titles = {s["submission_id"]: s["title"] for s in found["submissions"]}
    out = []
    for row in found["judges"]:
        judge = judges.get(row["judge_id"])
        if judge is None or not row["missing"]:
            continue
        out.append(
            {
                "judge_id": judge.id,
                "name": judge.display_name,
                "email": judge.email,
                "assigned": row["assigned"],
                "done": row["done"],
                "missing": [{"submission_id": sid, "title": titles.get(sid, "")} for sid in row["missing"]],
            }
        )
    return out


# Results -------------------------------------------------------------------------------------


def can_see_results(session: Session, actor, event: Event) -> bool:
    return can(actor, "judging.manage") or judging.results_are_published(session, event)


def results(session: Session, actor, event: Event, method: str = "normalised") -> dict:
    """`{method, published, criteria, results: [...]}`; rubric results, or pairwise in pairwise mode.

    Organizers read the live computation; everyone else reads the snapshot taken when the
    results were published (services.publication), so later changes never move it.
    """
    settings = judging.settings_of(session, event)
    if not can_see_results(session, actor, event):
        raise Forbidden(_l("The results of this event are not published yet."))
    if settings.mode != "pairwise" and method not in ("normalised", "raw"):
        raise v.fail("method", _l("Choose one of: %(options)s.", options="normalised, raw"))
    snapshot = settings.results_snapshot if settings.results_published else None
    if snapshot and not can(actor, "judging.manage"):
        found = snapshot["methods"].get("pairwise") or snapshot["methods"][method]
        return {**copy.deepcopy(found), "published": True, "criteria": copy.deepcopy(snapshot["criteria"])}
    computed = live_results(session, event, method)
    computed["published"] = settings.results_published
    return computed


def criterion_summary(criterion) -> dict:
    return {
        "id": criterion.id,
        "name": criterion.name,
        "weight": criterion.weight,
        "scale_min": criterion.scale_min,
        "scale_max": criterion.scale_max,
    }


def live_results(session: Session, event: Event, method: str = "normalised") -> dict:
    """The results computed from the jury's data as it is now (no permission check: callers check)."""
    settings = judging.settings_of(session, event)
    judged = judging.judged_versions(session, event)
    subs = {s.id: s for s, _version in judged}
    titles = {s.id: judging.title_of(s, version) for s, version in judged}
    if settings.mode == "pairwise":
        return {"method": "pairwise", "criteria": [], "results": _pairwise_results(session, event, subs, titles)}
    criteria = judging.criteria_of(session, event)
    summaries = [criterion_summary(c) for c in criteria]
    if not criteria:
        return {"method": method, "criteria": summaries, "results": []}
    conflicts = judging.all_conflicts(session, event)
    # A score from a judge who is (now) conflicted does not count.
    scores = [
        ScoreInput(s.judge_id, s.submission_id, s.criterion_id, s.value)
        for s in session.scalars(sa.select(Score).where(Score.submission_id.in_(list(subs) or [0])))
        if (s.judge_id, s.submission_id) not in conflicts
    ]
    computed = compute_results(
        [CriterionInput(c.id, c.weight, c.scale_min, c.scale_max) for c in criteria], scores, list(subs), method
    ).as_dict()
    for row in computed["results"]:
        submission = subs[row["submission_id"]]
        row["title"] = titles[submission.id]
        row["team"] = submission.team.name
        row["criteria"] = {str(k): value for k, value in row["criteria"].items()}
    computed["criteria"] = summaries
    return computed


def _pairwise_results(
    session: Session, event: Event, subs: dict[int, Submission], titles: dict[int, str]
) -> list[dict]:
    votes = active_votes(session, event)
    state = pairwise.replay(list(subs), [pairwise.Vote(v.judge_id, v.winner_id, v.loser_id) for v in votes])
    rows = []
    for item in pairwise.ranking(state):
        submission = subs[item.item_id]
        rows.append(
            {
                "submission_id": item.item_id,
                "rank": item.rank,
                "score": item.mu,
                "sigma": item.sigma,
                "raw_score": None,
                "criteria": {},
                "title": titles[submission.id],
                "team": submission.team.name,
                "notes": [],
            }
        )
    return rows


def active_votes(session: Session, event: Event, *, with_skips: bool = False) -> list[PairwiseVote]:
    """The comparisons the model counts, in order; `with_skips` adds the judges' skips."""
    query = sa.select(PairwiseVote).where(PairwiseVote.event_id == event.id, PairwiseVote.undone.is_(False))
    if not with_skips:
        query = query.where(PairwiseVote.skipped.is_(False))
    return list(session.scalars(query.order_by(PairwiseVote.id)))


# Feedback for the team -----------------------------------------------------------------------


def team_feedback(session: Session, actor, submission: Submission) -> dict:
    """After publication a team reads its feedback and its results; organizers any time.

    Judges stay anonymous to the team, and private notes never leave the jury.
    """
    event = submission.team.event
    if not getattr(actor, "is_authenticated", False):
        raise Unauthorized(_l("Log in first."))
    if not (is_member(submission.team, actor) or can(actor, "judging.manage")):
        raise Forbidden(_l("Only the team and organizers read the jury's feedback."))
    if not can_see_results(session, actor, event):
        raise Forbidden(_l("The results of this event are not published yet."))
    feedback = [
        r.feedback
        for r in session.scalars(
            sa.select(Review).where(Review.submission_id == submission.id, Review.feedback != "").order_by(Review.id)
        )
    ]
    everything = results(session, actor, event)
    mine = next((r for r in everything["results"] if r["submission_id"] == submission.id), None)
    return {
        "submission_id": submission.id,
        "feedback": feedback,
        "method": everything["method"],
        "criteria": everything["criteria"],
        "result": mine,
    }


def seeded_rng(judge_id: int, count: int) -> random.Random:
    """Same judge, same number of votes: the same next pair, so a reload does not reshuffle."""
    return random.Random(judge_id * 1_000_003 + count)

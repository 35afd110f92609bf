"""Results from rubric scores: weights, scales, normalisation, ties and missing scores."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hackkit.judging.explanation import NOTE_TEXT, explanation
from hackkit.judging.scores import Criterion, Score, ScoringInputError, compute_results

ONE_TO_FIVE = Criterion(id="impact", weight=1, scale_min=1, scale_max=5)


def scores_of(rows):
    """rows: (judge, submission, criterion, value)"""
    return [Score(*row) for row in rows]


def by_submission(results):
    return {r.submission_id: r for r in results.results}


def test_raw_score_rescales_each_criterion_to_its_own_scale():
    criteria = [
        Criterion(id="a", weight=1, scale_min=1, scale_max=5),
        Criterion(id="b", weight=1, scale_min=0, scale_max=10),
    ]
    # 5 on 1-5 is the top (1.0), 5 on 0-10 is the middle (0.5).
    results = compute_results(criteria, scores_of([("j", "s", "a", 5), ("j", "s", "b", 5)]))
    only = results.results[0]
    assert only.raw_score == pytest.approx(0.75)
    assert only.criteria["a"].mean == 5 and only.criteria["a"].raw == 1.0
    assert only.criteria["b"].raw == 0.5


def test_raw_score_applies_the_criteria_weights():
    criteria = [
        Criterion(id="a", weight=3, scale_min=0, scale_max=1),
        Criterion(id="b", weight=1, scale_min=0, scale_max=1),
    ]
    results = compute_results(criteria, scores_of([("j", "s", "a", 1), ("j", "s", "b", 0)]), method="raw")
    assert results.results[0].raw_score == pytest.approx(0.75)


def test_lenient_judge_does_not_decide_the_normalised_ranking():
    # Judge "kind" scores everything 4-5, judge "strict" 1-2; they saw different projects.
    # Within each judge, "a" beats "b" and "c" beats "d" by the same relative margin.
    rows = [
        ("kind", "a", "impact", 5),
        ("kind", "b", "impact", 4),
        ("strict", "c", "impact", 2),
        ("strict", "d", "impact", 1),
    ]
    raw = by_submission(compute_results([ONE_TO_FIVE], scores_of(rows), method="raw"))
    assert raw["b"].rank == 2 and raw["c"].rank == 3  # raw: the kind judge's worst beats the strict one's best
    normalised = by_submission(compute_results([ONE_TO_FIVE], scores_of(rows)))
    assert normalised["a"].rank == normalised["c"].rank == 1
    assert normalised["b"].rank == normalised["d"].rank == 3


def test_compressed_judge_counts_as_much_as_a_full_range_judge():
    # "narrow" uses 3-4, "wide" uses 1-5; they disagree about x and y with equal conviction.
    rows = [
        ("narrow", "x", "impact", 4),
        ("narrow", "y", "impact", 3),
        ("wide", "x", "impact", 1),
        ("wide", "y", "impact", 5),
    ]
    normalised = by_submission(compute_results([ONE_TO_FIVE], scores_of(rows)))
    assert normalised["x"].score == pytest.approx(0.0) and normalised["y"].score == pytest.approx(0.0)
    assert normalised["x"].rank == normalised["y"].rank == 1
    raw = by_submission(compute_results([ONE_TO_FIVE], scores_of(rows), method="raw"))
    assert raw["y"].rank == 1 and raw["x"].rank == 2  # the wide judge wins on raw scores


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    rows = [("j", s, "impact", v) for s, v in [("a", 5), ("b", 4), ("c", 4), ("d", 2)]]
    for method in ("raw", "normalised"):
        results = compute_results([ONE_TO_FIVE], scores_of(rows), method=method)
        ranks = [(r.submission_id, r.rank) for r in results.results]
        assert ranks == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_floating_point_noise_does_not_split_a_tie():
    criteria = [Criterion(id=c, weight=w, scale_min=0, scale_max=10) for c, w in [("p", 0.1), ("q", 0.2), ("r", 0.7)]]
    # Same values in a different order: sums in another order can differ in the last bit.
    rows = [("j", "a", "p", 1), ("j", "a", "q", 2), ("j", "a", "r", 3)]
    rows += [("j", "b", "r", 3), ("j", "b", "q", 2), ("j", "b", "p", 1)]
    assert [r.rank for r in compute_results(criteria, scores_of(rows), method="raw").results] == [1, 1]


def test_submission_nobody_scored_is_listed_last_without_a_rank():
    rows = [("j", "a", "impact", 5), ("j", "b", "impact", 3)]
    results = compute_results([ONE_TO_FIVE], scores_of(rows), submission_ids=["lonely", "a", "b"])
    last = results.results[-1]
    assert last.submission_id == "lonely" and last.rank is None
    assert last.score is None and last.raw_score is None and last.judges == 0
    assert last.notes == ("no_scores",)


def test_skipped_criterion_is_left_out_and_the_other_weights_scale_up():
    criteria = [
        Criterion(id="a", weight=1, scale_min=0, scale_max=10),
        Criterion(id="b", weight=3, scale_min=0, scale_max=10),
    ]
    rows = [("j", "s", "a", 8)]  # nobody scored "b" for s
    only = compute_results(criteria, scores_of(rows), method="raw").results[0]
    assert only.raw_score == pytest.approx(0.8)  # not 0.2: a judge's omission is not a zero
    assert only.criteria["b"].judges == 0 and only.criteria["b"].mean is None
    assert "missing_criteria" in only.notes


def test_judge_who_skipped_a_criterion_still_counts_on_the_others():
    criteria = [Criterion(id=c, weight=1, scale_min=1, scale_max=5) for c in ("a", "b")]
    rows = [("j", "s", "a", 5), ("j", "s", "b", 5), ("j", "t", "a", 1), ("k", "s", "b", 1), ("k", "t", "b", 3)]
    results = by_submission(compute_results(criteria, scores_of(rows)))
    assert results["s"].judges == 2 and results["s"].criteria["b"].judges == 2
    assert results["t"].criteria["a"].judges == 1


def test_judge_with_a_single_submission_counts_only_in_the_raw_score():
    rows = [
        ("j", "a", "impact", 5),
        ("j", "b", "impact", 1),
        ("solo", "b", "impact", 5),  # solo scored only b: nothing to compare it with
    ]
    results = by_submission(compute_results([ONE_TO_FIVE], scores_of(rows)))
    assert results["b"].raw_score == pytest.approx(0.5)  # (0 + 1) / 2: the solo score is in the raw mean
    assert results["b"].score == pytest.approx(-1.0)  # only judge j's comparison counts
    assert results["b"].judges == 2


def test_submission_with_only_single_submission_judges_is_unranked_under_normalisation():
    rows = [("j", "a", "impact", 5), ("j", "b", "impact", 1), ("solo", "c", "impact", 5)]
    results = by_submission(compute_results([ONE_TO_FIVE], scores_of(rows)))
    assert results["c"].rank is None and results["c"].score is None
    assert results["c"].raw_score == 1.0 and "not_comparable" in results["c"].notes
    assert by_submission(compute_results([ONE_TO_FIVE], scores_of(rows), method="raw"))["c"].rank == 1


def test_judge_who_scores_everything_the_same_counts_as_average():
    rows = [
        ("flat", "a", "impact", 3),
        ("flat", "b", "impact", 3),
        ("j", "a", "impact", 5),
        ("j", "b", "impact", 1),
    ]
    results = by_submission(compute_results([ONE_TO_FIVE], scores_of(rows)))
    # j alone decides; flat's zeros pull both towards 0 equally.
    assert results["a"].score == pytest.approx(0.5) and results["b"].score == pytest.approx(-0.5)
    assert results["a"].rank == 1


def test_results_do_not_depend_on_the_order_of_scores():
    rows = [(j, s, "impact", (ord(j) * 7 + ord(s) * 3) % 5 + 1) for j in "jkl" for s in "abcdef"]
    first = compute_results([ONE_TO_FIVE], scores_of(rows), submission_ids=list("abcdef"))
    second = compute_results([ONE_TO_FIVE], scores_of(reversed(rows)), submission_ids=list("abcdef"))
    assert [(r.submission_id, r.rank, r.score) for r in first.results] == [
        (r.submission_id, r.rank, r.score) for r in second.results
    ]


@pytest.mark.parametrize(
    ("criteria", "rows", "message"),
    [
        ([], [], "at least one criterion"),
        ([Criterion("a", 1, 5, 5)], [], "greater than scale_min"),
        ([Criterion("a", 0, 1, 5)], [], "positive"),
        ([Criterion("a", float("nan"), 1, 5)], [], "positive"),
        ([Criterion("a", 1, 1, 5), Criterion("a", 1, 1, 5)], [], "twice"),
        ([ONE_TO_FIVE], [("j", "s", "nope", 3)], "unknown criterion"),
        ([ONE_TO_FIVE], [("j", "s", "impact", 6)], "outside 1-5"),
        ([ONE_TO_FIVE], [("j", "s", "impact", float("nan"))], "outside"),
        ([ONE_TO_FIVE], [("j", "s", "impact", 3), ("j", "s", "impact", 4)], "twice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(criteria, rows, message):
    with pytest.raises(ScoringInputError, match=message):
        compute_results(criteria, scores_of(rows))


def test_unknown_method_is_refused():
    with pytest.raises(ScoringInputError, match="unknown method"):
        compute_results([ONE_TO_FIVE], [], method="median")  # type: ignore[arg-type]


def test_results_serialise_in_the_shape_of_the_results_api():
    import json

    rows = [("j", 1, "impact", 5), ("j", 2, "impact", 1)]
    data = json.loads(json.dumps(compute_results([ONE_TO_FIVE], scores_of(rows), submission_ids=[1, 2, 3]).as_dict()))
    assert data["method"] == "normalised"
    first = data["results"][0]
    assert {"submission_id", "rank", "score", "raw_score", "criteria", "judges", "notes"} <= set(first)
    assert first["submission_id"] == 1 and first["rank"] == 1 and first["raw_score"] == 1.0
    assert first["criteria"]["impact"] == {"mean": 5.0, "raw": 1.0, "normalised": 1.0, "judges": 1}
    assert data["results"][2] == {
        "submission_id": 3,
        "rank": None,
        "score": None,
        "raw_score": None,
        "judges": 0,
        "criteria": {"impact": {"mean": None, "raw": None, "normalised": None, "judges": 0}},
        "notes": ["no_scores"],
    }


def test_method_explanation_covers_ties_and_missing_scores():
    for method in ("normalised", "raw"):
        text = " ".join(explanation(method))
        assert "weight" in text and "share a place" in text and "skipped a criterion" in text
    assert "compare every score with the other scores from the same judge" in " ".join(explanation("normalised"))


WIDE = [Criterion(id=c, weight=w, scale_min=0, scale_max=100) for c, w in (("a", 3), ("b", 1))]


@st.composite
def jury_with_leniency(draw):
    """Scores, plus for each judge a personal stretch and per-criterion shift to apply on top."""
    judges, submissions = draw(st.integers(1, 5)), draw(st.integers(2, 8))
    cells = [(j, s, c.id) for j in range(judges) for s in range(submissions) for c in WIDE]
    kept = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
    values = draw(st.lists(st.integers(40, 60), min_size=len(cells), max_size=len(cells)))
    rows = [(*cell, float(v)) for cell, keep, v in zip(cells, kept, values, strict=True) if keep]
    stretch = {j: draw(st.sampled_from([0.5, 1.0, 1.5, 2.0])) for j in range(judges)}
    shift = {(j, c.id): draw(st.integers(-10, 10)) for j in range(judges) for c in WIDE}
    return rows, stretch, shift


@settings(max_examples=200, deadline=None)
@given(jury_with_leniency())
def test_normalised_results_ignore_each_judges_leniency_and_scale_use(jury):
    # A judge who is generally more generous on a criterion (shift) or spreads scores more
    # widely (stretch) is the same judge: the normalised results must not change.
    rows, stretch, shift = jury
    personal = [(j, s, c, 50 + stretch[j] * (v - 50) + shift[(j, c)]) for j, s, c, v in rows]
    before = compute_results(WIDE, scores_of(rows), submission_ids=range(8))
    after = compute_results(WIDE, scores_of(personal), submission_ids=range(8))
    for one, other in zip(before.results, after.results, strict=True):
        assert one.submission_id == other.submission_id and one.rank == other.rank
        assert one.score == other.score or one.score == pytest.approx(other.score, abs=1e-9)
        assert one.notes == other.notes


@settings(max_examples=200, deadline=None)
@given(jury_with_leniency())
def test_ranks_are_competition_ranks_and_raw_scores_stay_in_range(jury):
    rows, _, _ = jury
    for method in ("normalised", "raw"):
        results = compute_results(WIDE, scores_of(rows), submission_ids=range(8), method=method).results
        ranked = [r for r in results if r.rank is not None]
        assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
        for position, result in enumerate(ranked, start=1):
            # competition ranking: a rank is the position of the first of its tie group
            assert result.rank == min(p for p, r in enumerate(ranked, start=1) if r.rank == result.rank)
            assert result.rank <= position
        assert all(0 <= r.raw_score <= 1 for r in results if r.raw_score is not None)


def test_every_note_a_result_can_carry_has_a_plain_text():
    rows = [("j", "a", "impact", 5), ("j", "b", "impact", 1), ("solo", "c", "impact", 5)]
    criteria = [ONE_TO_FIVE, Criterion(id="extra", weight=1, scale_min=1, scale_max=5)]
    results = compute_results(criteria, scores_of(rows), submission_ids=["a", "b", "c", "d"]).results
    notes = {note for r in results for note in r.notes}
    assert notes == {"no_scores", "missing_criteria", "not_comparable"} == set(NOTE_TEXT)

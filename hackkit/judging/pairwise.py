"""Pairwise judging with the Crowd-BT model, as Gavel runs it at large expos.

A judge looks at two projects and says which is better. The model is from

    Xi Chen, Paul N. Bennett, Kevyn Collins-Thompson and Eric Horvitz,
    "Pairwise ranking aggregation in a crowdsourced setting", WSDM 2013,
    https://doi.org/10.1145/2433396.2433420

and the way it is used (one judge walks from project to project; each new project is compared
with the previous one; the next project is the one with the highest expected information gain,
with some random exploration) follows Gavel (github.com/anishathalye/gavel, gavel/crowd_bt.py
and gavel/controllers/judge.py). This is our own implementation of the paper's formulas.

The model
---------
- Every project ``i`` has a quality ``s_i``; we keep a Gaussian belief ``N(mu_i, sigma_sq_i)``.
- Bradley-Terry: a careful judge prefers ``i`` over ``j`` with probability
  ``exp(s_i) / (exp(s_i) + exp(s_j))``, the logistic function of ``s_i - s_j``.
- Every judge ``k`` is careful with probability ``eta_k`` and otherwise answers the opposite;
  we keep a Beta(alpha_k, beta_k) belief about ``eta_k``. A judge whose votes keep disagreeing
  with the others loses influence; one who agrees gains it.
- After each vote the beliefs are updated in closed form (the paper's moment-matching
  approximation to the posterior): an online update, one vote at a time.

State from history
------------------
The state is a pure function of the vote log: :func:`replay` starts from the priors and applies
the votes in order. Undoing a judge's last vote (:func:`undo_last_vote`) removes it from the log
and the caller replays, so an undo is exact, also when other judges voted in between.

Choosing the next project
-------------------------
:func:`choose_next` takes the judge's current project and, among the projects the caller still
allows (not yet seen by this judge, and never one the judge has a conflict of interest with),
picks the one whose comparison is expected to teach the model most: the expected KL divergence
between the beliefs after and before the vote (projects' Gaussians plus ``gamma`` times the
judge's Beta). With probability ``epsilon`` it picks at random instead, so that projects the
model is wrongly sure about still get looked at (Gavel uses 0.25).

Ranking
-------
By posterior mean ``mu``, best first, with ``sigma = sqrt(sigma_sq)`` as the uncertainty to
show next to it. Equal means (to 9 decimals) share a rank (1, 2, 2, 4).

Parameters default to the values the paper found to work and Gavel uses.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Id = Hashable
TIE_DIGITS = 9


@dataclass(frozen=True)
class CrowdBT:
    """Model parameters (defaults from Chen et al. 2013 and Gavel)."""

    gamma: float = 0.1  # weight of what we learn about the judge vs about the projects
    kappa: float = 1e-4  # floor on the variance shrink factor, keeps sigma_sq positive
    mu_prior: float = 0.0
    sigma_sq_prior: float = 1.0
    alpha_prior: float = 10.0  # Beta(10, 1): judges are trusted (about 91%) until shown otherwise
    beta_prior: float = 1.0
    epsilon: float = 0.25  # chance of a random next project instead of the most informative


DEFAULT = CrowdBT()


@dataclass(frozen=True)
class ItemBelief:
    mu: float
    sigma_sq: float

    @property
    def sigma(self) -> float:
        return math.sqrt(self.sigma_sq)


@dataclass(frozen=True)
class JudgeBelief:
    alpha: float
    beta: float

    @property
    def reliability(self) -> float:
        """Expected probability that this judge votes for the truly better project."""
        return self.alpha / (self.alpha + self.beta)


@dataclass(frozen=True)
class Vote:
    judge_id: Id
    winner_id: Id
    loser_id: Id


@dataclass(frozen=True)
class PairwiseState:
    items: Mapping[Id, ItemBelief]
    judges: Mapping[Id, JudgeBelief]
    params: CrowdBT = field(default=DEFAULT)

    def judge(self, judge_id: Id) -> JudgeBelief:
        """A judge who has not voted yet has the prior belief."""
        return self.judges.get(judge_id) or JudgeBelief(self.params.alpha_prior, self.params.beta_prior)


@dataclass(frozen=True)
class RankedItem:
    item_id: Id
    rank: int
    mu: float
    sigma: float


# --- the model -------------------------------------------------------------------------------


def _logistic(x: float) -> float:
    # Written for both signs so that large differences neither overflow nor lose precision.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def update(
    params: CrowdBT, judge: JudgeBelief, winner: ItemBelief, loser: ItemBelief
) -> tuple[JudgeBelief, ItemBelief, ItemBelief]:
    """Beliefs after ``judge`` preferred ``winner`` over ``loser``."""
    careless_odds = math.log(judge.alpha / judge.beta)
    difference = winner.mu - loser.mu
    p = _logistic(difference)  # P(winner better) by Bradley-Terry alone
    q = _logistic(difference + careless_odds)  # the same, weighted by the judge's reliability
    step = q - p
    shrink = q * (1 - q) - p * (1 - p)
    new_winner = ItemBelief(
        mu=winner.mu + winner.sigma_sq * step,
        sigma_sq=winner.sigma_sq * max(1 + winner.sigma_sq * shrink, params.kappa),
    )
    new_loser = ItemBelief(
        mu=loser.mu - loser.sigma_sq * step,
        sigma_sq=loser.sigma_sq * max(1 + loser.sigma_sq * shrink, params.kappa),
    )
    new_judge, _ = _judge_after(judge, winner, loser)
    return new_judge, new_winner, new_loser


def _judge_after(judge: JudgeBelief, winner: ItemBelief, loser: ItemBelief) -> tuple[JudgeBelief, float]:
    """Moment-matched Beta belief about the judge, and the probability of this outcome."""
    a, b = judge.alpha, judge.beta
    p = _logistic(winner.mu - loser.mu)
    # P(winner truly better), with a second-order correction for the uncertainty of both beliefs.
    c1 = p + 0.5 * (winner.sigma_sq + loser.sigma_sq) * p * (1 - p) * (1 - 2 * p)
    c1 = min(max(c1, 0.0), 1.0)
    c2 = 1 - c1
    outcome = (c1 * a + c2 * b) / (a + b)  # P(judge votes this way)
    first = (c1 * (a + 1) * a + c2 * a * b) / (outcome * (a + b + 1) * (a + b))
    second = (c1 * (a + 2) * (a + 1) * a + c2 * (a + 1) * a * b) / (outcome * (a + b + 2) * (a + b + 1) * (a + b))
    variance = second - first**2
    if variance <= 0:  # numerically degenerate: keep the belief rather than divide by ~0
        return judge, outcome
    common = (first - second) / variance
    return JudgeBelief(alpha=common * first, beta=common * (1 - first)), outcome


def _kl_gaussian(after: ItemBelief, before: ItemBelief) -> float:
    ratio = after.sigma_sq / before.sigma_sq
    return (after.mu - before.mu) ** 2 / (2 * before.sigma_sq) + (ratio - 1 - math.log(ratio)) / 2


def _kl_beta(after: JudgeBelief, before: JudgeBelief) -> float:
    from scipy.special import betaln, digamma  # here: scipy costs every web worker ~40 MB otherwise

    a1, b1, a2, b2 = after.alpha, after.beta, before.alpha, before.beta
    return float(
        betaln(a2, b2)
        - betaln(a1, b1)
        + (a1 - a2) * digamma(a1)
        + (b1 - b2) * digamma(b1)
        + (a2 - a1 + b2 - b1) * digamma(a1 + b1)
    )


def expected_information_gain(params: CrowdBT, judge: JudgeBelief, a: ItemBelief, b: ItemBelief) -> float:
    """Expected KL divergence from the beliefs before to after this judge compares a and b."""
    judge_if_a, a_wins_prob = _judge_after(judge, a, b)
    _, a_after_win, b_after_loss = update(params, judge, a, b)
    judge_if_b, _ = _judge_after(judge, b, a)
    _, b_after_win, a_after_loss = update(params, judge, b, a)
    gain_if_a = _kl_gaussian(a_after_win, a) + _kl_gaussian(b_after_loss, b)
    gain_if_a += params.gamma * _kl_beta(judge_if_a, judge)
    gain_if_b = _kl_gaussian(b_after_win, b) + _kl_gaussian(a_after_loss, a)
    gain_if_b += params.gamma * _kl_beta(judge_if_b, judge)
    return a_wins_prob * gain_if_a + (1 - a_wins_prob) * gain_if_b


# --- state from the vote log -----------------------------------------------------------------


def initial_state(item_ids: Iterable[Id], params: CrowdBT = DEFAULT) -> PairwiseState:
    prior = ItemBelief(params.mu_prior, params.sigma_sq_prior)
    return PairwiseState(items=dict.fromkeys(item_ids, prior), judges={}, params=params)


def record(state: PairwiseState, vote: Vote) -> PairwiseState:
    """The state after one more vote; the input state is left as it was."""
    items, judges = dict(state.items), dict(state.judges)
    _apply(items, judges, state.params, vote)
    return PairwiseState(items=items, judges=judges, params=state.params)


def replay(item_ids: Iterable[Id], votes: Iterable[Vote], params: CrowdBT = DEFAULT) -> PairwiseState:
    """The state is the priors plus every vote, in log order."""
    state = initial_state(item_ids, params)
    # One pair of working dicts for the whole log: copying them per vote would make a replay
    # of thousands of votes quadratic.
    items: dict[Id, ItemBelief] = dict(state.items)
    judges: dict[Id, JudgeBelief] = {}
    for vote in votes:
        _apply(items, judges, params, vote)
    return PairwiseState(items=items, judges=judges, params=params)


def _apply(items: dict[Id, ItemBelief], judges: dict[Id, JudgeBelief], params: CrowdBT, vote: Vote) -> None:
    if vote.winner_id == vote.loser_id:
        raise ValueError("a vote compares two different projects")
    for item in (vote.winner_id, vote.loser_id):
        if item not in items:
            raise ValueError(f"vote names unknown project {item!r}")
    judge = judges.get(vote.judge_id) or JudgeBelief(params.alpha_prior, params.beta_prior)
    judges[vote.judge_id], items[vote.winner_id], items[vote.loser_id] = update(
        params, judge, items[vote.winner_id], items[vote.loser_id]
    )


def undo_last_vote(votes: Sequence[Vote], judge_id: Id) -> tuple[list[Vote], Vote | None]:
    """The log without ``judge_id``'s most recent vote, and that vote (None if they have none)."""
    for position in range(len(votes) - 1, -1, -1):
        if votes[position].judge_id == judge_id:
            return [*votes[:position], *votes[position + 1 :]], votes[position]
    return list(votes), None


# --- choosing what a judge sees next -----------------------------------------------------------


def _open_candidates(
    state: PairwiseState, candidates: Iterable[Id], conflicts: Collection[Id], exclude: Collection[Id]
) -> list[Id]:
    # Sorted by repr so that, with the same random generator state, the choice is reproducible.
    allowed = {c for c in candidates if c in state.items and c not in conflicts and c not in exclude}
    return sorted(allowed, key=repr)


def choose_first(
    state: PairwiseState,
    candidates: Iterable[Id],
    conflicts: Collection[Id],
    rng: random.Random,
    exclude: Collection[Id] = (),
) -> Id | None:
    """A starting project: the one the model knows least about (highest sigma), random among equals."""
    open_items = _open_candidates(state, candidates, conflicts, exclude)
    if not open_items:
        return None
    rng.shuffle(open_items)
    return max(open_items, key=lambda i: state.items[i].sigma_sq)


def choose_next(
    state: PairwiseState,
    judge_id: Id,
    current: Id,
    candidates: Iterable[Id],
    conflicts: Collection[Id],
    rng: random.Random,
    exclude: Collection[Id] = (),
) -> Id | None:
    """The project to compare with ``current`` next, or None when nothing is left.

    ``conflicts`` are the projects this judge has a conflict of interest with: never returned.
    ``exclude`` is typically what the judge has already seen (Gavel shows each project once).
    """
    if current in conflicts:
        raise ValueError(f"judge {judge_id!r} has a conflict of interest with project {current!r}")
    open_items = _open_candidates(state, candidates, conflicts, {*exclude, current})
    if not open_items:
        return None
    rng.shuffle(open_items)  # also breaks ties of the argmax at random
    if rng.random() < state.params.epsilon:
        return open_items[0]
    judge, anchor = state.judge(judge_id), state.items[current]
    return max(open_items, key=lambda i: expected_information_gain(state.params, judge, anchor, state.items[i]))


def ranking(state: PairwiseState) -> list[RankedItem]:
    """Best first by posterior mean, with sigma; equal means share a rank (1, 2, 2, 4)."""
    ordered = sorted(state.items.items(), key=lambda kv: (-round(kv[1].mu, TIE_DIGITS), repr(kv[0])))
    out: list[RankedItem] = []
    previous, rank = None, 0
    for position, (item_id, belief) in enumerate(ordered, start=1):
        key = round(belief.mu, TIE_DIGITS)
        if key != previous:
            rank, previous = position, key
        out.append(RankedItem(item_id=item_id, rank=rank, mu=belief.mu, sigma=belief.sigma))
    return out

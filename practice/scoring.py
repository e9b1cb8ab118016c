"""How well two requests fit, pure: no database, so the matcher, the tests and the benchmark
score the same way.

Hard rules (no pairing at all): the same person, a block either way, levels more than one
step apart, no language in common, windows that do not overlap for a whole pairing, or no
case left that the candidate of either interview has not practised. Among the rest, higher is
better: shared domains, the same level, a first meeting, and fresh cases for both.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .models import level_rank

INTERVIEW_MINUTES = 45
# Two interviews back to back, roles swapped.
PAIRING_DURATION = timedelta(minutes=2 * INTERVIEW_MINUTES)

# Weights: a partner met before is allowed, but only when nobody new fits.
W_REPEAT = -100.0
W_DOMAIN = 10.0
W_SAME_LEVEL = 5.0
W_FRESH_FOR_BOTH = 3.0
# Earlier starts first, a little: a partner now beats the same partner later in the window.
W_LATER_PER_HOUR = -0.1


@dataclass(frozen=True)
class Seeker:
    """What the matcher knows about one waiting request and its owner."""

    request_id: int
    user_id: int
    level: str
    domains: frozenset[str]
    languages: frozenset[str]
    window_start: datetime
    window_end: datetime
    practised: frozenset[int] = field(default=frozenset())
    blocked: frozenset[int] = field(default=frozenset())  # users this one blocked
    past_partners: frozenset[int] = field(default=frozenset())


@dataclass(frozen=True)
class Case:
    id: int
    domain: str


def overlap_start(a: Seeker, b: Seeker) -> datetime | None:
    """The earliest start at which a whole pairing fits both windows, or None."""
    start = max(a.window_start, b.window_start)
    end = min(a.window_end, b.window_end)
    return start if end - start >= PAIRING_DURATION else None


def case_choose(
    *,
    candidate: Seeker,
    interviewer: Seeker,
    cases: list[Case],
    exclude: frozenset[int] = frozenset(),
) -> Case | None:
    """A case the candidate has not practised, preferring the candidate's domains, then ones
    the interviewer has not seen either; ties go to the lower id so the choice is stable."""
    best = None
    best_key = None
    for case in cases:
        if case.id in candidate.practised or case.id in exclude:
            continue
        key = (
            not (not candidate.domains or case.domain in candidate.domains),
            case.id in interviewer.practised,
            case.id,
        )
        if best_key is None or key < best_key:
            best, best_key = case, key
    return best


def cases_choose(a: Seeker, b: Seeker, cases: list[Case]) -> tuple[Case, Case] | None:
    """The cases of the two interviews (a interviews b first, then b interviews a), distinct,
    so neither is asked a case they have just interviewed on."""
    first = case_choose(candidate=b, interviewer=a, cases=cases)
    if first is None:
        return None
    second = case_choose(candidate=a, interviewer=b, cases=cases, exclude=frozenset({first.id}))
    if second is None:
        return None
    return first, second


def score(a: Seeker, b: Seeker, cases: list[Case]) -> float | None:
    """None when a and b must not be paired; otherwise how good the pairing is."""
    if a.user_id == b.user_id:
        return None
    if b.user_id in a.blocked or a.user_id in b.blocked:
        return None
    gap = abs(level_rank(a.level) - level_rank(b.level))
    if gap > 1:
        return None
    if a.languages and b.languages and not a.languages & b.languages:
        return None
    start = overlap_start(a, b)
    if start is None:
        return None
    chosen = cases_choose(a, b, cases)
    if chosen is None:
        return None
    total = 0.0
    if b.user_id in a.past_partners or a.user_id in b.past_partners:
        total += W_REPEAT
    if a.domains and b.domains:
        total += W_DOMAIN * len(a.domains & b.domains)
    if gap == 0:
        total += W_SAME_LEVEL
    first, second = chosen
    total += W_FRESH_FOR_BOTH * ((first.id not in a.practised) + (second.id not in b.practised))
    hours_later = (start - min(a.window_start, b.window_start)).total_seconds() / 3600
    total += W_LATER_PER_HOUR * hours_later
    return total

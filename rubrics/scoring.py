"""Rubric scoring: the one place where levels, weights and hire bands meet.

A score is the weight-averaged level (1..4) over the criteria that were scored; unscored
criteria are left out rather than counted as zero, and `scored_weight` says how much of the
rubric the score rests on. Bands split the 1..4 range at fixed edges (lower edge inclusive).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

MIN_LEVEL, MAX_LEVEL = 1, 4

# (lower edge inclusive, band), highest first.
BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("3.25"), "strong_hire"),
    (Decimal("2.50"), "lean_hire"),
    (Decimal("1.75"), "lean_no_hire"),
    (Decimal("1.00"), "strong_no_hire"),
)
BAND_LABELS = {
    "strong_hire": "Strong hire",
    "lean_hire": "Lean hire",
    "lean_no_hire": "Lean no hire",
    "strong_no_hire": "Strong no hire",
}


@dataclass(frozen=True)
class Result:
    score: Decimal | None  # weighted mean level, 2 decimals; None when nothing was scored
    band: str | None
    scored_weight: Decimal  # fraction (0..1) of the rubric's total weight that was scored


def band_for(score: Decimal) -> str:
    if not MIN_LEVEL <= score <= MAX_LEVEL:
        raise ValueError(f"score {score} outside {MIN_LEVEL}..{MAX_LEVEL}")
    for edge, band in BANDS:
        if score >= edge:
            return band
    raise AssertionError("unreachable: the lowest edge is the minimum level")


def weighted_score(weights: Mapping[str, Decimal], levels: Mapping[str, int | None]) -> Result:
    """`weights`: criterion key -> weight (> 0); `levels`: criterion key -> level or None.

    Levels for keys outside `weights` are ignored (they belong to no criterion of this rubric).
    """
    total_weight = sum(weights.values(), Decimal(0))
    scored = [
        (weights[key], level)
        for key, level in levels.items()
        if key in weights and level is not None
    ]
    for _, level in scored:
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"level {level} outside {MIN_LEVEL}..{MAX_LEVEL}")
    scored_weight = sum((weight for weight, _ in scored), Decimal(0))
    if not scored_weight:
        return Result(score=None, band=None, scored_weight=Decimal(0))
    score = sum((weight * level for weight, level in scored), Decimal(0)) / scored_weight
    score = score.quantize(Decimal("0.01"))
    return Result(
        score=score,
        band=band_for(score),
        scored_weight=(scored_weight / total_weight).quantize(Decimal("0.001")),
    )


def score_items(items: Iterable[tuple[str, Decimal, int | None]]) -> Result:
    """Convenience for (key, weight, level) rows, as selectors produce them."""
    items = list(items)
    return weighted_score({k: w for k, w, _ in items}, {k: lvl for k, _, lvl in items})


# --- must-pass criteria and target levels (rubrics with a `scoring` scheme) -------------------

TARGET_LEVELS = ("mid", "senior", "staff")  # lowest first
DEFAULT_TARGET_LEVEL = "senior"
TARGET_LEVEL_LABELS = {"mid": "Mid-level", "senior": "Senior", "staff": "Staff"}
TARGET_LEVEL_CHOICES = [(level, TARGET_LEVEL_LABELS[level]) for level in TARGET_LEVELS]
GATE_FAIL_LEVEL = 1


@dataclass(frozen=True)
class Scheme:
    """How a rubric turns levels into a verdict (its `scoring` content).

    `bars`: the weighted score a candidate needs to meet each target level. Meeting a level
    also needs every gate (must-pass criterion) scored above 1: a gate at 1, or never scored,
    meets no level, however well the rest went. The band is judged against the session's
    target: meeting it is a lean hire, `strong_margin` above its bar a strong hire, more than
    `no_hire_margin` below it a strong no hire; a failed gate caps the band at lean no hire.
    """

    gates: tuple[str, ...]
    bars: Mapping[str, Decimal]
    strong_margin: Decimal
    no_hire_margin: Decimal

    @classmethod
    def from_content(cls, scoring: Mapping) -> "Scheme | None":
        """The scheme of a rubric's `scoring` field; None for an averaging-only rubric."""
        if not scoring:
            return None
        return cls(
            gates=tuple(scoring["gates"]),
            bars={level: Decimal(str(scoring["bars"][level])) for level in TARGET_LEVELS},
            strong_margin=Decimal(str(scoring["strong_margin"])),
            no_hire_margin=Decimal(str(scoring["no_hire_margin"])),
        )


@dataclass(frozen=True)
class Judgement:
    score: Decimal | None
    band: str | None
    scored_weight: Decimal
    target_level: str
    level_met: str | None  # the highest target level met; None when none is
    verdict: str | None  # "meets senior", "below senior, meets mid"; None when nothing scored
    gates_failed: tuple[str, ...]  # gate keys scored 1
    gates_unscored: tuple[str, ...]  # gate keys left unscored
    unscored: tuple[str, ...]  # every criterion key left unscored, in `weights` order


def verdict_for(target: str, met: str | None) -> str:
    """How the level met reads against the target: "meets senior", "below senior, meets mid",
    "above senior, meets staff", "below mid", "below senior and mid"."""
    if met == target:
        return f"meets {target}"
    if met is None:
        return f"below {target}" if target == TARGET_LEVELS[0] else f"below {target} and mid"
    side = "above" if TARGET_LEVELS.index(met) > TARGET_LEVELS.index(target) else "below"
    return f"{side} {target}, meets {met}"


def judge(
    scheme: Scheme,
    weights: Mapping[str, Decimal],
    levels: Mapping[str, int | None],
    *,
    target_level: str,
) -> Judgement:
    """The weighted score, then the verdict and band against `target_level` under `scheme`."""
    if target_level not in TARGET_LEVELS:
        raise ValueError(f"target level {target_level!r} not one of {TARGET_LEVELS}")
    result = weighted_score(weights, levels)
    unscored = tuple(key for key in weights if levels.get(key) is None)
    gates = [key for key in scheme.gates if key in weights]
    failed = tuple(key for key in gates if levels.get(key) == GATE_FAIL_LEVEL)
    missing = tuple(key for key in gates if levels.get(key) is None)
    if result.score is None:
        return Judgement(
            None, None, result.scored_weight, target_level, None, None, failed, missing, unscored
        )
    score = result.score
    met = None
    if not failed and not missing:
        for level in TARGET_LEVELS:
            if score >= scheme.bars[level]:
                met = level
    bar = scheme.bars[target_level]
    if met is not None and score >= bar + scheme.strong_margin:
        band = "strong_hire"
    elif met is not None and score >= bar:
        band = "lean_hire"
    elif score >= bar - scheme.no_hire_margin:
        # Also where a failed gate left a score above the bar: capped at lean no hire.
        band = "lean_no_hire"
    else:
        band = "strong_no_hire"
    return Judgement(
        score=score,
        band=band,
        scored_weight=result.scored_weight,
        target_level=target_level,
        level_met=met,
        verdict=verdict_for(target_level, met),
        gates_failed=failed,
        gates_unscored=missing,
        unscored=unscored,
    )


def judge_items(
    scoring: Mapping,
    items: Iterable[tuple[str, Decimal, int | None]],
    *,
    target_level: str,
) -> Result | Judgement:
    """(key, weight, level) rows judged under a rubric's `scoring` content: a Judgement for a
    rubric with a scheme, the plain weighted Result for one that only averages."""
    items = list(items)
    weights = {k: w for k, w, _ in items}
    levels = {k: lvl for k, _, lvl in items}
    scheme = Scheme.from_content(scoring)
    if scheme is None:
        return weighted_score(weights, levels)
    return judge(scheme, weights, levels, target_level=target_level)

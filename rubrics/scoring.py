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

from decimal import Decimal as D

import pytest

from rubrics.scoring import band_for, weighted_score

WEIGHTS = {"a": D("1"), "b": D("1.5"), "c": D("1")}


def test_weights_pull_the_score_towards_heavier_criteria():
    result = weighted_score(WEIGHTS, {"a": 1, "b": 4, "c": 1})
    # (1*1 + 1.5*4 + 1*1) / 3.5 = 2.2857...
    assert result.score == D("2.29")
    assert result.scored_weight == D("1.000")


def test_equal_levels_give_that_level_whatever_the_weights():
    assert weighted_score(WEIGHTS, {"a": 3, "b": 3, "c": 3}).score == D("3.00")


def test_missing_scores_are_left_out_not_counted_as_zero():
    result = weighted_score(WEIGHTS, {"a": 4, "b": None})
    assert result.score == D("4.00")
    assert result.band == "strong_hire"
    assert result.scored_weight == D("0.286")  # 1 of 3.5


def test_nothing_scored_gives_no_score_and_no_band():
    result = weighted_score(WEIGHTS, {})
    assert (result.score, result.band, result.scored_weight) == (None, None, D(0))


def test_scores_for_unknown_criteria_are_ignored():
    assert weighted_score(WEIGHTS, {"a": 2, "zzz": 4}).score == D("2.00")


@pytest.mark.parametrize(
    "score, band",
    [
        ("1.00", "strong_no_hire"),
        ("1.74", "strong_no_hire"),
        ("1.75", "lean_no_hire"),
        ("2.49", "lean_no_hire"),
        ("2.50", "lean_hire"),
        ("3.24", "lean_hire"),
        ("3.25", "strong_hire"),
        ("4.00", "strong_hire"),
    ],
)
def test_band_edges_are_inclusive_at_the_lower_edge(score, band):
    assert band_for(D(score)) == band


@pytest.mark.parametrize("level", [0, 5, -1])
def test_levels_outside_one_to_four_are_rejected(level):
    with pytest.raises(ValueError):
        weighted_score(WEIGHTS, {"a": level})


def test_band_rejects_out_of_range_scores():
    with pytest.raises(ValueError):
        band_for(D("4.01"))

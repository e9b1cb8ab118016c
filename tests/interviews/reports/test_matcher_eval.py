"""Precision and recall of concept credits on the labelled phrasings in bench/matcher/, with the
real sentence-embedding model. The thresholds are the figures reached (rounded down); a change
that loses precision or recall fails here. `python -m bench --only matcher` prints them all."""

import pytest

from bench.matcher_eval import evaluate, load_guides, load_set
from casestudies.framework import STEP_KEYS
from interviews.reports.analysis.coverage import concept_coverage
from interviews.reports.analysis.matching import semantic

# (guides, set) → (precision, recall) at least
# 796 phrasings: 491 tuning, 150 held out, 155 in a second held-out set written before the last
# round of tuning (weighted to the ten newer cases). Reached: whole 0.917 / 0.882, held-out
# 0.889 / 0.853, second held-out 0.822 / 0.682 (0.811 / 0.698 before that round: its recall on
# the newer cases' wording is the weakest figure).
THRESHOLDS = {
    ("content", "whole"): (0.91, 0.88),
    ("content", "held_out"): (0.88, 0.85),
    ("content", "held_out_2"): (0.82, 0.68),
}


@pytest.fixture(scope="module")
def phrasings():
    sets = {name: load_set(name) for name in ("tuning", "held_out", "held_out_2")}
    return {**sets, "whole": sets["tuning"] + sets["held_out"] + sets["held_out_2"]}


def test_the_set_is_large_and_covers_every_case_step_and_kind(phrasings):
    whole = phrasings["whole"]
    assert len(whole) >= 300
    cases = {e["case"] for e in whole}
    assert cases == set(load_guides()), "every case in the bank needs phrasings"
    for case in cases:
        assert {e["step"] for e in whole if e["case"] == case} == set(STEP_KEYS), case
    assert {e["kind"] for e in whole} == {"strong", "weak", "terse", "misleading", "negated"}


@pytest.mark.parametrize(("guides", "subset"), sorted(THRESHOLDS))
def test_precision_and_recall_stay_at_what_was_reached(phrasings, guides, subset):
    assert semantic.embedder() is not None, semantic.status()
    result = evaluate(phrasings[subset], load_guides(), concept_coverage)
    precision, recall = THRESHOLDS[(guides, subset)]
    mistakes = "\n".join(str(m) for m in result["mistakes"])
    assert result["precision"] >= precision, mistakes
    assert result["recall"] >= recall, mistakes

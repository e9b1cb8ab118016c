"""Precision and recall of concept credits on the labelled phrasings in bench/matcher/, with the
real sentence-embedding model. The thresholds are the figures reached (rounded down); a change
that loses precision or recall fails here. `python -m bench --only matcher` prints them all."""

import pytest

from bench.matcher_eval import HELD_OUT, evaluate, load_guides, load_set
from casestudies.framework import STEP_KEYS
from interviews.reports.analysis.coverage import concept_coverage
from interviews.reports.analysis.matching import semantic

# (guides, set) → (precision, recall) at least
# 3,682 phrasings: 2,857 for tuning (491 first, 1,766 written from the case briefs without the
# aliases for a second round, 600 written the same way for a third), and four held-out sets
# never used for tuning: 150, 155 (written before the first round, weighted to the ten newer
# cases), 240 (written from the briefs by writers who never saw the aliases or the matcher,
# before the second round) and 280 (written the same way before the third, with board labels,
# chat, transcribed speech and longer notes; the last two also labelled by a second, blind
# annotator). Reached: held-out 0.931 / 0.900, second 0.923 / 0.837, third 0.828 / 0.883 (0.623
# / 0.511 before the second round), fourth 0.771 / 0.881 (0.767 / 0.870 as written). The last two
# are the honest figures for wording the content has not met. The tuning set's own figure says
# little since its phrasings became the concepts' examples (`make bench` also scores it in two
# halves without their own examples); it still guards the aliases.
THRESHOLDS = {
    ("content", "whole"): (0.875, 0.94),
    ("content", "tuning"): (0.90, 0.97),
    ("content", "held_out"): (0.93, 0.89),
    ("content", "held_out_2"): (0.92, 0.83),
    ("content", "held_out_3"): (0.82, 0.88),
    ("content", "held_out_4"): (0.77, 0.88),
}


@pytest.fixture(scope="module")
def phrasings():
    sets = {name: load_set(name) for name in ("tuning", *HELD_OUT)}
    return {**sets, "whole": [entry for entries in sets.values() for entry in entries]}


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

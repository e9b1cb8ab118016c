"""Per-step levels from rubric scores, and the choice of case studies to practise next."""

from decimal import Decimal

import pytest

from casestudies.framework import STEP_KEYS
from interviews.reports.analysis.progress import (
    recommend_next_cases,
    step_levels_from_scores,
    weakest_steps,
)

CRITERIA = [
    {"key": "eval-offline", "step": "evaluation", "weight": Decimal("1.5")},
    {"key": "eval-online", "step": "evaluation", "weight": "0.5"},
    {"key": "model", "step": "model", "weight": 1},
    {"key": "communication", "step": None, "weight": 1},
    {"key": "trade-offs", "step": "", "weight": 1},
]


def guide_step(words: int) -> dict:
    """A guide step whose material is `words` words long (all in the strong answer)."""
    return {"strong_answer": " ".join(["word"] * words), "hints": [], "key_concepts": []}


def case(slug, difficulty="medium", **step_words):
    """A case whose steps have 100 words of material except those given."""
    words = dict.fromkeys(STEP_KEYS, 100) | step_words
    return {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "difficulty": difficulty,
        "guide": {"steps": {key: guide_step(n) for key, n in words.items()}},
    }


# --- step levels --------------------------------------------------------------------------------


def test_step_level_is_the_weighted_mean_of_its_criteria():
    levels = step_levels_from_scores(CRITERIA, {"eval-offline": 4, "eval-online": 2, "model": 3})
    assert levels["evaluation"] == 3.5  # (1.5 * 4 + 0.5 * 2) / 2
    assert levels["model"] == 3.0


def test_step_levels_cover_every_step_with_none_where_nothing_was_scored():
    levels = step_levels_from_scores(CRITERIA, {"eval-offline": None, "communication": 4})
    assert list(levels) == list(STEP_KEYS)
    assert levels["evaluation"] is None and levels["clarify"] is None


def test_unscored_criteria_do_not_pull_the_step_down():
    levels = step_levels_from_scores(CRITERIA, {"eval-offline": 2, "eval-online": None})
    assert levels["evaluation"] == 2.0


def test_cross_cutting_criteria_do_not_feed_any_step():
    levels = step_levels_from_scores(CRITERIA, {"communication": 1, "trade-offs": 1})
    assert set(levels.values()) == {None}


def test_a_level_outside_the_rubric_range_is_rejected():
    with pytest.raises(ValueError):
        step_levels_from_scores(CRITERIA, {"model": 5})


# --- weakest steps ------------------------------------------------------------------------------


def test_weakest_steps_averages_history_ignoring_missing_scores():
    history = {"model": [3, 4], "evaluation": [1, 2, None], "serving": [], "data": [None]}
    assert weakest_steps(history) == [
        {"step": "evaluation", "average": 1.5, "sessions": 2},
        {"step": "model", "average": 3.5, "sessions": 2},
    ]


# --- recommendations ----------------------------------------------------------------------------


def test_recommends_the_case_that_stresses_the_weakest_step():
    history = {"evaluation": [1.5, 2.0], "data": [3.5], "model": [3.0]}
    cases = [case("deep-data", data=200), case("deep-eval", evaluation=200), case("flat")]

    result = recommend_next_cases(history, cases, set())

    assert [r["slug"] for r in result] == ["deep-eval", "flat", "deep-data"]
    top = result[0]
    assert top["focus_steps"] == ["evaluation"]
    assert top["emphasis"]["evaluation"] == pytest.approx(200 / (800 / 7), abs=0.01)
    assert "Evaluation (average 1.75 over 2 interviews)" in top["why"]
    assert "evaluation 1.8×" in top["why"]


def test_practised_cases_are_never_recommended():
    history = {"evaluation": [1.0]}
    cases = [case("deep-eval", evaluation=300), case("other")]
    result = recommend_next_cases(history, cases, {"deep-eval"})
    assert [r["slug"] for r in result] == ["other"]
    assert recommend_next_cases(history, cases, {"deep-eval", "other"}) == []


def test_at_most_two_weak_steps_are_the_focus_and_the_weaker_counts_more():
    history = {"monitoring": [1.0], "serving": [2.0], "clarify": [2.5], "model": [3.5]}
    cases = [case("serving-heavy", serving=250), case("monitoring-heavy", monitoring=250)]

    result = recommend_next_cases(history, cases, set())

    assert result[0]["focus_steps"] == ["monitoring", "serving"]
    # Gap to 4 is 3 for monitoring and 2 for serving, so stressing monitoring wins.
    assert [r["slug"] for r in result] == ["monitoring-heavy", "serving-heavy"]
    assert result[0]["why"].startswith("Your weakest steps are Monitoring (average 1 over 1")


def test_explicit_steps_emphasis_overrides_the_guide():
    history = {"data": [1.0]}
    cases = [
        case("guide-says-data", data=300),
        {"slug": "tagged", "title": "Tagged", "steps_emphasis": {"data": 5}},
    ]
    result = recommend_next_cases(history, cases, set())
    assert [r["slug"] for r in result] == ["tagged", "guide-says-data"]
    assert result[0]["emphasis"] == {"data": 5.0}


def test_limit_caps_the_number_of_recommendations():
    cases = [case(f"case-{i}") for i in range(5)]
    assert len(recommend_next_cases({"data": [2]}, cases, set(), limit=2)) == 2


def test_ties_go_to_the_easier_case_then_the_slug():
    cases = [case("b-hard", "hard"), case("c-easy", "easy"), case("a-easy", "easy")]
    result = recommend_next_cases({"model": [2]}, cases, set())
    assert [r["slug"] for r in result] == ["a-easy", "c-easy", "b-hard"]


def test_without_history_the_easiest_cases_come_first_and_say_why():
    cases = [case("hard-one", "hard"), case("easy-one", "easy"), case("medium-one")]
    result = recommend_next_cases({}, cases, set())
    assert [r["slug"] for r in result] == ["easy-one", "medium-one", "hard-one"]
    assert result[0]["focus_steps"] == [] and result[0]["score"] == 0
    assert result[0]["why"] == "No scored interviews yet: an easy case study to start with."


def test_when_every_step_is_solid_the_lowest_one_is_still_practised():
    history = {"clarify": [4.0], "serving": [3.2], "monitoring": [3.6]}
    result = recommend_next_cases(history, [case("x", serving=150), case("y")], set())
    assert result[0]["slug"] == "x"
    assert result[0]["focus_steps"] == ["serving"]
    assert result[0]["why"].startswith(
        "Every step you were scored on is solid; the lowest is Deployment & serving (average 3.2"
    )


def test_a_case_without_guide_or_emphasis_counts_as_average():
    result = recommend_next_cases({"data": [2.0]}, [{"slug": "bare", "title": "Bare"}], set())
    assert result[0]["emphasis"] == {"data": 1.0} and result[0]["score"] == 2.0


def test_real_guides_give_different_emphasis_per_step():
    from pathlib import Path

    import yaml

    import casestudies
    from casestudies.guide import parse_case_study

    content = Path(casestudies.__file__).parent / "content"
    cases = [
        parse_case_study(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted(content.glob("*.yaml"))
    ]
    result = recommend_next_cases({"serving": [1.0], "clarify": [2.0]}, cases, set(), limit=20)
    assert len(result) == len(cases)
    assert result[0]["emphasis"]["serving"] > 1.0
    assert len({r["score"] for r in result}) > 1

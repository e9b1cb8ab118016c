"""Planned vs. actual time per step."""

import pytest

from casestudies.framework import STEP_KEYS, default_plan
from interviews.reports.analysis.timing import step_timing


def by_key(result):
    return {step["key"]: step for step in result["steps"]}


def test_each_step_reports_planned_actual_overrun_and_share():
    plan = {"clarify": 5, "model": 10}
    result = step_timing(plan, {"clarify": 180, "model": 900})

    assert result["steps"] == [
        {
            "key": "clarify",
            "title": "Clarify requirements",
            "planned_minutes": 5.0,
            "actual_minutes": 3.0,
            "overrun_minutes": 0.0,
            "share": 0.167,
        },
        {
            "key": "model",
            "title": "Model development",
            "planned_minutes": 10.0,
            "actual_minutes": 15.0,
            "overrun_minutes": 5.0,
            "share": 0.833,
        },
    ]
    assert result["total"] == {
        "planned_minutes": 15.0,
        "actual_minutes": 18.0,
        "overrun_minutes": 5.0,
    }


def test_steps_come_in_framework_order_whatever_the_plan_order():
    plan = dict(reversed(list(default_plan().items())))
    assert [s["key"] for s in step_timing(plan, {})["steps"]] == list(STEP_KEYS)


def test_a_step_never_reached_took_no_time():
    step = by_key(step_timing(default_plan(), {"clarify": 300}))["monitoring"]
    assert (step["actual_minutes"], step["overrun_minutes"], step["share"]) == (0.0, 0.0, 0.0)


def test_shares_sum_to_one_and_are_zero_when_nothing_was_timed():
    seconds = {"clarify": 200, "frame": 333, "data": 500, "model": 1200, "evaluation": 100}
    shares = [s["share"] for s in step_timing(default_plan(), seconds)["steps"]]
    assert sum(shares) == pytest.approx(1.0, abs=0.005)
    assert all(s["share"] == 0.0 for s in step_timing(default_plan(), {})["steps"])


def test_total_overrun_is_not_cancelled_by_time_saved_elsewhere():
    result = step_timing({"clarify": 5, "model": 10}, {"clarify": 0, "model": 720})
    assert result["total"]["overrun_minutes"] == 2.0
    assert result["total"]["actual_minutes"] < result["total"]["planned_minutes"]


def test_seconds_for_steps_outside_the_plan_are_ignored():
    result = step_timing({"clarify": 5}, {"clarify": 60, "model": 6000})
    assert result["total"]["actual_minutes"] == 1.0
    assert by_key(result)["clarify"]["share"] == 1.0


def test_minutes_are_rounded_to_a_tenth():
    step = by_key(step_timing({"data": 8}, {"data": 487}))["data"]
    assert step["actual_minutes"] == 8.1
    assert step["overrun_minutes"] == 0.1


@pytest.mark.parametrize("bad", [-1, "60", None, True, float("nan")])
def test_invalid_durations_are_rejected_with_the_step_named(bad):
    with pytest.raises(ValueError, match="model"):
        step_timing({"model": 10}, {"model": bad})

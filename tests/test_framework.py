import pytest

from casestudies.framework import INTERVIEW_MINUTES, STEP_KEYS, STEPS, clean_plan, default_plan


def test_seven_steps_in_interview_order_sum_to_45_minutes():
    assert STEP_KEYS == ("clarify", "frame", "data", "model", "evaluation", "serving", "monitoring")
    assert INTERVIEW_MINUTES == sum(step.minutes for step in STEPS) == 45
    assert all(step.title and step.strong_answer for step in STEPS)


def test_clean_plan_fills_missing_steps_with_defaults():
    plan = clean_plan({"model": 15})
    assert plan == {**default_plan(), "model": 15}
    assert list(plan) == list(STEP_KEYS)


@pytest.mark.parametrize(
    "plan, message",
    [
        ({"modelling": 5}, "unknown step"),
        ({"model": 0}, "between"),
        ({"model": 61}, "between"),
        ({"model": "10"}, "whole number"),
        ({"model": True}, "whole number"),
        ([1, 2], "must be an object"),
    ],
)
def test_clean_plan_rejects_bad_plans(plan, message):
    with pytest.raises(ValueError, match=message):
        clean_plan(plan)


def test_framework_api_is_public(client):
    response = client.get("/api/framework/")
    assert response.status_code == 200
    body = response.json()
    assert body["total_minutes"] == 45
    assert [s["key"] for s in body["steps"]] == list(STEP_KEYS)

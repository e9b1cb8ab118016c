"""The 7-step ML system design framework: the one definition that case studies, rubrics, timers
and reports all use. Change a step here and every part of Mockroom follows."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    minutes: int  # default budget within a 45-minute interview
    strong_answer: str  # what a strong answer at this step covers


STEPS: tuple[Step, ...] = (
    Step(
        "clarify",
        "Clarify requirements",
        5,
        "Pins down the business goal, users, scale, latency budget, data that exists and hard "
        "constraints before designing anything; states assumptions out loud.",
    ),
    Step(
        "frame",
        "Frame as an ML task",
        5,
        "Turns the goal into an ML objective: input, output, label, task type and the system "
        "shape (for example retrieval then ranking), and explains why ML beats a heuristic here.",
    ),
    Step(
        "data",
        "Data preparation",
        8,
        "Names data sources and how labels are obtained, handles bias, leakage, sparsity and "
        "privacy, and describes the features and how they are computed offline and online.",
    ),
    Step(
        "model",
        "Model development",
        10,
        "Starts from a simple baseline, proposes a model that fits the data and latency budget, "
        "the loss and training set-up, and weighs alternatives with their trade-offs.",
    ),
    Step(
        "evaluation",
        "Evaluation",
        6,
        "Chooses offline metrics that match the objective and online metrics tied to the "
        "business goal, with an A/B test plan and guardrail metrics.",
    ),
    Step(
        "serving",
        "Deployment & serving",
        6,
        "Describes the serving path within the latency budget, caching and precomputation, "
        "rollout, and what happens when a feature is missing or the model service is overloaded.",
    ),
    Step(
        "monitoring",
        "Monitoring",
        5,
        "Watches system and model health: data and prediction drift, feedback loops, alerting, "
        "retraining cadence and how a bad model is rolled back.",
    ),
)

STEP_KEYS: tuple[str, ...] = tuple(step.key for step in STEPS)
STEPS_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}
INTERVIEW_MINUTES = sum(step.minutes for step in STEPS)

# Per-step budgets a user may set when planning a session.
MIN_STEP_MINUTES = 1
MAX_STEP_MINUTES = 60


def default_plan() -> dict[str, int]:
    return {step.key: step.minutes for step in STEPS}


def clean_plan(plan: dict | None) -> dict[str, int]:
    """Return a complete plan (minutes for every step, in framework order).

    Missing steps take the framework default. Raises ValueError naming the offending key when a
    key is unknown or minutes are not a whole number within bounds.
    """
    result = default_plan()
    if plan is None:
        return result
    if not isinstance(plan, dict):
        raise ValueError("plan must be an object of step key -> minutes")
    for key, minutes in plan.items():
        if key not in STEPS_BY_KEY:
            raise ValueError(f"unknown step '{key}'; steps are {', '.join(STEP_KEYS)}")
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise ValueError(f"minutes for '{key}' must be a whole number")
        if not MIN_STEP_MINUTES <= minutes <= MAX_STEP_MINUTES:
            raise ValueError(
                f"minutes for '{key}' must be between {MIN_STEP_MINUTES} and {MAX_STEP_MINUTES}"
            )
        result[key] = minutes
    return result

"""The interviewer's overrides applied to a report's content: each credit and each pitfall can be
confirmed or rejected before release.

A rejected credit leaves its step's `found` list (and the coverage count) for the step's
`rejected` list; a rejected pitfall leaves `pitfalls` for `rejected_pitfalls`. Every item keeps
the `position` it was built at, so applying a different set of decisions to content that already
had some restores the built order: `apply_overrides` can run on fresh or on stored content, as
often as needed, with the same result for the same decisions. A decision whose item a rebuild
no longer produces simply applies to nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

CREDIT, PITFALL = "credit", "pitfall"
CONFIRMED, REJECTED = "confirmed", "rejected"
KINDS = (CREDIT, PITFALL)
DECISIONS = (CONFIRMED, REJECTED)

Decisions = Mapping[tuple[str, str], str]  # (kind, key) -> decision


def credit_key(step: str, name: str) -> str:
    """The key that names a credit: its step and the concept's name (unique within a step)."""
    return f"{step}:{name}"


def _restored(kept: list[dict], rejected: list[dict]) -> list[dict]:
    items = [*kept, *rejected]
    if any("position" not in item for item in items):  # as built: number them
        for position, item in enumerate(items):
            item["position"] = position
    return sorted(items, key=lambda item: item["position"])


def _split(items: list[dict], decision_of) -> tuple[list[dict], list[dict]]:
    kept, rejected = [], []
    for item in items:
        decision = decision_of(item)
        if decision in DECISIONS:
            item["override"] = decision
        else:
            item.pop("override", None)
        (rejected if decision == REJECTED else kept).append(item)
    return kept, rejected


def apply_overrides(content: dict, decisions: Decisions) -> dict:
    """`content` (as report_content builds or stored it) with `decisions` applied; a copy."""
    content = copy.deepcopy(content)
    coverage = content["coverage"]
    found = rejected_count = 0
    for step, step_coverage in coverage["steps"].items():
        items = _restored(step_coverage["found"], step_coverage.get("rejected", []))
        kept, rejected = _split(
            items, lambda item, step=step: decisions.get((CREDIT, credit_key(step, item["name"])))
        )
        step_coverage["found"], step_coverage["rejected"] = kept, rejected
        found += len(kept)
        rejected_count += len(rejected)
    coverage["found"], coverage["rejected"] = found, rejected_count
    pitfalls = _restored(content["pitfalls"], content.get("rejected_pitfalls", []))
    content["pitfalls"], content["rejected_pitfalls"] = _split(
        pitfalls, lambda item: decisions.get((PITFALL, item["code"]))
    )
    return content


def override_targets(content: dict) -> set[tuple[str, str]]:
    """Every (kind, key) the content holds an item for, rejected ones included."""
    targets = {
        (CREDIT, credit_key(step, item["name"]))
        for step, step_coverage in content["coverage"]["steps"].items()
        for item in [*step_coverage["found"], *step_coverage.get("rejected", [])]
    }
    targets |= {
        (PITFALL, item["code"])
        for item in [*content["pitfalls"], *content.get("rejected_pitfalls", [])]
    }
    return targets

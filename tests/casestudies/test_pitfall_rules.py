"""`pitfall_rules` in a guide: a case turns a generic report rule off or changes its terms."""

import copy
from pathlib import Path

import pytest
import yaml

import casestudies
from casestudies.guide import ContentError, check_guide

STREET_VIEW = Path(casestudies.__file__).parent / "content" / "street-view-blurring.yaml"
FIXTURE = (
    Path(__file__).parents[1]
    / "interviews"
    / "reports"
    / "fixtures"
    / "street_view_pitfall_rules.yaml"
)


@pytest.fixture
def guide():
    return yaml.safe_load(STREET_VIEW.read_text(encoding="utf-8"))


def test_a_guide_without_pitfall_rules_keeps_its_shape(guide):
    guide.pop("pitfall_rules", None)
    assert "pitfall_rules" not in check_guide(guide)


def test_the_street_view_rules_validate_and_are_kept(guide):
    guide["pitfall_rules"] = yaml.safe_load(FIXTURE.read_text())["pitfall_rules"]
    rules = check_guide(guide)["pitfall_rules"]
    assert rules["no-online-test"]["enabled"] is False
    assert "audit" in rules["no-online-test"]["reason"]
    assert "old detector" in rules["no-baseline"]["extra_terms"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"no-such-rule": {"enabled": False, "reason": "x"}}, "unknown rule"),
        ({"no-online-test": {"enabled": False}}, "reason"),
        ({"no-online-test": {"enabled": "no", "reason": "x"}}, "true or false"),
        ({"no-online-test": {False: True}}, "unknown key"),  # YAML's bare `off:`
        ({"model-overweight": {"terms": ["x"]}}, "only text rules"),
        ({"no-baseline": {"extra_terms": []}}, "at least one"),
        ({"no-baseline": {"extra_terms": ["  "]}}, "non-empty"),
        ({"no-baseline": {"enabled": False, "reason": "x", "terms": ["y"]}}, "no terms"),
        ({"no-baseline": {}}, "expected an object"),
        (["no-baseline"], "keyed by rule code"),
    ],
)
def test_malformed_pitfall_rules_are_refused_with_where(guide, rules, message):
    broken = copy.deepcopy(guide)
    broken["pitfall_rules"] = rules
    with pytest.raises(ContentError, match=message):
        check_guide(broken)

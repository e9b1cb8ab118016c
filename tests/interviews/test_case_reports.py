"""Every case in the bank can be run end to end in a room and graded: a scripted candidate who
writes each step's key concepts (in the words of the guide's aliases) is credited for all of them
by the report, and one who writes only generic words is credited for none."""

import re
from collections import Counter

import pytest

from casestudies.framework import STEP_KEYS
from casestudies.services import case_study_upsert, content_files, read_case_study_file
from interviews.models import Report
from interviews.reports.analysis.coverage import concept_coverage
from interviews.reports.build import report_build
from testkit.interviews import interview_between
from tests.e2e.script import CHAT as E2E_CHAT

from .scripted import play

CASES = {path.stem: read_case_study_file(path) for path in content_files()}
GENERIC = (
    "First I would ask about the goal and the users, then frame it as a learning problem, "
    "collect data, train a model, test it offline and online, deploy it and keep an eye on it."
)


def fold(alias: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", alias.casefold()))


def _alias_script(case: dict) -> dict:
    """Per step: one board line per key concept, using one of its own aliases (not its name, not
    one another concept shares, which the meaning around it decides and "We need ... here" has
    none; a different alias from one concept to the next) inside a sentence; chat carries the
    rest."""
    steps = case["guide"]["steps"]
    every = Counter(
        fold(a) for s in steps.values() for c in s["key_concepts"] for a in set(c["aliases"])
    )
    script = {}
    for key in STEP_KEYS:
        concepts = steps[key]["key_concepts"]
        lines = []
        for i, c in enumerate(concepts):
            aliases = c["aliases"][(i + 1) % len(c["aliases"]) :] + c["aliases"]
            own = next((a for a in aliases if every[fold(a)] == 1), aliases[0])
            lines.append(f"We need {own} here.")
        script[key] = {
            "seconds": 300,
            "board": [(f"{key}-{i}", line) for i, line in enumerate(lines[::2])],
            "chat": lines[1::2],
        }
    return script


def _session(slug, user_factory):
    case, _ = case_study_upsert(fields=CASES[slug])
    interviewer = user_factory(username="iris")
    candidate = user_factory(username="cole")
    return interview_between(interviewer, candidate, case), interviewer, candidate


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(CASES))
def test_a_scripted_interview_on_the_case_is_graded_with_full_coverage(slug, rubric, user_factory):
    session, interviewer, candidate = _session(slug, user_factory)
    session = play(session, interviewer, candidate, _alias_script(CASES[slug]))
    assert report_build(session_id=session.pk) == "ready"
    content = Report.objects.get(session=session).content
    guide = CASES[slug]["guide"]
    for key in STEP_KEYS:
        step = content["coverage"]["steps"][key]
        expected = {c["name"] for c in guide["steps"][key]["key_concepts"]}
        assert {c["name"] for c in step["found"]} == expected, f"{key}: missing {step['missing']}"
    assert content["coverage"]["found"] == content["coverage"]["total"]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(CASES))
def test_generic_words_earn_no_concept(slug, rubric, user_factory):
    session, interviewer, candidate = _session(slug, user_factory)
    script = {key: {"seconds": 300, "chat": [GENERIC]} for key in STEP_KEYS}
    session = play(session, interviewer, candidate, script)
    assert report_build(session_id=session.pk) == "ready"
    assert Report.objects.get(session=session).content["coverage"]["found"] == 0


@pytest.mark.parametrize("slug", sorted(CASES))
def test_every_alias_alone_credits_its_concept(slug):
    # The matcher finds each alias as the guide writes it, alone and inside a sentence.
    for key, step in CASES[slug]["guide"]["steps"].items():
        for concept in step["key_concepts"]:
            guide = {"steps": {key: {"key_concepts": [concept]}}}
            for alias in concept["aliases"]:
                for text in (f"I would use {alias} for this.", alias):
                    found = concept_coverage(guide, [text])[key]["found"]
                    assert found, f"{slug}/{key}: {alias!r} not matched in {text!r}"


@pytest.mark.parametrize("slug", sorted(CASES))
def test_the_browser_tests_chat_line_earns_a_credit_in_every_case(slug):
    # The end-to-end report test picks its case at random and expects a quoted credit from its chat.
    coverage = concept_coverage(CASES[slug]["guide"], [E2E_CHAT])
    assert any(step["found"] for step in coverage.values()), f"{slug}: {E2E_CHAT!r} credits nothing"

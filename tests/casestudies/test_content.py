"""The question bank's content: every case meets the minimum counts the interviews rely on."""

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from casestudies.framework import STEP_KEYS
from casestudies.guide import ContentError, parse_case_study
from casestudies.models import CaseStudy
from casestudies.services import content_files, read_case_study_file

CLASSIC_CASES = {
    "visual-search",
    "street-view-blurring",
    "video-search",
    "harmful-content-detection",
    "video-recommendation",
    "event-recommendation",
    "ad-click-prediction",
    "similar-listings",
    "personalized-news-feed",
    "people-you-may-know",
}
FAILURE_WORDS = ("fallback", "fall back", "cache", "degrad", "timeout", "overload")


def test_the_ten_classic_cases_are_in_the_bank():
    assert {path.stem for path in content_files()} >= CLASSIC_CASES


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.stem)
def test_case_meets_minimum_counts(path):
    case = read_case_study_file(path)
    guide = case["guide"]
    assert len(guide["clarifying_questions"]) >= 6
    assert len(guide["pitfalls"]) >= 4
    assert len(guide["follow_ups"]) >= 3
    assert list(guide["steps"]) == list(STEP_KEYS)
    total = 0
    for key, step in guide["steps"].items():
        assert len(step["key_concepts"]) >= 3, f"{key} has too few key concepts"
        assert len(step["hints"]) >= 1, f"{key} has no hints"
        for concept in step["key_concepts"]:
            assert len(concept["aliases"]) >= 1, f"{concept['name']} has no alias"
        total += len(step["key_concepts"])
    assert total >= 21


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.stem)
def test_case_covers_failure_handling_when_serving(path):
    serving = read_case_study_file(path)["guide"]["steps"]["serving"]
    text = " ".join(
        [serving["strong_answer"]]
        + [c["name"] + " " + " ".join(c["aliases"]) for c in serving["key_concepts"]]
    ).lower()
    assert any(word in text for word in FAILURE_WORDS)


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.stem)
def test_candidate_prompt_gives_no_clarifying_answers(path):
    case = read_case_study_file(path)
    prompt = case["prompt"].lower()
    for qa in case["guide"]["clarifying_questions"]:
        assert qa["answer"].lower() not in prompt


@pytest.mark.django_db
def test_load_content_is_idempotent_and_updates_in_place():
    call_command("load_content")
    call_command("load_content")
    assert set(CaseStudy.objects.values_list("slug", flat=True)) >= CLASSIC_CASES
    assert CaseStudy.objects.count() == len(content_files())
    case = CaseStudy.objects.get(slug="visual-search")
    case.title = "Edited by hand"
    case.save()
    call_command("load_content")
    case.refresh_from_db()
    assert case.title != "Edited by hand"
    assert case.tags.count() >= 1


@pytest.mark.django_db
def test_load_content_rejects_a_malformed_file_and_writes_nothing(tmp_path, monkeypatch):
    bad = tmp_path / "broken.yaml"
    bad.write_text("slug: broken\ntitle: x\n")
    monkeypatch.setattr("casestudies.management.commands.load_content.content_files", lambda: [bad])
    with pytest.raises(CommandError, match="broken.yaml"):
        call_command("load_content")
    assert CaseStudy.objects.count() == 0


@pytest.mark.parametrize(
    "mutate, where",
    [
        (lambda d: d.pop("prompt"), "prompt"),
        (lambda d: d.update(domain="astrology"), "domain"),
        (lambda d: d["steps"].pop("model"), "missing"),
        (lambda d: d["steps"].update(training={}), "unknown step"),
        (lambda d: d["steps"]["data"]["key_concepts"][0].update(aliases=[]), "alias"),
        (lambda d: d["clarifying_questions"].append({"question": "q"}), "answer"),
    ],
)
def test_parse_case_study_names_what_is_wrong(mutate, where):
    data = yaml.safe_load(content_files()[0].read_text())
    mutate(data)
    with pytest.raises(ContentError, match=where):
        parse_case_study(data)


@pytest.mark.django_db
def test_admin_edit_cannot_store_a_broken_guide(case_study):
    # ModelAdmin forms run full_clean(), which runs the guide check.
    case_study.guide = {"steps": {}}
    with pytest.raises(ValidationError):
        case_study.full_clean()


@pytest.mark.django_db
def test_loaded_case_studies_pass_model_validation(content):
    # What the admin runs on save: every stored domain and difficulty is a valid choice.
    for case in content:
        case.full_clean()

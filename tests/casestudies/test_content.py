"""The question bank's content: every case meets the checklist in casestudies/content/README.md
(counts, follow-ups at a step, precise aliases, numbers written with units that parse)."""

import re

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from casestudies.framework import STEP_KEYS
from casestudies.guide import DOMAINS, ContentError, parse_case_study
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
NEW_CASES = {
    "enterprise-rag-assistant",
    "llm-serving-platform",
    "card-fraud-authorisation",
    "delivery-time-estimation",
    "query-autocomplete",
    "notification-decisions",
    "marketplace-dynamic-pricing",
    "ads-auto-bidding",
    "llm-policy-enforcement",
    "retail-demand-forecasting",
}
FAILURE_WORDS = ("fallback", "fall back", "cache", "degrad", "timeout", "overload")

# Single words an alias must not be: everyday English (function words, and words that appear in
# almost any answer), so that an alias only credits a candidate who named the concept. A short
# hand list on purpose: no word list package is installed, and a huge list would hide mistakes.
COMMON_WORDS = frozenset(
    """
    a about after all also an and any are as at be because before best better big but by can
    cost could data day do does each error fast few for from get good great has have high how
    if in into is it its just label large less like list low make many map may model more most
    much must need new no not now of on one only or other our out over part per quality rate
    real right same score see set should show so some such system take test than that the their
    them then there these they this time to too top up use used user value very was way we well
    what when where which while who why will with without work would yes you your
    """.split()  # noqa: SIM905 (one readable block, not 150 quoted strings)
)
NEGATIONS = frozenset({"no", "not", "without", "never"})

# A number glued to letters must use one of these suffixes (30ms, 2x, 500M, 1.5B, 64GB); "500m"
# could mean minutes, metres or millions, so it is refused. Units written after a space are
# checked against spellings the bank does not use.
NUMBER_SUFFIX_RE = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)([A-Za-z]+)\b")
ALLOWED_SUFFIXES = frozenset(
    {"ms", "s", "h", "d", "x", "K", "M", "B", "T", "KB", "MB", "GB", "TB", "PB", "D", "k"}
)
# Ordinals, versions and names that happen to start with a digit.
NOT_A_QUANTITY = frozenset({"st", "nd", "rd", "th", "am", "pm", "P", "p", "G", "bit"})
BANNED_UNIT_SPELLINGS = re.compile(
    r"\d\s?(?:msec|millisec|qps|rps|mln|bn|mio|secs?|Msec|Qps)\b", re.ASCII
)
QUANTITY_RE = re.compile(
    r"(\d+(?:[.,]\d+)*)\s?(ms|s|seconds?|minutes?|hours?|days?|weeks?|QPS|K|M|B|million|"
    r"billion|thousand|GB|TB|PB|MB|%)(?![A-Za-z])"
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9@]+", text.lower())


def _norm(text: str) -> str:
    return " ".join(_words(text))


def _case_texts(case: dict) -> list[str]:
    """Every text an author writes in a case: prompt, answers, hints, strong answers, pitfalls,
    follow-ups."""
    guide = case["guide"]
    texts = [case["prompt"]]
    texts += [qa["question"] + " " + qa["answer"] for qa in guide["clarifying_questions"]]
    for step in guide["steps"].values():
        texts += step["hints"] + [step["strong_answer"]]
    texts += [p["title"] + " " + p["why"] for p in guide["pitfalls"]]
    texts += [f["question"] for f in guide["follow_ups"]]
    return texts


def parse_quantities(text: str) -> list[tuple[float, str]]:
    """Numbers written with a unit, as (value, unit): "30 ms" -> (30.0, "ms"), "1.5B" ->
    (1.5, "B"), "6,000 QPS" -> (6000.0, "QPS")."""
    return [(float(number.replace(",", "")), unit) for number, unit in QUANTITY_RE.findall(text)]


CASES = {path.stem: read_case_study_file(path) for path in content_files()}


def test_the_twenty_cases_are_in_the_bank():
    assert set(CASES) >= CLASSIC_CASES | NEW_CASES
    assert len(CASES) >= 20


def test_every_domain_is_used_and_the_new_domains_hold_cases():
    used = {case["domain"] for case in CASES.values()}
    assert {"genai", "fintech", "logistics", "marketplace"} <= used
    assert used <= set(DOMAINS)


@pytest.mark.parametrize("slug", sorted(CASES))
def test_case_has_tags_to_find_it_by(slug):
    tags = CASES[slug]["tags"]
    assert len(tags) >= 3
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", tag) for tag in tags)


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
        assert len(step["hints"]) >= 2, f"{key} has fewer than two hints"
        assert len(step["strong_answer"].split()) >= 40, f"{key} strong answer is a stub"
        for concept in step["key_concepts"]:
            assert len(concept["aliases"]) >= 1, f"{concept['name']} has no alias"
        total += len(step["key_concepts"])
    assert total >= 21


@pytest.mark.parametrize("slug", sorted(CASES))
def test_every_follow_up_is_attached_to_a_step(slug):
    follow_ups = CASES[slug]["guide"]["follow_ups"]
    assert all(f["step"] in STEP_KEYS for f in follow_ups), "a follow-up names no step"
    # Follow-ups probe more than the end of the interview.
    assert len({f["step"] for f in follow_ups}) >= 2


@pytest.mark.parametrize("slug", sorted(CASES))
def test_aliases_are_precise(slug):
    case = CASES[slug]
    title = _norm(case["title"])
    prompt = f" {_norm(case['prompt'])} "
    for key, step in case["guide"]["steps"].items():
        seen: dict[str, str] = {}
        for concept in step["key_concepts"]:
            for alias in concept["aliases"]:
                where = f"{key} / {concept['name']} / {alias!r}"
                words = _words(alias)
                assert words, f"{where}: no letters or digits"
                assert not (len(words) == 1 and words[0] in COMMON_WORDS), (
                    f"{where}: an everyday word credits candidates who never named the concept"
                )
                assert not NEGATIONS & set(words), f"{where}: a negation credits the opposite"
                norm = _norm(alias)
                assert norm not in seen, f"{where}: also an alias of {seen.get(norm)!r}"
                seen[norm] = concept["name"]
                # An alias the candidate can copy from the prompt only names the problem.
                assert f" {norm} " not in prompt, f"{where}: already in the prompt"
                # An alias that is the case's own title words only names the problem.
                assert norm != title and not (len(words) > 1 and f" {norm} " in f" {title} "), (
                    f"{where}: names the problem, not a way to solve it"
                )


@pytest.mark.parametrize("slug", sorted(CASES))
def test_numbers_are_written_with_units_that_parse(slug):
    for text in _case_texts(CASES[slug]):
        for number, suffix in NUMBER_SUFFIX_RE.findall(text):
            if suffix in NOT_A_QUANTITY or re.fullmatch(r"[a-z]?\d*", suffix):
                continue
            assert suffix in ALLOWED_SUFFIXES, (
                f"{slug}: '{number}{suffix}' uses an ambiguous or unknown unit: {text[:80]!r}"
            )
        bad = BANNED_UNIT_SPELLINGS.search(text)
        assert bad is None, f"{slug}: write ms, QPS, M, B: {bad.group(0)!r} in {text[:80]!r}"
    # Scale is stated: clarifying answers carry several numbers with units.
    answers = " ".join(qa["answer"] for qa in CASES[slug]["guide"]["clarifying_questions"])
    assert len(parse_quantities(answers)) >= 4


def test_parse_quantities_reads_the_units_the_bank_uses():
    assert parse_quantities("p99 of 30 ms at 6,000 QPS over 1.5B items and 500M users") == [
        (30.0, "ms"),
        (6000.0, "QPS"),
        (1.5, "B"),
        (500.0, "M"),
    ]
    assert parse_quantities("a 12% lift in 7 days") == [(12.0, "%"), (7.0, "days")]


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
        (lambda d: d["steps"]["data"]["key_concepts"][0].update(examples="x"), "examples"),
        (lambda d: d["steps"]["data"]["key_concepts"][0].update(examples=[1]), r"examples\[0\]"),
        (lambda d: d["steps"]["data"]["key_concepts"][0].update(examples=["é" * 151]), "bytes"),
        (lambda d: d["steps"]["data"]["key_concepts"][0].update(examples=["x"] * 9), "at most 8"),
        (lambda d: d["clarifying_questions"].append({"question": "q"}), "answer"),
        (lambda d: d["follow_ups"].append({"question": "q", "step": "lunch"}), "unknown step"),
        (lambda d: d["follow_ups"].append({"step": "data"}), "question"),
        (lambda d: d.update(slug="facets"), "reserved"),
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


def test_follow_ups_written_as_plain_text_still_load_and_name_no_step():
    data = yaml.safe_load(content_files()[0].read_text())
    data["follow_ups"] = ["What if traffic doubles?", {"question": "Labels?", "step": "data"}]
    assert parse_case_study(data)["guide"]["follow_ups"] == [
        {"question": "What if traffic doubles?", "step": None},
        {"question": "Labels?", "step": "data"},
    ]


@pytest.mark.django_db
def test_migration_gives_stored_follow_ups_the_new_shape(case_study):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("casestudies.migrations.0003_domains_and_ordering")
    CaseStudy.objects.filter(pk=case_study.pk).update(
        guide={**case_study.guide, "follow_ups": ["Old question?"]}
    )
    migration.follow_ups_as_objects(apps, None)
    case_study.refresh_from_db()
    assert case_study.guide["follow_ups"] == [{"question": "Old question?", "step": None}]

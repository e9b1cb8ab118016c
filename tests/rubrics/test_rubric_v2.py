"""Version 2 of the default rubric: must-pass criteria, the ML core's weight, unreached steps,
target levels, and version 1 sessions left as they were."""

from decimal import Decimal as D

import pytest
import yaml
from django.core.management import call_command

from casestudies.guide import ContentError
from interviews.models import InterviewSession, Report
from interviews.reports.build import report_build
from interviews.sessions import services
from rubrics.scoring import TARGET_LEVELS, Scheme, judge, verdict_for, weighted_score
from rubrics.services import RUBRIC_CONTENT_DIR, parse_rubric, rubric_get_default, rubric_load
from tests.factories import CaseStudyFactory, UserFactory, make_guide
from tests.interviews.scripted import play, score_all

V2 = parse_rubric(yaml.safe_load((RUBRIC_CONTENT_DIR / "ml-system-design.v2.yaml").read_text()))
WEIGHTS = {c["key"]: c["weight"] for c in V2["criteria"]}
SCHEME = Scheme.from_content(V2["scoring"])
CORE = ("frame", "data", "model", "evaluation")
HIRE = {"lean_hire", "strong_hire"}


def levels_with(default: int, **overrides: int | None) -> dict:
    return {key: overrides.get(key, default) for key in WEIGHTS}


def test_the_ml_core_carries_at_least_sixty_percent_of_the_weight():
    steps = {c["key"]: c["step"] for c in V2["criteria"]}
    core = sum(w for k, w in WEIGHTS.items() if steps[k] in CORE)
    assert core / sum(WEIGHTS.values()) >= D("0.6")


def test_framing_modelling_and_evaluation_must_pass():
    assert set(SCHEME.gates) == {"frame", "model", "evaluation"}


def test_anchors_are_short_neutral_about_the_system_and_cues_are_few():
    for criterion in V2["criteria"]:
        assert 1 <= len(criterion["listen_for"]) <= 4
        for anchor in criterion["anchors"].values():
            assert 4 <= len(anchor.split()) <= 20, anchor
            lowered = anchor.lower()
            for word in ("a/b", "candidate generation", "ranking", "recommend", "click"):
                assert word not in lowered, anchor
    assert any(not c["step"] and "depth" in c["key"] for c in V2["criteria"])


@pytest.mark.parametrize("target", TARGET_LEVELS)
@pytest.mark.parametrize("rest", [3, 4])
def test_misframed_but_otherwise_solid_is_below_lean_hire(target, rest):
    judged = judge(SCHEME, WEIGHTS, levels_with(rest, frame=1), target_level=target)
    assert judged.band == "lean_no_hire"
    assert judged.level_met is None and judged.gates_failed == ("frame",)
    # Version 1's averaging alone would have called it a hire.
    assert weighted_score(WEIGHTS, levels_with(rest, frame=1)).band in HIRE


@pytest.mark.parametrize("target", TARGET_LEVELS)
def test_weak_ml_core_with_strong_rest_is_below_lean_hire(target):
    levels = levels_with(4, frame=1, data=1, model=1, evaluation=1)
    judged = judge(SCHEME, WEIGHTS, levels, target_level=target)
    assert judged.band not in HIRE
    assert set(judged.gates_failed) == {"frame", "model", "evaluation"}


def test_an_unscored_must_pass_criterion_meets_no_level():
    judged = judge(SCHEME, WEIGHTS, levels_with(4, evaluation=None), target_level="mid")
    assert judged.band == "lean_no_hire" and judged.gates_unscored == ("evaluation",)
    assert "evaluation" in judged.unscored


def test_unscored_steps_are_left_out_of_the_score_not_counted_as_ones():
    judged = judge(
        SCHEME, WEIGHTS, levels_with(3, serving=None, monitoring=None), target_level="senior"
    )
    assert judged.score == D("3.00") and judged.scored_weight < 1
    assert judged.unscored == ("serving", "monitoring")


@pytest.mark.parametrize(
    "level, target, verdict, band",
    [
        (3, "senior", "meets senior", "lean_hire"),
        (3, "mid", "above mid, meets senior", "strong_hire"),
        (3, "staff", "below staff, meets senior", "lean_no_hire"),
        (4, "staff", "meets staff", "strong_hire"),
    ],
)
def test_the_band_is_judged_against_the_target_level(level, target, verdict, band):
    judged = judge(SCHEME, WEIGHTS, levels_with(level), target_level=target)
    assert (judged.verdict, judged.band) == (verdict, band)


def test_between_the_bars_reads_below_target_meets_the_level_under_it():
    # Mostly 3 with a 2 on data: above the mid bar, under the senior one.
    judged = judge(SCHEME, WEIGHTS, levels_with(3, data=2, model=2), target_level="senior")
    assert judged.verdict == "below senior, meets mid" and judged.band == "lean_no_hire"
    assert verdict_for("senior", None) == "below senior and mid"
    assert verdict_for("mid", None) == "below mid"


# --- loading, sessions, reports ----------------------------------------------------------------


@pytest.mark.django_db
def test_load_content_makes_version_two_the_default_for_new_sessions(rubric, case_study):
    user = UserFactory()
    old, _ = services.session_create(user=user, case_study=case_study, role="interviewer")
    call_command("load_content", verbosity=0)
    assert rubric_get_default().version == 2
    new, _ = services.session_create(user=user, case_study=case_study, role="interviewer")
    assert (old.rubric.version, new.rubric.version) == (1, 2)
    assert new.target_level == "senior"
    call_command("load_content", verbosity=0)  # idempotent: nothing new
    assert rubric_get_default().pk == new.rubric_id


@pytest.mark.django_db
def test_a_used_version_file_cannot_change(rubric_v2, case_study):
    services.session_create(user=UserFactory(), case_study=case_study, role="interviewer")
    changed = {**V2, "name": "Renamed"}
    with pytest.raises(ContentError):
        rubric_load(parsed=changed)


@pytest.mark.django_db
def test_session_api_takes_a_target_level_and_refuses_unknown_ones(
    rubric_v2, case_study, client_for
):
    api = client_for(UserFactory())
    body = {"case_study": case_study.slug, "role": "interviewer", "target_level": "staff"}
    created = api.post("/api/sessions/", body, format="json")
    assert created.status_code == 201 and created.json()["target_level"] == "staff"
    bad = api.post("/api/sessions/", {**body, "target_level": "principal"}, format="json")
    assert bad.status_code == 400


STEPS_UP_TO_EVALUATION = {
    "clarify": {"seconds": 300, "board": [("t1", "10M DAU, p99 latency 200 ms")]},
    "frame": {"seconds": 300},
    "data": {"seconds": 300},
    "model": {"seconds": 600},
    "evaluation": {"seconds": 300},
}


def ended_session(target_level: str = "senior") -> InterviewSession:
    case = CaseStudyFactory(guide=make_guide({"clarify": [("Latency", ["latency"])]}))
    interviewer, candidate = UserFactory(), UserFactory()
    session, invite = services.session_create(
        user=interviewer, case_study=case, role="interviewer", target_level=target_level
    )
    services.invite_accept(token=invite.token, user=candidate)
    return play(session, interviewer, candidate, STEPS_UP_TO_EVALUATION)


def built(session) -> dict:
    assert report_build(session_id=session.pk) == "ready"
    return Report.objects.get(session=session).content["rubric"]


@pytest.mark.django_db
def test_report_names_the_verdict_the_gates_and_the_steps_never_reached(rubric_v2):
    session = ended_session()
    reached = ["clarify", "frame", "data", "model", "evaluation"]
    score_all(session, {**dict.fromkeys(reached, 3), "frame": 1, "depth": 3})
    rubric = built(session)
    assert rubric["band"] == "lean_no_hire" and rubric["verdict"] == "below senior and mid"
    assert {g["key"]: g["passed"] for g in rubric["gates"]} == {
        "frame": False,
        "model": True,
        "evaluation": True,
    }
    assert "Frames the ML task scored 1" in rubric["gate_note"]
    by_key = {c["key"]: c for c in rubric["criteria"]}
    assert by_key["serving"]["not_reached"] and by_key["monitoring"]["not_reached"]
    assert by_key["serving"]["level"] is None  # unscored, not a 1
    assert not by_key["communication"]["not_reached"]
    assert rubric["unscored_note"].startswith("Not reached, so not scored: Serving, Monitoring.")
    assert "Communication and pace" in rubric["unscored_note"]


@pytest.mark.django_db
def test_version_one_sessions_keep_their_rubric_and_report(rubric):
    session = ended_session()
    keys = list(session.rubric.criteria.values_list("key", flat=True))
    score_all(session, {**dict.fromkeys(keys, 3), "frame-ml-task": 1})
    before = built(session)
    call_command("load_content", verbosity=0)  # version 2 arrives
    session.refresh_from_db()
    assert session.rubric.version == 1
    assert report_build(session_id=session.pk, force=True) == "ready"
    after = Report.objects.get(session=session).content["rubric"]
    assert after == before
    # The averaging result of version 1, with no verdict or gate fields.
    assert before["band"] == "lean_hire" and "verdict" not in before
    assert set(before) == {
        "name",
        "version",
        "criteria",
        "weighted_score",
        "band",
        "band_label",
        "scored_weight",
        "step_levels",
    }
    assert all("gate" not in c and "not_reached" not in c for c in before["criteria"])

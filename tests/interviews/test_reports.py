"""The report of scripted interviews whose answers are known."""

import json

import pytest

from interviews.feedback import services as feedback_services
from interviews.models import (
    ChatMessage,
    Note,
    Participant,
    Report,
    RoomEvent,
    WhiteboardElement,
    WhiteboardSnapshot,
)
from interviews.reports.build import report_build
from interviews.sessions import services as session_services
from testkit.excalidraw import text_element
from testkit.interviews import interview_between
from tests.factories import CaseStudyFactory, UserFactory, make_guide

from .scripted import box, draw, play, score_all

pytestmark = pytest.mark.django_db

CONCEPTS = {
    "clarify": [
        ("Latency budget", ["p99 latency", "latency budget"]),
        ("Daily active users", ["DAU"]),
    ],
    "model": [
        ("Two-tower retrieval", ["two-tower"]),
        ("Approximate nearest neighbour", ["ANN", "HNSW"]),
    ],
    "evaluation": [("Ranking metric", ["NDCG", "recall@k"])],
    "serving": [("Fallback", ["fallback", "popularity list"])],
    "monitoring": [("Drift", ["drift"])],
}

STRONG = {
    "clarify": {
        "seconds": 300,
        "board": [("t1", "10M DAU, p99 latency 200 ms")],
        "chat": ["How many items are there? 5M?"],
    },
    "frame": {"seconds": 300, "board": [("t2", "retrieval then ranking, label = click")]},
    "data": {"seconds": 480, "chat": ["labels come from click logs, negatives sampled"]},
    "model": {"seconds": 600, "board": [("t3", "baseline: popularity; two-tower + HNSW ANN")]},
    "evaluation": {"seconds": 360, "board": [("t4", "offline NDCG@10; online A/B test")]},
    "serving": {
        "seconds": 360,
        "board": [("t5", "cache top-k; timeout -> fallback to popularity list")],
    },
    "monitoring": {"seconds": 300, "chat": ["watch feature drift and CTR, retrain weekly"]},
}

WEAK = {
    "clarify": {"seconds": 60},
    "model": {"seconds": 1800, "board": [("w1", "deep transformer ranker with attention")]},
    "evaluation": {"seconds": 120},
}


@pytest.fixture
def session_with_people(rubric):
    case = CaseStudyFactory(guide=make_guide(CONCEPTS))
    interviewer, candidate = UserFactory(username="iris"), UserFactory(username="cole")
    return interview_between(interviewer, candidate, case), interviewer, candidate


def build(session) -> dict:
    assert report_build(session_id=session.pk) == "ready"
    return Report.objects.get(session=session).content


def pitfall_codes(content) -> set[str]:
    return {p["code"] for p in content["pitfalls"]}


def test_strong_interview_report_is_right_about_time_coverage_and_pitfalls(session_with_people):
    session, interviewer, candidate = session_with_people
    draw(
        session,
        interviewer,
        "interviewer",
        {**box("iv1"), "type": "text", "text": "drift", "originalText": "drift"},
    )
    session = play(session, interviewer, candidate, STRONG)
    content = build(session)

    steps = {s["key"]: s for s in content["time"]["steps"]}
    assert steps["clarify"]["planned_minutes"] == 5 and steps["clarify"]["actual_minutes"] == 5
    assert steps["model"]["actual_minutes"] == 10 and steps["model"]["overrun_minutes"] == 0
    assert abs(sum(s["share"] for s in content["time"]["steps"]) - 1) < 0.01

    coverage = content["coverage"]["steps"]
    found = {step: {c["name"] for c in data["found"]} for step, data in coverage.items()}
    assert found["clarify"] == {"Latency budget", "Daily active users"}
    assert found["model"] == {"Two-tower retrieval", "Approximate nearest neighbour"}
    assert found["evaluation"] == {"Ranking metric"}
    assert found["serving"] == {"Fallback"}
    # Drift came from the candidate's chat; the interviewer's "drift" label does not count.
    assert found["monitoring"] == {"Drift"}
    assert content["coverage"]["found"] == content["coverage"]["total"] - len(
        [m for d in coverage.values() for m in d["missing"]]
    )

    codes = pitfall_codes(content)
    assert not codes & {
        "jumped-to-model",
        "no-evaluation-metric",
        "monitoring-skipped",
        "model-overweight",
        "no-failure-handling",
    }


def test_every_credit_quotes_the_candidates_words_with_source_time_and_step(
    session_with_people,
):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    content = build(session)

    assert content["version"] == 4
    assert content["coverage"]["semantic"]["available"] is True
    credits = [f for d in content["coverage"]["steps"].values() for f in d["found"]]
    assert credits
    for credit in credits:
        (quote,) = credit["evidence"]
        assert quote["source"] in ("board", "chat") and quote["at"] and quote["step"]
    by_name = {c["name"]: c["evidence"][0] for c in credits}
    said = ChatMessage.objects.get(session=session, text__contains="feature drift")
    assert by_name["Drift"] == {
        "quote": "watch feature drift and CTR, retrain weekly",
        "source": "chat",
        "at": said.created_at.isoformat(),  # when the candidate sent it
        "step": "monitoring",
    }
    assert by_name["Approximate nearest neighbour"]["source"] == "board"
    assert by_name["Approximate nearest neighbour"]["step"] == "model"


def test_a_pitfall_quotes_the_writing_that_ruled_an_answer_out(session_with_people):
    session, interviewer, candidate = session_with_people
    script = {**WEAK, "serving": {"seconds": 120, "chat": ["no fallback, it never fails"]}}
    content = build(play(session, interviewer, candidate, script))
    pitfall = next(p for p in content["pitfalls"] if p["code"] == "no-failure-handling")
    assert [(q["quote"], q["source"], q["step"]) for q in pitfall["quotes"]] == [
        ("no fallback, it never fails", "chat", "serving")
    ]


def test_weak_interview_report_names_its_pitfalls(session_with_people):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, WEAK)
    content = build(session)
    codes = pitfall_codes(content)
    assert {
        "jumped-to-model",
        "no-evaluation-metric",
        "monitoring-skipped",
        "model-overweight",
        "no-failure-handling",
    } <= codes
    for pitfall in content["pitfalls"]:
        assert pitfall["why"] and pitfall["evidence"]
    model = next(s for s in content["time"]["steps"] if s["key"] == "model")
    assert model["overrun_minutes"] == 20
    assert content["coverage"]["found"] == 0


def test_interviewer_words_are_not_credited_to_the_candidate(session_with_people):
    session, interviewer, candidate = session_with_people
    draw(
        session,
        interviewer,
        "interviewer",
        {
            **box("i1"),
            "type": "text",
            "text": "NDCG fallback drift DAU",
            "originalText": "NDCG fallback drift DAU",
        },
    )
    session = play(session, interviewer, candidate, WEAK)
    assert build(session)["coverage"]["found"] == 0


def test_rubric_section_has_levels_anchors_comments_and_band(session_with_people):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    keys = list(session.rubric.criteria.values_list("key", flat=True))
    score_all(session, dict.fromkeys(keys, 3), comment="Clear and structured.")
    content = build(session)
    rubric = content["rubric"]
    assert rubric["weighted_score"] == "3.00" and rubric["band"] == "lean_hire"
    first = rubric["criteria"][0]
    criterion = session.rubric.criteria.get(key=first["key"])
    assert first["anchor"] == criterion.anchors["3"]
    assert first["comment"] == "Clear and structured."
    assert rubric["step_levels"]["clarify"] == 3.0


def test_whiteboard_is_rendered_to_svg_at_each_step_change_and_at_the_end(session_with_people):
    session, interviewer, candidate = session_with_people
    draw(session, candidate, "candidate", box("b1"))
    session = play(session, interviewer, candidate, STRONG)
    board = build(session)["whiteboard"]
    assert board["final"].startswith("<svg") and "popularity list" in board["final"]
    assert [s["step"] for s in board["snapshots"]] == [
        "clarify",
        "frame",
        "data",
        "model",
        "evaluation",
        "serving",
    ]
    assert all(s["svg"].startswith("<svg") for s in board["snapshots"])
    # Each snapshot says when it was taken, in step order: its moment in the replay.
    moments = [s["at"] for s in board["snapshots"]]
    assert moments == sorted(moments) and session.started_at.isoformat() <= moments[0]


def test_only_shared_notes_reach_the_report(session_with_people):
    session, interviewer, candidate = session_with_people
    feedback_services.note_save(
        session=session, role="interviewer", step="data", text="Private doubt"
    )
    feedback_services.note_save(
        session=session, role="interviewer", step="model", text="Good baseline first", shared=True
    )
    session = play(session, interviewer, candidate, STRONG)
    content = build(session)
    assert content["notes"] == [
        {"step": "model", "title": "Model development", "text": "Good baseline first"}
    ]
    assert "Private doubt" not in str(content)


def test_self_assessment_gap_per_step(session_with_people, client_for):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    criterion = session.rubric.criteria.get(step="model")
    score_all(session, {criterion.key: 2})
    build(session)
    api = client_for(candidate)
    url = f"/api/sessions/{session.id}/self-assessment/"
    assert api.put(url, {"levels": {"model": 7}}, format="json").status_code == 400
    assert api.put(url, {"levels": {"training": 3}}, format="json").status_code == 400
    assert (
        client_for(interviewer).put(url, {"levels": {"model": 3}}, format="json").status_code == 403
    )
    assert api.get(url).json() == {"self_assessment": None}  # not given yet: 200, not 404
    assert api.put(url, {"levels": {"model": 4, "data": 3}}, format="json").status_code == 200
    given = api.get(url)
    assert given.status_code == 200
    assert given.json()["self_assessment"]["levels"] == {"model": 4, "data": 3}
    # Submitting asks for a rebuild; build it as the worker would.
    assert Report.objects.get(session=session).status == "pending"
    report_build(session_id=session.pk, force=True)
    steps = {
        s["step"]: s
        for s in Report.objects.get(session=session).content["self_assessment"]["steps"]
    }
    assert steps["model"] == {
        "step": "model",
        "title": "Model development",
        "self_level": 4,
        "interviewer_level": 2.0,
        "gap": 2.0,
    }
    assert steps["data"]["gap"] is None  # the interviewer did not score data


def test_progress_recommends_unpractised_cases_for_the_weakest_steps(content, user_factory):
    interviewer, candidate = user_factory(username="ivy"), user_factory(username="carl")
    first_case, *others = content
    session, invite = session_services.session_create(
        user=interviewer, case_study=first_case, role="interviewer"
    )
    session_services.invite_accept(token=invite.token, user=candidate)
    session = play(session, interviewer, candidate, STRONG)
    levels = {
        c.key: (1 if c.step in ("evaluation", "monitoring") else 4)
        for c in session.rubric.criteria.all()
    }
    score_all(session, levels)
    progress = build(session)["progress"]
    assert [h["session_id"] for h in progress["history"]] == [str(session.pk)]
    assert {w["step"] for w in progress["weakest_steps"][:2]} == {"evaluation", "monitoring"}
    recommended = [r["slug"] for r in progress["recommendations"]]
    assert recommended and first_case.slug not in recommended
    assert all(r["why"] for r in progress["recommendations"])


def test_building_twice_completes_once_and_regenerating_replaces(session_with_people, client_for):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    build(session)
    first = Report.objects.get(session=session)
    assert report_build(session_id=session.pk) == "ready"
    assert Report.objects.get(session=session).completions == 1
    assert (
        client_for(candidate).post(f"/api/sessions/{session.id}/report/regenerate/").status_code
        == 403
    )
    response = client_for(interviewer).post(f"/api/sessions/{session.id}/report/regenerate/")
    assert response.status_code == 202
    report_build(session_id=session.pk, force=True)
    again = Report.objects.get(session=session)
    assert again.completions == 2 and again.content["generated_at"] != first.content["generated_at"]


def test_report_of_a_live_session_is_not_built(session_with_people, client_for):
    session, interviewer, _ = session_with_people
    assert report_build(session_id=session.pk) == "pending"
    response = client_for(interviewer).post(f"/api/sessions/{session.id}/report/regenerate/")
    assert response.status_code == 400


def test_a_failing_build_ends_in_a_visible_failed_state(
    session_with_people, monkeypatch, client_for
):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)

    def broken(**kwargs):
        raise ValueError("scene data is corrupt")

    monkeypatch.setattr("interviews.reports.build.report_content", broken)
    assert report_build(session_id=session.pk) == "failed"
    body = client_for(interviewer).get(f"/api/sessions/{session.id}/report/").json()
    assert body["status"] == "failed" and "scene data is corrupt" in body["error"]
    # The candidate sees the status but not the internals.
    feedback_services.feedback_release(session=session, role="interviewer")
    assert client_for(candidate).get(f"/api/sessions/{session.id}/report/").json()["error"] == ""


def test_transient_errors_are_left_to_the_task_to_retry(session_with_people, monkeypatch):
    from django.db import OperationalError

    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)

    def flaky(**kwargs):
        raise OperationalError("connection reset")

    monkeypatch.setattr("interviews.reports.build.report_content", flaky)
    with pytest.raises(OperationalError):
        report_build(session_id=session.pk)


def test_task_retries_transient_errors_then_gives_up_with_the_reason(
    session_with_people, monkeypatch
):
    from django.db import OperationalError

    from interviews.reports.tasks import MAX_RETRIES, report_build

    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    monkeypatch.setattr(
        "interviews.reports.build.report_content",
        lambda **kw: (_ for _ in ()).throw(OperationalError("db down")),
    )
    # Run inline, as the embedded default does: each retry runs at once.
    result = report_build.apply(args=[str(session.pk)], throw=False)
    assert result.failed()
    report = Report.objects.get(session=session)
    assert report.attempts == MAX_RETRIES + 1
    assert report.status == "failed" and "db down" in report.error
    assert f"Gave up after {MAX_RETRIES + 1} attempts" in report.error


def test_candidate_sees_the_report_only_once_released(
    session_with_people, client_for, user_factory
):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    build(session)
    url = f"/api/sessions/{session.id}/report/"
    hidden = client_for(candidate).get(url).json()
    assert hidden["status"] == "ready" and hidden["content"] is None and not hidden["released"]
    assert client_for(candidate).get(url + "pdf/").status_code == 403
    assert client_for(candidate).get(url + "json/").status_code == 403
    assert client_for(user_factory()).get(url).status_code == 404
    assert client_for(interviewer).get(url).json()["content"]["rubric"]

    client_for(interviewer).post(f"/api/sessions/{session.id}/release/")
    shown = client_for(candidate).get(url).json()
    assert shown["released"] and shown["content"]["session"]["candidate"] == "cole"
    pdf = client_for(candidate).get(url + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    exported = client_for(candidate).get(url + "json/")
    assert exported.status_code == 200 and "attachment" in exported["Content-Disposition"]


def test_observers_never_see_private_notes(session_with_people, client_for, user_factory):
    session, interviewer, candidate = session_with_people
    observer = user_factory(username="olga")
    Participant.objects.create(session=session, user=observer, role="observer")
    Note.objects.create(session=session, step="data", text="private: weak on labels")
    session = play(session, interviewer, candidate, STRONG)
    build(session)
    feedback_services.feedback_release(session=session, role="interviewer")
    body = client_for(observer).get(f"/api/sessions/{session.id}/report/").json()
    assert "weak on labels" not in str(body)
    assert client_for(observer).get(f"/api/sessions/{session.id}/notes/").status_code == 403


def test_pdf_of_an_unready_report_is_409(session_with_people, client_for):
    session, interviewer, _ = session_with_people
    assert client_for(interviewer).get(f"/api/sessions/{session.id}/report/pdf/").status_code == 409


def test_progress_across_other_interviews_is_for_the_candidate_only(
    session_with_people, client_for
):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    build(session)
    feedback_services.feedback_release(session=session, role="interviewer")
    url = f"/api/sessions/{session.id}/report/"
    mine = client_for(candidate).get(url).json()["content"]["progress"]
    theirs = client_for(interviewer).get(url).json()["content"]["progress"]
    assert mine["history"] and theirs == {"history": [], "weakest_steps": [], "recommendations": []}
    assert client_for(interviewer).get(url + "json/").json()["progress"]["history"] == []


def test_editing_feedback_after_the_end_rebuilds_the_report(session_with_people, client_for):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    build(session)
    api = client_for(interviewer)
    api.put(
        f"/api/sessions/{session.id}/notes/",
        {"step": "data", "text": "Late thought", "shared": True},
        format="json",
    )
    assert Report.objects.get(session=session).status == "pending"
    report_build(session_id=session.pk, force=True)
    assert Report.objects.get(session=session).content["notes"][0]["text"] == "Late thought"


def test_a_self_assessment_during_a_build_asks_for_another(session_with_people, client_for):
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    Report.objects.filter(session=session).update(status="running")
    response = client_for(candidate).put(
        f"/api/sessions/{session.id}/self-assessment/", {"levels": {"data": 3}}, format="json"
    )
    assert response.status_code == 200
    assert Report.objects.get(session=session).status == "pending"


def test_elements_stored_before_the_door_checked_them_do_not_break_the_report(
    session_with_people,
):
    """Rows written before every field was validated may hold anything (a list-valued
    fontFamily once made the build die with 'unhashable type')."""
    session, interviewer, candidate = session_with_people
    session = play(session, interviewer, candidate, STRONG)
    poisoned = [
        text_element("p1", "two-tower retrieval", fontFamily=[1, 2]),
        text_element("p2", "ranker", textAlign={"x": 1}),
        {"id": "p3", "type": "rectangle"},
        "not an element",
    ]
    for item in poisoned[:3]:
        WhiteboardElement.objects.create(
            session=session,
            element_id=item["id"],
            version=1,
            version_nonce=1,
            data=json.dumps(item),
            updated_at=session.ended_at,
        )
    RoomEvent.objects.create(
        session=session,
        seq=session.seq + 1,
        type="whiteboard.update",
        user_id=candidate.pk,
        created_at=session.ended_at,
        payload=json.dumps({"type": "whiteboard.update", "elements": poisoned}),
    )
    WhiteboardSnapshot.objects.filter(session=session).update(elements=poisoned)
    content = build(session)
    assert "p1" not in content["whiteboard"]["final"]
    assert content["coverage"]["found"] > 0


def test_pdf_renders_reports_with_evidence_and_reports_stored_before_it(session_with_people):
    from interviews.reports.render.pdf import render_report_pdf

    session, interviewer, candidate = session_with_people
    script = {**STRONG, "serving": {"seconds": 120, "chat": ["no fallback, it never fails"]}}
    content = build(play(session, interviewer, candidate, script))
    assert render_report_pdf(content).startswith(b"%PDF")

    old = {**content, "version": 1}
    old["coverage"] = {k: v for k, v in content["coverage"].items() if k != "semantic"}
    old["coverage"]["steps"] = {
        step: {
            "found": [{"name": f["name"], "matched": f["matched"]} for f in data["found"]],
            "missing": data["missing"],
        }
        for step, data in content["coverage"]["steps"].items()
    }
    old["pitfalls"] = [{k: v for k, v in p.items() if k != "quotes"} for p in content["pitfalls"]]
    assert render_report_pdf(old).startswith(b"%PDF")

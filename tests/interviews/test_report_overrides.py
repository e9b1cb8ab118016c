"""The interviewer confirms or rejects the report's credits and pitfalls before releasing it."""

import pytest

from interviews.models import Participant, Report, ReportOverride
from interviews.reports.analysis.overrides import apply_overrides
from interviews.reports.build import report_build
from interviews.sessions import services
from tests.factories import CaseStudyFactory, UserFactory, make_guide

from .scripted import play
from .test_reports import CONCEPTS, STRONG

pytestmark = pytest.mark.django_db

# Everything but monitoring: credits in most steps and a "monitoring skipped" pitfall.
SCRIPT = {step: acts for step, acts in STRONG.items() if step != "monitoring"}


@pytest.fixture
def reviewed(rubric, client_for):
    case = CaseStudyFactory(guide=make_guide(CONCEPTS))
    interviewer, candidate = UserFactory(username="iris"), UserFactory(username="cole")
    session, invite = services.session_create(user=interviewer, case_study=case, role="interviewer")
    services.invite_accept(token=invite.token, user=candidate)
    session = play(session, interviewer, candidate, SCRIPT)
    assert report_build(session_id=session.pk) == "ready"
    return session, client_for(interviewer), client_for(candidate), interviewer, candidate


def override(api, session, kind, key, decision):
    return api.put(
        f"/api/sessions/{session.pk}/report/overrides/",
        {"kind": kind, "key": key, "decision": decision},
        format="json",
    )


def stored(session) -> dict:
    return Report.objects.get(session=session).content


def test_rejected_credit_leaves_the_count_and_is_listed_confirmed_is_marked(reviewed):
    session, iv, _, _, _ = reviewed
    before = stored(session)
    assert {c["name"] for c in before["coverage"]["steps"]["model"]["found"]} == {
        "Two-tower retrieval",
        "Approximate nearest neighbour",
    }
    response = override(iv, session, "credit", "model:Approximate nearest neighbour", "rejected")
    assert response.status_code == 200
    content = response.json()["content"]
    model = content["coverage"]["steps"]["model"]
    assert [c["name"] for c in model["found"]] == ["Two-tower retrieval"]
    assert [(c["name"], c["override"]) for c in model["rejected"]] == [
        ("Approximate nearest neighbour", "rejected")
    ]
    assert content["coverage"]["found"] == before["coverage"]["found"] - 1
    assert content["coverage"]["rejected"] == 1
    assert content["coverage"]["total"] == before["coverage"]["total"]
    assert (
        override(iv, session, "credit", "model:Two-tower retrieval", "confirmed").status_code == 200
    )
    assert stored(session)["coverage"]["steps"]["model"]["found"][0]["override"] == "confirmed"


def test_rejected_pitfall_is_listed_apart_and_taking_it_back_restores_the_order(reviewed):
    session, iv, _, _, _ = reviewed
    before = stored(session)
    codes = [p["code"] for p in before["pitfalls"]]
    assert "monitoring-skipped" in codes
    assert override(iv, session, "pitfall", "monitoring-skipped", "rejected").status_code == 200
    content = stored(session)
    assert "monitoring-skipped" not in [p["code"] for p in content["pitfalls"]]
    assert [p["code"] for p in content["rejected_pitfalls"]] == ["monitoring-skipped"]
    assert override(iv, session, "pitfall", "monitoring-skipped", None).status_code == 200
    content = stored(session)
    assert [p["code"] for p in content["pitfalls"]] == codes
    assert content["rejected_pitfalls"] == [] and not ReportOverride.objects.exists()


def test_a_rebuild_keeps_the_overrides_that_still_apply(reviewed):
    session, iv, _, _, _ = reviewed
    override(iv, session, "credit", "clarify:Daily active users", "rejected")
    override(iv, session, "pitfall", "monitoring-skipped", "confirmed")
    # An override whose item a rebuild no longer produces applies to nothing.
    ReportOverride.objects.create(
        session=session, kind="credit", key="clarify:Gone", decision="rejected"
    )
    assert report_build(session_id=session.pk, force=True) == "ready"
    content = stored(session)
    clarify = content["coverage"]["steps"]["clarify"]
    assert [c["name"] for c in clarify["rejected"]] == ["Daily active users"]
    assert {p["code"]: p.get("override") for p in content["pitfalls"]}["monitoring-skipped"] == (
        "confirmed"
    )


def test_applying_the_same_decisions_again_changes_nothing(reviewed):
    session, *_ = reviewed
    decisions = {("credit", "model:Two-tower retrieval"): "rejected"}
    once = apply_overrides(stored(session), decisions)
    assert apply_overrides(once, decisions) == once
    assert apply_overrides(once, {}) == apply_overrides(stored(session), {})


def test_only_the_interviewer_may_override_and_only_before_release(reviewed, client_for):
    session, iv, cand, interviewer, _ = reviewed
    observer = UserFactory(username="obi")
    Participant.objects.create(session=session, user=observer, role="observer")
    key = "model:Two-tower retrieval"
    assert override(cand, session, "credit", key, "rejected").status_code == 403
    assert override(client_for(observer), session, "credit", key, "rejected").status_code == 403
    assert (
        override(client_for(UserFactory()), session, "credit", key, "rejected").status_code == 404
    )
    assert not ReportOverride.objects.exists()
    assert override(iv, session, "credit", "model:Nothing like it", "rejected").status_code == 400
    assert override(iv, session, "lemma", key, "rejected").status_code == 400
    # Before release the candidate sees nothing of the report's content.
    assert override(iv, session, "credit", key, "rejected").status_code == 200
    assert cand.get(f"/api/sessions/{session.pk}/report/").json()["content"] is None
    assert iv.post(f"/api/sessions/{session.pk}/release/").status_code == 200
    assert override(iv, session, "credit", key, None).status_code == 403
    released = cand.get(f"/api/sessions/{session.pk}/report/").json()["content"]
    model = released["coverage"]["steps"]["model"]
    assert [c["name"] for c in model["rejected"]] == ["Two-tower retrieval"]
    assert key.split(":")[1] not in [c["name"] for c in model["found"]]


def test_overrides_wait_for_a_built_report(reviewed):
    session, iv, *_ = reviewed
    Report.objects.filter(session=session).update(status=Report.Status.PENDING)
    response = override(iv, session, "credit", "model:Two-tower retrieval", "rejected")
    assert response.status_code == 400


def test_the_pdf_renders_a_reviewed_report(reviewed):
    from interviews.reports.render.pdf import render_report_pdf

    session, iv, *_ = reviewed
    override(iv, session, "credit", "model:Two-tower retrieval", "rejected")
    override(iv, session, "credit", "clarify:Daily active users", "confirmed")
    override(iv, session, "pitfall", "monitoring-skipped", "rejected")
    assert render_report_pdf(stored(session)).startswith(b"%PDF")

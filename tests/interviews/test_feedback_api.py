import pytest

from interviews.models import InterviewSession

pytestmark = pytest.mark.django_db


def test_interviewer_scores_and_sees_the_weighted_result(interview, client_for):
    session, interviewer, _ = interview
    api = client_for(interviewer)
    key = session.rubric.criteria.first().key
    response = api.put(
        f"/api/sessions/{session.id}/scores/",
        {"criterion": key, "level": 4, "comment": "Sharp questions."},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    row = next(s for s in body["scores"] if s["criterion"] == key)
    assert (row["level"], row["comment"]) == (4, "Sharp questions.")
    assert body["weighted_score"] == "4.00" and body["band"] == "strong_hire"
    assert len(body["scores"]) == session.rubric.criteria.count()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"criterion": "made-up", "level": 3}, "criterion"),
        ({"level": 3}, "criterion"),
        ({"criterion": "communication", "level": 5}, "level"),
        ({"criterion": "communication", "level": "high"}, "level"),
        ({"criterion": "communication", "level": 2, "comment": "x" * 4001}, "comment"),
    ],
)
def test_bad_scores_are_400(interview, client_for, payload, field):
    session, interviewer, _ = interview
    response = client_for(interviewer).put(f"/api/sessions/{session.id}/scores/", payload)
    assert response.status_code == 400
    assert field in response.json()


def test_candidate_cannot_read_or_write_feedback_until_released(interview, client_for):
    session, interviewer, candidate = interview
    key = session.rubric.criteria.first().key
    client_for(interviewer).put(
        f"/api/sessions/{session.id}/scores/", {"criterion": key, "level": 2}
    )
    client_for(interviewer).put(
        f"/api/sessions/{session.id}/notes/",
        {"step": "data", "text": "private thought"},
        format="json",
    )
    client_for(interviewer).put(
        f"/api/sessions/{session.id}/notes/",
        {"step": "model", "text": "for you", "shared": True},
        format="json",
    )
    api = client_for(candidate)
    assert api.get(f"/api/sessions/{session.id}/scores/").status_code == 403
    assert api.get(f"/api/sessions/{session.id}/notes/").status_code == 403
    assert (
        api.put(f"/api/sessions/{session.id}/scores/", {"criterion": key, "level": 4}).status_code
        == 403
    )
    assert (
        api.put(f"/api/sessions/{session.id}/notes/", {"step": "data", "text": "hi"}).status_code
        == 403
    )
    assert api.post(f"/api/sessions/{session.id}/release/").status_code == 403
    # Feedback is released once the interview is over.
    assert client_for(interviewer).post(f"/api/sessions/{session.id}/release/").status_code == 400
    InterviewSession.objects.filter(pk=session.pk).update(status="ended")

    assert client_for(interviewer).post(f"/api/sessions/{session.id}/release/").status_code == 200
    scores = api.get(f"/api/sessions/{session.id}/scores/").json()
    assert next(s for s in scores["scores"] if s["criterion"] == key)["level"] == 2
    notes = api.get(f"/api/sessions/{session.id}/notes/").json()
    assert [n["text"] for n in notes] == ["for you"]


def test_auto_release_sessions_show_feedback_at_once(rubric, case_study, user_factory, client_for):
    from interviews.sessions import services as session_services

    host, guest = user_factory(), user_factory()
    session, invite = session_services.session_create(
        user=host, case_study=case_study, role="interviewer", auto_release=True
    )
    session_services.invite_accept(token=invite.token, user=guest)
    assert client_for(guest).get(f"/api/sessions/{session.id}/scores/").status_code == 200


def test_notes_validate_step_and_length(interview, client_for):
    session, interviewer, _ = interview
    api = client_for(interviewer)
    url = f"/api/sessions/{session.id}/notes/"
    assert api.put(url, {"step": "training", "text": "x"}).status_code == 400
    assert api.put(url, {"step": "data", "text": "x" * 20001}).status_code == 400
    assert api.put(url, {"step": "data"}).status_code == 400
    ok = api.put(url, {"step": "data", "text": "Asked about label noise."})
    assert ok.status_code == 200
    again = api.put(url, {"step": "data", "text": "Edited."})
    assert again.json()["text"] == "Edited."
    assert [n["text"] for n in api.get(url).json()] == ["Edited."]

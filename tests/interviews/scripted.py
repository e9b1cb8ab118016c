"""A scripted interview whose answers are known, built through the same services the room uses,
for the report tests and the report benchmark."""

from casestudies.framework import STEP_KEYS
from interviews import services
from interviews.models import InterviewSession
from interviews.services import room as room_services
from interviews.services.whiteboard import WhiteboardWrite, whiteboard_apply_batch


def text_element(element_id: str, text: str, version: int = 1, **extra) -> dict:
    return {
        "id": element_id,
        "type": "text",
        "x": 40.0,
        "y": 40.0 + 30 * len(element_id),
        "width": 8.0 * len(text),
        "height": 25,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "seed": 7,
        "version": version,
        "versionNonce": 11,
        "isDeleted": False,
        "text": text,
        "originalText": text,
        "fontSize": 20,
        "fontFamily": 5,
        "textAlign": "left",
        "verticalAlign": "top",
        "containerId": None,
        **extra,
    }


def box(element_id: str, version: int = 1) -> dict:
    return {
        "id": element_id,
        "type": "rectangle",
        "x": 300.0,
        "y": 100.0,
        "width": 160,
        "height": 80,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "#a5d8ff",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "seed": 3,
        "version": version,
        "versionNonce": 5,
        "isDeleted": False,
        "roundness": {"type": 3},
    }


def draw(session, user, role, *elements) -> None:
    whiteboard_apply_batch(
        [
            WhiteboardWrite(
                session_id=session.pk, user_id=user.pk, role=role, elements=list(elements)
            )
        ]
    )


def play(session, interviewer, candidate, script: dict) -> InterviewSession:
    """Run an interview: for each step in `script` (step key -> dict with optional `board`
    (list of (id, text)), `chat` (list of texts), `seconds`), move the timer there and let the
    candidate write; then set the seconds spent per step exactly and end the interview."""
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )
    for index, (step, acts) in enumerate(script.items()):
        if index:
            room_services.timer_command(
                session_id=session.pk,
                role="interviewer",
                command="timer.goto",
                fields={"step": step},
            )
        for element_id, text in acts.get("board", ()):
            draw(session, candidate, "candidate", text_element(element_id, text))
        for text in acts.get("chat", ()):
            room_services.chat_send(
                session_id=session.pk, user=candidate, role="candidate", text=text
            )
    # The timer measured wall-clock time of the test; the script says how long each step took.
    InterviewSession.objects.filter(pk=session.pk).update(
        step_seconds={step: acts.get("seconds", 0) for step, acts in script.items()}
    )
    room_services.session_end(session_id=session.pk, role="interviewer")
    return InterviewSession.objects.get(pk=session.pk)


def score_all(session, levels: dict[str, int], comment: str = "") -> None:
    for key, level in levels.items():
        services.score_set(
            session=session, role="interviewer", criterion_key=key, level=level, comment=comment
        )


ALL_STEPS = STEP_KEYS

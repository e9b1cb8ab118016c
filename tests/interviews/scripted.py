"""A scripted interview whose answers are known, built through the same services the room uses,
for the report tests and the report benchmark."""

from interviews.feedback import services as feedback_services
from interviews.models import InterviewSession
from interviews.room import services as room_services
from interviews.room.whiteboard import WhiteboardWrite, whiteboard_apply_batch
from testkit.excalidraw import element, text_element
from testkit.interviews import timer


def box(element_id: str, version: int = 1) -> dict:
    return element(element_id, version, 5, backgroundColor="#a5d8ff")


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
    timer(session, "timer.start")
    for index, (step, acts) in enumerate(script.items()):
        if index:
            timer(session, "timer.goto", step=step)
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
        feedback_services.score_set(
            session=session, role="interviewer", criterion_key=key, level=level, comment=comment
        )

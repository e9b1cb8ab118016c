import json

import pytest

from interviews.models import ChatMessage, Note, Score
from testkit.excalidraw import element

from .conftest import join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_chat_goes_both_ways_and_is_stored_as_plain_text(joined):
    session, interviewer, candidate, iw, cw = joined
    await cw.send({"type": "chat.send", "text": "  <b>Can I ask about scale?</b> "})
    got = [await s.expect("chat.message") for s in (iw, cw)]
    assert got[0] == got[1]
    assert got[0]["message"]["text"] == "<b>Can I ask about scale?</b>"
    assert got[0]["message"]["author"] == "cole" and got[0]["seq"] == 1
    await iw.send({"type": "chat.send", "text": "About 10M daily users."})
    assert (await cw.expect("chat.message"))["message"]["author"] == "iris"
    await iw.expect("chat.message")
    texts = [m.text async for m in ChatMessage.objects.order_by("seq")]
    assert texts == ["<b>Can I ask about scale?</b>", "About 10M daily users."]
    _, state = await join(candidate, session.id)
    assert [m["text"] for m in state["chat"]] == texts


async def test_chat_limits_and_resend_dedupe(interview):
    session, interviewer, candidate = interview
    cw, _ = await join(candidate, session.id)
    await cw.send({"type": "chat.send", "text": "x" * 2001})
    assert (await cw.expect("error"))["code"] == "too_large"
    await cw.send({"type": "chat.send", "text": "   "})
    assert (await cw.expect("error"))["code"] == "bad_message"
    for _ in range(2):  # the same message re-sent after a reconnect
        await cw.send({"type": "chat.send", "text": "hello", "client_id": "c-1"})
        assert (await cw.expect("chat.message"))["seq"] == 1
    assert await ChatMessage.objects.acount() == 1
    await cw.close()


async def test_candidate_never_learns_of_notes_or_scores(interview):
    """A long scripted interview: the interviewer takes notes and scores all along while the
    candidate draws and chats; nothing of the notes or scores reaches the candidate's socket,
    not even as a gap in the sequence numbers."""
    session, interviewer, candidate = interview
    iw, state_i = await join(interviewer, session.id)
    cw, state_c = await join(candidate, session.id)
    criteria = [c["key"] for c in state_i["rubric"]["criteria"]]
    secret_words = ["SECRET-NOTE", "SECRET-COMMENT"]
    await iw.send({"type": "timer.start"})
    for round_ in range(30):
        step = state_i["timer"]["steps"][round_ % 7]["key"]
        await iw.send(
            {
                "type": "note.save",
                "step": step,
                "text": f"SECRET-NOTE round {round_}",
                "shared": round_ % 2 == 0,
            }
        )
        await iw.send(
            {
                "type": "score.set",
                "criterion": criteria[round_ % len(criteria)],
                "level": 1 + round_ % 4,
                "comment": f"SECRET-COMMENT {round_}",
            }
        )
        await cw.send({"type": "whiteboard.update", "elements": [element(f"e{round_}", 1, round_)]})
        if round_ % 5 == 0:
            await cw.send({"type": "chat.send", "text": f"thinking aloud {round_}"})
    await iw.send({"type": "timer.next"})
    # Wait until the candidate has everything public, then collect what else arrives.
    await cw.expect_where("timer.state", lambda m: m["timer"]["step"] == "frame")
    await cw.drain(0.5)
    received = cw.seen
    raw = json.dumps(received)
    for word in secret_words:
        assert word not in raw
    assert not {m["type"] for m in received} & {"note.saved", "score.saved"}
    seqs = [
        m["seq"] for m in received if "seq" in m and m["type"] not in ("state", "whiteboard.ack")
    ]
    acks = [m["seq"] for m in received if m["type"] == "whiteboard.ack"]
    assert sorted(seqs + acks) == list(range(1, len(seqs + acks) + 1)), "no gaps for candidate"
    # The interviewer got every echo, and everything is stored.
    await iw.drain(0.5)
    echoes = [m for m in iw.seen if m["type"] in ("note.saved", "score.saved")]
    assert len(echoes) == 60
    assert await Note.objects.acount() == 7
    assert await Score.objects.acount() == min(30, len(criteria))
    _, fresh = await join(candidate, session.id)
    assert "SECRET" not in json.dumps(fresh)
    await iw.close()
    await cw.close()


async def test_candidate_cannot_save_notes_or_scores(interview):
    session, interviewer, candidate = interview
    cw, _ = await join(candidate, session.id)
    await cw.send({"type": "note.save", "step": "data", "text": "mine"})
    assert (await cw.expect("error"))["code"] == "forbidden"
    await cw.send({"type": "score.set", "criterion": "communication", "level": 4})
    assert (await cw.expect("error"))["code"] == "forbidden"
    assert await Note.objects.acount() == 0 and await Score.objects.acount() == 0
    await cw.close()


async def test_interviewer_tabs_all_get_note_echoes_and_state_has_them(interview):
    session, interviewer, _ = interview
    tab1, _ = await join(interviewer, session.id)
    tab2, _ = await join(interviewer, session.id)
    await tab1.send({"type": "note.save", "step": "model", "text": "Two-tower first."})
    assert (await tab2.expect("note.saved"))["note"]["text"] == "Two-tower first."
    await tab1.send({"type": "score.set", "criterion": "made-up", "level": 2})
    assert (await tab1.expect_where("error", lambda m: True))["code"] == "bad_message"
    _, state = await join(interviewer, session.id)
    assert state["notes"]["model"]["text"] == "Two-tower first."
    await tab1.close()
    await tab2.close()


@pytest.fixture
def interview_v2(make_interview):
    """An interview on version 2 of the default rubric, whose criteria carry listen-for cues."""
    from rubrics.services import RUBRIC_CONTENT_DIR, rubric_load_file

    rubric_load_file(RUBRIC_CONTENT_DIR / "ml-system-design.yaml")
    rubric_load_file(RUBRIC_CONTENT_DIR / "ml-system-design.v2.yaml")
    return make_interview()


async def test_listen_for_cards_reach_the_interviewer_only(interview_v2):
    session, interviewer, candidate = interview_v2
    iw, state_i = await join(interviewer, session.id)
    cw, state_c = await join(candidate, session.id)
    cues = [cue for c in state_i["rubric"]["criteria"] for cue in c["listen_for"]]
    anchors = [a for c in state_i["rubric"]["criteria"] for a in c["anchors"].values()]
    assert state_i["rubric"]["version"] == 2 and len(cues) >= 10
    assert state_i["rubric"]["gates"] == ["frame", "model", "evaluation"]
    await iw.send({"type": "timer.start"})
    for _ in range(3):
        await iw.send({"type": "timer.next"})
    await iw.send({"type": "score.set", "criterion": "frame", "level": 3, "comment": "ok"})
    await cw.send({"type": "chat.send", "text": "moving on"})
    await cw.expect_where("timer.state", lambda m: m["timer"]["step"] == "model")
    await cw.drain(0.5)
    _, fresh = await join(candidate, session.id)
    raw = json.dumps([state_c, *cw.seen, fresh])
    assert "listen_for" not in raw and '"rubric"' not in raw
    for text in cues + anchors:
        assert text not in raw
    await iw.close()
    await cw.close()

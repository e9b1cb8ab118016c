from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from interviews.models import InterviewSession, WhiteboardSnapshot

from .conftest import join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def both_get(sockets, kind):
    return [await s.expect(kind) for s in sockets]


async def test_only_the_interviewer_controls_the_timer(joined):
    session, interviewer, candidate, iw, cw = joined
    for command in ("timer.start", "timer.next", "timer.pause", "session.end"):
        await cw.send({"type": command, "ref": command})
        error = await cw.expect("error")
        assert (error["code"], error["ref"]) == ("forbidden", command)
    await cw.send({"type": "timer.extend", "minutes": 2})
    assert (await cw.expect("error"))["code"] == "forbidden"
    assert (
        await database_sync_to_async(InterviewSession.objects.get)(pk=session.pk)
    ).status == "scheduled"


async def test_timer_commands_reach_both_screens_with_the_same_state(joined):
    session, interviewer, candidate, iw, cw = joined

    await iw.send({"type": "timer.start"})
    started = await both_get([iw, cw], "timer.state")
    assert started[0] == started[1]
    assert started[0]["seq"] == 1
    timer = started[0]["timer"]
    assert timer["status"] == "running" and timer["step"] == "clarify"
    assert timer["segment_started_at"] <= started[0]["server_time"]
    assert [s["planned_seconds"] for s in timer["steps"]][:2] == [300, 300]

    await iw.send({"type": "timer.next"})
    nxt = await both_get([iw, cw], "timer.state")
    assert nxt[0]["timer"]["step"] == "frame" and nxt[0]["seq"] == 2
    assert nxt[0]["timer"]["steps"][0]["spent_seconds"] > 0

    await iw.send({"type": "timer.extend", "minutes": 2})
    extended = (await both_get([iw, cw], "timer.state"))[0]["timer"]
    assert extended["steps"][1]["extra_seconds"] == 120

    await iw.send({"type": "timer.pause"})
    paused = (await both_get([iw, cw], "timer.state"))[0]["timer"]
    assert paused["status"] == "paused" and paused["segment_started_at"] is None

    await iw.send({"type": "timer.resume"})
    assert (await both_get([iw, cw], "timer.state"))[0]["timer"]["status"] == "running"

    await iw.send({"type": "timer.goto", "step": "evaluation"})
    went = (await both_get([iw, cw], "timer.state"))[0]
    assert went["timer"]["step"] == "evaluation" and went["seq"] == 6

    # Each step change snapshots the board of the step that was left.
    steps = await database_sync_to_async(
        lambda: list(WhiteboardSnapshot.objects.values_list("step", flat=True))
    )()
    assert steps == ["clarify", "frame"]


async def test_timer_state_survives_in_the_database(interview):
    session, interviewer, _ = interview
    iw, _ = await join(interviewer, session.id)
    await iw.send({"type": "timer.start"})
    await iw.expect("timer.state")
    await iw.send({"type": "timer.next"})
    before = (await iw.expect("timer.state"))["timer"]
    await iw.close()
    again, state = await join(interviewer, session.id)
    assert state["timer"] == before
    assert state["seq"] == 2
    await again.close()


async def test_timer_commands_before_start_and_after_the_last_step_are_refused(interviewer_joined):
    session, iw = interviewer_joined
    await iw.send({"type": "timer.next"})
    assert (await iw.expect("error"))["code"] == "not_started"
    await iw.send({"type": "timer.start"})
    await iw.expect("timer.state")
    await iw.send({"type": "timer.goto", "step": "monitoring"})
    await iw.expect("timer.state")
    await iw.send({"type": "timer.next"})
    assert (await iw.expect("error"))["code"] == "bad_message"


async def test_auto_advance_moves_on_when_the_step_time_is_up(make_interview):
    session, interviewer, candidate = await database_sync_to_async(make_interview)(
        auto_advance=True
    )
    iw, _ = await join(interviewer, session.id)
    await iw.send({"type": "timer.start"})
    await iw.expect("timer.state")
    await iw.close()
    # Pretend the first step started long enough ago for its 5 minutes to be up.
    await InterviewSession.objects.filter(pk=session.pk).aupdate(
        segment_started_at=timezone.now() - timedelta(minutes=5, seconds=1)
    )
    cw, state = await join(candidate, session.id)
    assert state["timer"]["step"] == "clarify"
    advanced = await cw.expect("timer.state")
    assert advanced["timer"]["step"] == "frame"
    assert advanced["timer"]["steps"][0]["spent_seconds"] >= 300
    await cw.close()

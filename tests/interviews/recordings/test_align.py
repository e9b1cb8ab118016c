"""The pure parts: which step speech belongs to, speaking time, the recognizer's vocabulary and
the upload's file signature check."""

import pytest

from interviews.recordings.align import StepChange, align_segments, changes_from_log, step_at
from interviews.recordings.audio import UnsupportedAudio, check_audio
from interviews.recordings.transcript import speaking_time
from interviews.recordings.vocabulary import hotwords_for
from tests.factories import make_guide

CHANGES = [
    StepChange(1000, "clarify", started=False),  # the room opened, timer not started
    StepChange(2000, "clarify"),  # timer.start
    StepChange(60_000, "frame"),  # timer.next
    StepChange(90_000, "frame"),  # paused
    StepChange(120_000, "data"),  # timer.goto
]


def test_speech_belongs_to_the_step_current_at_its_middle():
    assert align_segments(
        [
            (0, 500),  # before anything was logged
            (1500, 1900),  # before the timer started
            (3000, 5000),  # clarify
            (55_000, 63_000),  # straddles the change, mostly before it: clarify
            (58_000, 70_000),  # straddles it, mostly after: frame
            (95_000, 99_000),  # during the pause: still frame
            (200_000, 201_000),  # the last step runs on
        ],
        CHANGES,
    ) == ["", "", "clarify", "clarify", "frame", "frame", "data"]


def test_a_segment_with_its_end_before_its_start_is_placed_at_its_start():
    assert align_segments([(61_000, 10)], CHANGES) == ["frame"]


def test_step_at_and_the_log_reader_agree():
    log = [
        (120_000, {"type": "timer.state", "timer": {"step": "data", "status": "running"}}),
        (1000, {"type": "timer.state", "timer": {"step": "clarify", "status": "not_started"}}),
        (2000, {"type": "timer.state", "timer": {"step": "clarify", "status": "running"}}),
        (60_000, {"type": "timer.state", "timer": {"step": "frame", "status": "running"}}),
        (90_000, {"type": "timer.state", "timer": {"step": "frame", "status": "paused"}}),
        (130_000, {"type": "something.else"}),
    ]
    changes = changes_from_log(log)
    assert changes == CHANGES
    assert [step_at(changes, t) for t in (0, 1500, 2000, 89_999, 150_000)] == [
        "",
        "",
        "clarify",
        "frame",
        "data",
    ]


def test_speaking_time_per_person_and_per_step():
    spoken = speaking_time(
        [
            ("interviewer", "clarify", 0, 10_000),
            ("candidate", "clarify", 10_000, 40_000),
            ("candidate", "frame", 40_000, 50_000),
            ("candidate", "", 0, 1000),  # before the timer: the total only
            ("observer", "frame", 0, 99_000),  # observers do not speak
        ]
    )
    assert spoken["total"] == {
        "interviewer_seconds": 10.0,
        "candidate_seconds": 41.0,
        "candidate_share": round(41 / 51, 3),
    }
    steps = {row["step"]: row for row in spoken["steps"]}
    assert steps["clarify"]["candidate_share"] == 0.75
    assert steps["frame"]["candidate_share"] == 1.0
    assert steps["data"]["candidate_share"] is None and steps["data"]["candidate_seconds"] == 0


GUIDE = make_guide(
    {
        "evaluation": [
            ("Ranking metrics", ["NDCG", "MRR", "mean reciprocal rank"]),
            ("Online experiment", ["A/B test", "interleaving"]),
        ],
        "model": [("Two-tower retrieval", ["two-tower", "dual encoder"])],
        "serving": [("Latency budget", ["p99 latency", "query + cache"])],
    }
)


def test_hotwords_hold_the_current_step_first_then_the_technical_terms():
    words = hotwords_for(GUIDE, "model").split(", ")
    assert words[:3] == ["Two-tower retrieval", "two-tower", "dual encoder"]
    assert words.index("NDCG") < words.index("Ranking metrics")
    assert "p99 latency" in words and "query cache" in words  # the alias syntax is dropped
    assert len(words) == len({w.casefold() for w in words})


def test_hotwords_fit_the_prompt_for_every_case_in_the_bank():
    from casestudies.services import content_files, read_case_study_file

    for path in content_files():
        guide = read_case_study_file(path)["guide"]
        words = hotwords_for(guide, "evaluation")
        assert 0 < len(words) <= 450, path


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("audio/webm;codecs=opus", b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm", "audio/webm"),
        ("AUDIO/OGG; codecs=opus", b"OggS\x00\x02", "audio/ogg"),
    ],
)
def test_webm_and_ogg_pass_the_signature_check(content_type, body, kind):
    assert check_audio(content_type, body) == kind


@pytest.mark.parametrize(
    ("content_type", "body"),
    [(None, b"OggS"), ("audio/ogg", b"\x1a\x45\xdf\xa3webm"), ("video/webm", b"\x1a\x45\xdf\xa3")],
)
def test_anything_else_fails_it(content_type, body):
    with pytest.raises(UnsupportedAudio):
        check_audio(content_type, body)

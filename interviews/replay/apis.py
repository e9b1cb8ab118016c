"""HTTP API of the replay: the ended interview's timeline, chat, transcript, audio tracks and
board pages (and the interviewer's markers), and each page of the board. Thin: check who asks,
build the keyframes the first time, read, answer."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import STEP_CHOICES, FeedbackChange, Role
from .selectors import ReplayNotReady, board_page_text, replay_for, replay_session_for_user
from .services import board_keyframes_ensure

MS = "ms since the epoch, server clock"


class NotEnded(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ended"
    default_detail = "The replay opens once the interview has ended."


def _ended_session(request, session_id):
    try:
        session, role = replay_session_for_user(user=request.user, session_id=session_id)
    except ReplayNotReady as exc:
        raise NotEnded() from exc
    board_keyframes_ensure(session=session)
    return session, role


class ReplayCaseStudy(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class ReplaySession(serializers.Serializer):
    id = serializers.UUIDField()
    case_study = ReplayCaseStudy()


class ReplayParticipant(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


class ReplayStep(serializers.Serializer):
    key = serializers.ChoiceField(choices=STEP_CHOICES)
    title = serializers.CharField()
    planned_seconds = serializers.IntegerField()


class ReplaySegment(serializers.Serializer):
    step = serializers.ChoiceField(choices=STEP_CHOICES)
    start = serializers.IntegerField(help_text=MS)
    end = serializers.IntegerField(help_text=MS)
    running = serializers.BooleanField(help_text="false: the clock was paused on this step")


class ReplayTimeline(serializers.Serializer):
    start = serializers.IntegerField(help_text=f"when the interview started, {MS}")
    end = serializers.IntegerField(help_text=f"when it ended, {MS}")
    steps = ReplayStep(many=True)
    segments = ReplaySegment(many=True)


class ReplayBoardPage(serializers.Serializer):
    index = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="the keyframe is the board after this event")
    last_seq = serializers.IntegerField(help_text="the page's changes end with this event")
    start = serializers.IntegerField(help_text=f"the keyframe's moment, {MS}")
    end = serializers.IntegerField(help_text=f"the next keyframe's moment (or the end), {MS}")


class ReplayBoard(serializers.Serializer):
    pages = ReplayBoardPage(many=True)


class ReplayChat(serializers.Serializer):
    seq = serializers.IntegerField()
    author = serializers.CharField()
    author_id = serializers.IntegerField()
    text = serializers.CharField()
    at = serializers.IntegerField(help_text=MS)


class ReplayWord(serializers.Serializer):
    w = serializers.CharField()
    s = serializers.IntegerField(help_text=MS)
    e = serializers.IntegerField(help_text=MS)


class ReplaySpeech(serializers.Serializer):
    id = serializers.IntegerField()
    speaker_id = serializers.IntegerField(help_text="the speaker's user id")
    speaker = serializers.CharField()
    role = serializers.ChoiceField(choices=[Role.INTERVIEWER, Role.CANDIDATE])
    start = serializers.IntegerField(help_text=MS)
    end = serializers.IntegerField(help_text=MS)
    text = serializers.CharField()
    step = serializers.ChoiceField(choices=STEP_CHOICES, allow_null=True)
    words = ReplayWord(many=True)


class ReplayChunk(serializers.Serializer):
    id = serializers.IntegerField(help_text="GET /api/sessions/<id>/recording/audio/<this>/")
    index = serializers.IntegerField()
    start = serializers.IntegerField(help_text=MS)
    duration = serializers.IntegerField(help_text="ms")
    content_type = serializers.CharField()


class ReplayTrack(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=[Role.INTERVIEWER, Role.CANDIDATE])
    chunks = ReplayChunk(many=True, help_text="audio still kept, in time order; gaps allowed")


class ReplayMarker(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeedbackChange.Kind.choices)
    key = serializers.CharField(help_text="the note's step or the score's criterion")
    title = serializers.CharField()
    at = serializers.IntegerField(help_text=MS)
    level = serializers.IntegerField(allow_null=True)
    shared = serializers.BooleanField(allow_null=True)
    excerpt = serializers.CharField(allow_blank=True, help_text="the note's or comment's start")
    truncated = serializers.BooleanField()


class ReplayOutput(serializers.Serializer):
    session = ReplaySession()
    role = serializers.ChoiceField(choices=Role.choices, help_text="the requester's role")
    participants = ReplayParticipant(many=True)
    timeline = ReplayTimeline()
    board = ReplayBoard()
    chat = ReplayChat(many=True)
    transcript = ReplaySpeech(many=True)
    audio = ReplayTrack(many=True)
    markers = ReplayMarker(
        many=True,
        required=False,
        help_text="the interviewer's note and score changes; present only for the interviewer",
    )


class ReplayChange(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.IntegerField(help_text=f"{MS}; never earlier than the change before")
    user_id = serializers.IntegerField(allow_null=True)
    elements = serializers.ListField(
        child=serializers.DictField(), help_text="Excalidraw elements, put in by id"
    )


class ReplayBoardPageOutput(serializers.Serializer):
    index = serializers.IntegerField()
    seq = serializers.IntegerField()
    at = serializers.IntegerField(help_text=MS)
    elements = serializers.ListField(
        child=serializers.DictField(), help_text="the board after event `seq`, tombstones included"
    )
    changes = ReplayChange(many=True, help_text="in seq order, up to the next keyframe")


class ReplayApi(APIView):
    """The replay of an ended interview, for its participants (404 for anyone else, 409 before
    the end). `markers` only for the interviewer."""

    @extend_schema(responses={200: ReplayOutput})
    def get(self, request, session_id):
        session, role = _ended_session(request, session_id)
        return Response(ReplayOutput(replay_for(session=session, role=role)).data)


class ReplayBoardPageApi(APIView):
    """One page of the replay's board: a keyframe and the changes up to the next one."""

    @extend_schema(responses={200: ReplayBoardPageOutput})
    def get(self, request, session_id, index: int):
        session, _ = _ended_session(request, session_id)
        # The keyframe is stored as JSON text and sent without being parsed again.
        return HttpResponse(board_page_text(session, index), content_type="application/json")

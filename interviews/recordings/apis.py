"""HTTP API of the recording feature (docs/recording.md). Thin: parse, call a service or
selector, answer."""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..limits import MAX_AUDIO_CHUNK_BYTES, MAX_SAFE_INTEGER
from . import services
from .selectors import (
    audio_chunk_get_for_user,
    chunk_data,
    participant_get_for_user,
    recording_status_for,
)


class ChunkOutput(serializers.Serializer):
    index = serializers.IntegerField()
    start = serializers.IntegerField(help_text="ms since the epoch, server clock")
    duration = serializers.IntegerField(help_text="ms")
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    status = serializers.ChoiceField(choices=["pending", "transcribed", "failed"])
    reason = serializers.CharField(help_text="why transcription failed; empty otherwise")


class ConsentsOutput(serializers.Serializer):
    interviewer = serializers.BooleanField(allow_null=True)
    candidate = serializers.BooleanField(allow_null=True)


class LimitsOutput(serializers.Serializer):
    max_chunk_bytes = serializers.IntegerField()
    max_bytes_per_participant = serializers.IntegerField()
    max_chunk_ms = serializers.IntegerField()
    content_types = serializers.ListField(child=serializers.CharField())


class CountsOutput(serializers.Serializer):
    pending = serializers.IntegerField()
    transcribed = serializers.IntegerField()
    failed = serializers.IntegerField()


class RecordingStatusOutput(serializers.Serializer):
    state = serializers.ChoiceField(choices=["pending", "refused", "active", "closed"])
    consents = ConsentsOutput()
    my_consent = serializers.BooleanField(allow_null=True)
    active_since = serializers.IntegerField(allow_null=True)
    uploads_until = serializers.IntegerField(allow_null=True)
    server_time = serializers.IntegerField()
    limits = LimitsOutput()
    chunks = ChunkOutput(many=True, help_text="the requester's own chunks, by index")
    transcription = CountsOutput()


class RecordingErrorOutput(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


def _refused(exc: services.RecordingRefused) -> Response:
    return Response({"detail": exc.message, "code": exc.code}, status=exc.status)


def _status(participant) -> Response:
    return Response(RecordingStatusOutput(recording_status_for(participant=participant)).data)


class RecordingApi(APIView):
    @extend_schema(responses=RecordingStatusOutput)
    def get(self, request, session_id):
        participant = participant_get_for_user(user=request.user, session_id=session_id)
        return _status(participant)

    @extend_schema(request=None, responses={200: RecordingStatusOutput, 403: RecordingErrorOutput})
    def delete(self, request, session_id):
        """Delete both participants' audio and the session's transcript, for good."""
        participant = participant_get_for_user(user=request.user, session_id=session_id)
        try:
            services.recordings_delete(participant=participant)
        except services.RecordingRefused as exc:
            return _refused(exc)
        return _status(participant)


class RecordingConsentApi(APIView):
    class Input(serializers.Serializer):
        consent = serializers.BooleanField()

    @extend_schema(
        request=Input,
        responses={
            200: RecordingStatusOutput,
            403: RecordingErrorOutput,
            409: RecordingErrorOutput,
        },
    )
    def post(self, request, session_id):
        participant = participant_get_for_user(user=request.user, session_id=session_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.consent_set(participant=participant, consented=data.validated_data["consent"])
        except services.RecordingRefused as exc:
            return _refused(exc)
        return _status(participant)


class RecordingChunkApi(APIView):
    class Params(serializers.Serializer):
        start = serializers.IntegerField(min_value=0, max_value=MAX_SAFE_INTEGER)
        duration = serializers.IntegerField(min_value=0, max_value=MAX_SAFE_INTEGER)

    @extend_schema(
        parameters=[Params],
        request={"audio/webm": OpenApiTypes.BINARY, "audio/ogg": OpenApiTypes.BINARY},
        responses={
            200: ChunkOutput,
            201: ChunkOutput,
            **dict.fromkeys((400, 403, 409, 413, 415), RecordingErrorOutput),
        },
        description="Upload chunk `index` of your recording (docs/recording.md).",
    )
    def put(self, request, session_id, index: int):
        participant = participant_get_for_user(user=request.user, session_id=session_id)
        params = self.Params(data=request.query_params)
        if not params.is_valid():
            return Response(
                {"detail": "start and duration (ms) are required.", "code": "bad_request"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        # Refuse an oversized body by its declared length, before reading it into memory.
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_AUDIO_CHUNK_BYTES:
            return _refused(
                services.RecordingRefused(
                    413, "too_large", f"A chunk holds at most {MAX_AUDIO_CHUNK_BYTES} bytes."
                )
            )
        try:
            chunk, created = services.chunk_store(
                participant=participant,
                index=index,
                start_ms=params.validated_data["start"],
                duration_ms=params.validated_data["duration"],
                content_type=request.content_type,
                body=request.body,
            )
        except services.RecordingRefused as exc:
            return _refused(exc)
        chunk.refresh_from_db()  # inline (embedded default), it may be transcribed already
        return Response(ChunkOutput(chunk_data(chunk)).data, status=201 if created else 200)


# One range of bytes ("bytes=0-", "bytes=100-199", "bytes=-500"), all a media element asks for.
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class RecordingAudioApi(APIView):
    """One chunk's audio, for the replay. Chunks are at most MAX_AUDIO_CHUNK_BYTES, so the
    file is read whole; a single byte range is answered (206), since media elements seek by
    asking for one."""

    @extend_schema(
        responses={
            (200, "audio/webm"): OpenApiTypes.BINARY,
            (206, "audio/webm"): OpenApiTypes.BINARY,
            (200, "audio/ogg"): OpenApiTypes.BINARY,
            (206, "audio/ogg"): OpenApiTypes.BINARY,
        },
        description="A chunk's audio, for participants while it is kept (404 after deletion).",
    )
    def get(self, request, session_id, chunk_id: int):
        chunk = audio_chunk_get_for_user(
            user=request.user, session_id=session_id, chunk_id=chunk_id
        )
        try:
            with chunk.file.open("rb") as handle:
                data = handle.read(MAX_AUDIO_CHUNK_BYTES + 1)
        except OSError as exc:  # the file went between the row's read and this one
            raise Http404("No such recording.") from exc
        size = len(data)
        wanted = _RANGE.fullmatch(request.headers.get("Range", "").strip())
        status_code, body, extra = 200, data, {}
        if wanted and (wanted[1] or wanted[2]):
            if wanted[1]:
                first = int(wanted[1])
                last = min(int(wanted[2]), size - 1) if wanted[2] else size - 1
            else:  # the last N bytes
                first, last = max(0, size - int(wanted[2])), size - 1
            if first >= size or first > last:
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{size}"
                return _private(response)
            status_code, body = 206, data[first : last + 1]
            extra["Content-Range"] = f"bytes {first}-{last}/{size}"
        response = HttpResponse(body, status=status_code, content_type=chunk.content_type)
        response["Accept-Ranges"] = "bytes"
        for header, value in extra.items():
            response[header] = value
        return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    """Someone's voice: no shared cache keeps it, and no browser guesses another type."""
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

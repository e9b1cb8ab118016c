import json
import uuid

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import models

from casestudies.framework import STEPS
from casestudies.models import CaseStudy
from rubrics.models import Criterion, Rubric
from rubrics.scoring import DEFAULT_TARGET_LEVEL, TARGET_LEVEL_CHOICES

STEP_CHOICES = [(step.key, step.title) for step in STEPS]


class Role(models.TextChoices):
    INTERVIEWER = "interviewer", "Interviewer"
    CANDIDATE = "candidate", "Candidate"
    OBSERVER = "observer", "Observer"


class InterviewSession(models.Model):
    """One mock interview. Timer fields are the server's authoritative clock (see timers.py)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_study = models.ForeignKey(CaseStudy, on_delete=models.PROTECT, related_name="sessions")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="sessions")
    # The level the candidate is judged against ("meets senior"), where the rubric has bars.
    target_level = models.CharField(
        max_length=10,
        choices=TARGET_LEVEL_CHOICES,
        default=DEFAULT_TARGET_LEVEL,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="created_sessions"
    )
    # Minutes per step, every framework step present, in framework order.
    plan = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    auto_advance = models.BooleanField(default=False)
    # Candidate sees scores and the report without waiting for the interviewer to release them.
    auto_release = models.BooleanField(default=False)
    feedback_released_at = models.DateTimeField(null=True, blank=True)
    board_locked = models.BooleanField(default=False)

    # Timer: index of the current step; while running, the current segment began at
    # `segment_started_at`. `step_seconds` holds closed segments per step; `step_extra_seconds`
    # the minutes added with timer.extend (in seconds).
    current_step = models.PositiveSmallIntegerField(default=0)
    timer_running = models.BooleanField(default=False)
    segment_started_at = models.DateTimeField(null=True, blank=True)
    step_seconds = models.JSONField(default=dict, blank=True)
    step_extra_seconds = models.JSONField(default=dict, blank=True)

    # Per-session sequence number of messages that must not be lost (room protocol).
    seq = models.BigIntegerField(default=0)
    # The stored board's size (elements, tombstones included, and their JSON bytes), kept by
    # the whiteboard writer so the per-session cap costs no query (interviews/limits.py).
    board_elements = models.PositiveIntegerField(default=0)
    board_bytes = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "scheduled_for"])]

    def __str__(self) -> str:
        return f"{self.case_study} ({self.get_status_display()})"

    @property
    def feedback_released(self) -> bool:
        return self.auto_release or self.feedback_released_at is not None


class Participant(models.Model):
    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="participant_once"),
            # One interviewer and one candidate per session; observers are unlimited.
            models.UniqueConstraint(
                fields=["session", "role"],
                condition=models.Q(role__in=["interviewer", "candidate"]),
                name="participant_role_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}"


class Invite(models.Model):
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=12, choices=Role.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invite as {self.role} to {self.session_id}"


class Score(models.Model):
    """The interviewer's level for one rubric criterion, with a comment."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=4),
                name="score_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.level}"


class Note(models.Model):
    """The interviewer's private notes for one step; `shared` lets them into the report."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="notes")
    step = models.CharField(max_length=20, choices=STEP_CHOICES)
    text = models.TextField(blank=True)
    shared = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "step"], name="note_once")]

    def __str__(self) -> str:
        return f"note on {self.step}"


class ChatMessage(models.Model):
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="chat")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    seq = models.BigIntegerField()
    # Client-chosen id, so a message re-sent after a reconnect is stored once.
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["session", "seq"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="chat_client_id_once",
            )
        ]

    def __str__(self) -> str:
        return self.text[:50]


class Report(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    session = models.OneToOneField(
        InterviewSession, on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    content = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # How many times a build ran to the end: once per request, however often it was delivered.
    completions = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"report {self.status}"


class ReportOverride(models.Model):
    """The interviewer's confirmation or rejection of one credit or one pitfall of the report,
    made before feedback is released. Every build applies the overrides whose item it still
    produces (interviews.reports.overrides)."""

    class Kind(models.TextChoices):
        CREDIT = "credit", "Concept credit"
        PITFALL = "pitfall", "Pitfall"

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="report_overrides"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A credit's "step:concept name", a pitfall's code.
    key = models.CharField(max_length=300)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind", "key"], name="override_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.decision}"


class SelfAssessment(models.Model):
    """The candidate's own level (1..4) per step, given at the end; the report shows the gap to
    the interviewer's levels."""

    session = models.OneToOneField(
        InterviewSession, on_delete=models.CASCADE, related_name="self_assessment"
    )
    levels = models.JSONField()  # step key -> level
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"self-assessment for {self.session_id}"


class RoomEvent(models.Model):
    """The room's log of messages that must not be lost, one row per `seq`.

    Clients that missed messages replay them from here; whiteboard events hold exactly the
    elements that were accepted, so the board can be replayed step by step later.
    """

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    type = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The message as sent, JSON text. Text, not jsonb: the database stores it without parsing
    # it (twenty whiteboard updates a second per person), and readers parse what they read.
    payload = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["session", "seq"], name="event_seq_once")]

    def __str__(self) -> str:
        return f"{self.type} #{self.seq}"

    @property
    def message(self) -> dict:
        return json.loads(self.payload)


class WhiteboardElement(models.Model):
    """The merged scene: the winning version of each Excalidraw element (deletions are kept as
    tombstones, as Excalidraw does, so a late stale copy cannot resurrect them)."""

    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="whiteboard_elements"
    )
    element_id = models.CharField(max_length=64)
    version = models.BigIntegerField()
    version_nonce = models.BigIntegerField()
    is_deleted = models.BooleanField(default=False)
    # The element's JSON text as the client sent it (text for the same reason as the log).
    data = models.TextField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "element_id"], name="element_once")
        ]

    def __str__(self) -> str:
        return f"{self.element_id} v{self.version}"

    @property
    def element(self) -> dict:
        return json.loads(self.data)


class WhiteboardSnapshot(models.Model):
    """The whole scene at a step change or at the end, for the report."""

    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="snapshots"
    )
    step = models.CharField(max_length=20, choices=STEP_CHOICES)
    reason = models.CharField(max_length=20)  # "step_change" | "end"
    seq = models.BigIntegerField()
    elements = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"snapshot at {self.step} ({self.reason})"


class BoardKeyframe(models.Model):
    """The whole board after event `seq` of an ended session's log, so that a replay reads one
    keyframe and the few changes after it rather than the log from the start. Derived data:
    built once from RoomEvent (interviews/replay/services.py), since an ended session's log
    never changes; `at_ms` is the replay time of that event."""

    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="board_keyframes"
    )
    seq = models.BigIntegerField()
    at_ms = models.BigIntegerField()
    # The scene as JSON text (a list of elements, tombstones included), served without parsing.
    elements = models.TextField()

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="board_keyframe_once")
        ]

    def __str__(self) -> str:
        return f"keyframe at #{self.seq}"


class FeedbackChange(models.Model):
    """One change of the interviewer's notes or scores, with when it was made: the replay's
    markers. Not in RoomEvent: every participant reads that log's `seq`, and an
    interviewer-only entry there would leave a gap the candidate could see. Saves of the same
    note or score close together are merged into one change (interviews/feedback/services.py)."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        SCORE = "score", "Score"

    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="feedback_changes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64)  # the note's step, the score's criterion
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # scores only
    text = models.TextField(blank=True)  # the note's text, the score's comment
    shared = models.BooleanField(null=True, blank=True)  # notes only
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["session", "kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} at {self.at}"


class RoomConnection(models.Model):
    """One open websocket. Presence is derived from these rows; a server that dies without
    cleaning up leaves rows whose `last_seen` stops moving, and they stop counting."""

    id = models.CharField(primary_key=True, max_length=64)
    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="connections"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    connected_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["session", "last_seen"])]

    def __str__(self) -> str:
        return self.id


# --- recordings: audio bytes live in file storage, never in the database ----------------------


def recordings_storage():
    """The storage for audio files: the `recordings` entry of STORAGES when one is configured
    (an object store, a private bucket), else the default storage (under MEDIA_ROOT)."""
    if "recordings" in settings.STORAGES:
        return storages["recordings"]
    return default_storage


def chunk_path(chunk: "AudioChunk", filename: str) -> str:
    extension = "ogg" if chunk.content_type == "audio/ogg" else "webm"
    return f"recordings/{chunk.session_id}/{chunk.participant_id}/{chunk.index:05d}.{extension}"


class RecordingConsent(models.Model):
    """One participant's answer to "may this interview be recorded?". `consented_at` is when the
    latest yes was given; recording is active from the later of the two participants' yeses."""

    session = models.ForeignKey(
        "interviews.InterviewSession", on_delete=models.CASCADE, related_name="recording_consents"
    )
    participant = models.OneToOneField(
        "interviews.Participant", on_delete=models.CASCADE, related_name="recording_consent"
    )
    consented = models.BooleanField()
    consented_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"consent {self.consented} by {self.participant_id}"


class AudioChunk(models.Model):
    """One uploaded piece of a participant's microphone recording: a standalone WebM or Ogg file
    of about ten seconds. `start_ms` is the absolute time of its first sample (server clock)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        TRANSCRIBED = "transcribed", "Transcribed"
        FAILED = "failed", "Failed"

    session = models.ForeignKey(
        "interviews.InterviewSession", on_delete=models.CASCADE, related_name="audio_chunks"
    )
    participant = models.ForeignKey(
        "interviews.Participant", on_delete=models.CASCADE, related_name="audio_chunks"
    )
    index = models.PositiveIntegerField()
    start_ms = models.BigIntegerField()
    duration_ms = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=20)
    # Empty once the audio was deleted (retention); the row stays for the transcript's sake.
    file = models.FileField(upload_to=chunk_path, storage=recordings_storage, max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    transcribed_at = models.DateTimeField(null=True, blank=True)
    audio_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "index"], name="audio_chunk_index_once")
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"chunk {self.index} of {self.participant_id} ({self.status})"


class TranscriptSegment(models.Model):
    """A stretch of speech as the recognizer split it, with its speaker and absolute times.
    `words` is a list of {"w": word, "s": start ms, "e": end ms, "p": probability}."""

    session = models.ForeignKey(
        "interviews.InterviewSession", on_delete=models.CASCADE, related_name="transcript"
    )
    chunk = models.ForeignKey(AudioChunk, on_delete=models.CASCADE, related_name="segments")
    speaker = models.ForeignKey(
        "interviews.Participant", on_delete=models.CASCADE, related_name="transcript_segments"
    )
    start_ms = models.BigIntegerField()
    end_ms = models.BigIntegerField()
    text = models.TextField()
    words = models.JSONField(default=list)
    # The step that was current at the segment's middle; empty before the timer started.
    step = models.CharField(max_length=20, choices=STEP_CHOICES, blank=True)

    class Meta:
        ordering = ["start_ms", "id"]
        indexes = [models.Index(fields=["session", "start_ms"])]

    def __str__(self) -> str:
        return self.text[:50]

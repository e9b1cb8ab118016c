import json
import uuid

from django.conf import settings
from django.db import models

from casestudies.framework import STEPS
from casestudies.models import CaseStudy
from rubrics.models import Criterion, Rubric

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

"""Peer practice: who wants to practise and when, the requests the matcher pairs, the pairings
(two interviews with roles swapped), and what follows them (reminders, strikes, ratings,
blocks). The interviews themselves are `interviews.InterviewSession` rows."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from casestudies.models import CaseStudy
from interviews.models import InterviewSession

User = settings.AUTH_USER_MODEL

# Local times in availability are minutes since midnight, on a half-hour grid.
SLOT_STEP_MINUTES = 30
MINUTES_PER_DAY = 24 * 60


class Level(models.TextChoices):
    """An ordered scale: matching allows partners at most one step apart (see `level_rank`)."""

    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"


LEVEL_ORDER = [Level.MID, Level.SENIOR, Level.STAFF]


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


class PracticeProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="practice_profile")
    target_role = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.SENIOR)
    # Case-study domain keys (casestudies.guide.DOMAINS); empty means any.
    domains = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    # ISO 639-1 codes, lower case; partners need one in common.
    languages = models.JSONField(default=list, blank=True)
    # Set when a second strike within the window lands (services.strike_record).
    suspended_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"practice profile of {self.user_id}"


class AvailabilitySlot(models.Model):
    """A weekly window in the owner's time zone: weekday 0 = Monday."""

    profile = models.ForeignKey(PracticeProfile, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField()
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__lte=6)
                & Q(start_minute__lt=models.F("end_minute"))
                & Q(end_minute__lte=MINUTES_PER_DAY),
                name="slot_in_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"day {self.weekday} {self.start_minute}-{self.end_minute}"


class Pairing(models.Model):
    """Two people who interview each other back to back: interview 1, then 2 with roles
    swapped, from `starts_at`."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"
        DONE = "done", "Done"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_a = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    user_b = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Bumped on every change of time or status: calendar clients replace the event by it.
    sequence = models.PositiveIntegerField(default=0)
    proposed_starts_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(user_a=models.F("user_b")), name="pairing_two")
        ]

    def __str__(self) -> str:
        return f"pairing {self.pk} ({self.status})"

    def user_ids(self) -> tuple[int, int]:
        return (self.user_a_id, self.user_b_id)

    def partner_id(self, user_id: int) -> int:
        return self.user_b_id if user_id == self.user_a_id else self.user_a_id


class PairingSeat(models.Model):
    """A user's place in a pairing. At most one active seat per user, enforced by the database:
    the last guard against two matchers putting one person in two pairings."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="practice_seats")
    active = models.BooleanField(default=True)
    # When the user said they were there (the pairing page's "I'm here"), for no-shows.
    arrived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pairing", "user"], name="seat_once"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(active=True), name="one_active_pairing_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"seat of {self.user_id} in {self.pairing_id}"


class PairingInterview(models.Model):
    """One of the pairing's two interviews. `session` is gone when the pairing was called off
    before it started (the empty session is discarded)."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="interviews")
    order = models.PositiveSmallIntegerField()  # 1 or 2
    session = models.OneToOneField(
        InterviewSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_interview",
    )
    interviewer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    case_study = models.ForeignKey(CaseStudy, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "order"], name="pairing_interview_once"),
            models.CheckConstraint(condition=Q(order__in=[1, 2]), name="pairing_interview_order"),
        ]

    def __str__(self) -> str:
        return f"interview {self.order} of {self.pairing_id}"


class PracticeRequest(models.Model):
    """Someone asking for a partner: now (the waiting room) or within one concrete occurrence
    of one of their availability slots. The window is in UTC; the pairing starts inside it and
    fits in it."""

    class Kind(models.TextChoices):
        NOW = "now", "Now"
        SLOT = "slot", "Slot"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        MATCHED = "matched", "Matched"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="practice_requests")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    pairing = models.ForeignKey(
        Pairing, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "window_start"], name="request_status_start"),
            # The matcher's walk, oldest first: read in index order, no sort of the whole pool.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="waiting"),
                name="request_waiting_by_age",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="waiting"), name="one_waiting_request_per_user"
            ),
            models.CheckConstraint(
                condition=Q(window_start__lt=models.F("window_end")), name="request_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} request of {self.user_id} ({self.status})"


class ReminderSent(models.Model):
    """One reminder e-mail that went out; unique, so a reminder is never sent twice for the
    same start time (a rescheduled pairing gets fresh ones)."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8)  # "24h" | "15m"
    for_start = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "user", "kind", "for_start"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.user_id}"


class Strike(models.Model):
    class Kind(models.TextChoices):
        LATE_CANCEL = "late_cancel", "Late cancellation"
        NO_SHOW = "no_show", "No-show"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="practice_strikes")
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="strikes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "pairing"], name="strike_once_per_pairing")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"


class Block(models.Model):
    """`blocker` never wants to be matched with `blocked` again; `report` asks the moderators
    to look at the reason."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="practice_blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    report = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="block_other"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class PeerRating(models.Model):
    """The candidate's rating of their interviewer in one interview of a pairing."""

    interview = models.OneToOneField(
        PairingInterview, on_delete=models.CASCADE, related_name="rating"
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="ratings_received")
    preparedness = models.PositiveSmallIntegerField()
    hint_clarity = models.PositiveSmallIntegerField()
    feedback_quality = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    # When the one rated was told they may read it (at the second rating, or 48 h after this one).
    reveal_announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(preparedness__gte=1, preparedness__lte=4)
                & Q(hint_clarity__gte=1, hint_clarity__lte=4)
                & Q(feedback_quality__gte=1, feedback_quality__lte=4),
                name="rating_range",
            )
        ]

    def __str__(self) -> str:
        return f"rating of {self.subject_id}"

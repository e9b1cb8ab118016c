"""Writes for peer practice: profiles, availability, requests, the pairing's schedule,
cancellations, no-shows and strikes, ratings and blocks. Keyword-only; permission checks live
here so every caller (HTTP, tasks, the benchmark) gets the same rules."""

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from casestudies.guide import DOMAINS
from casestudies.models import CaseStudy

from . import notices, sessions_bridge
from .availability import AvailabilityError, Slot, slot_window, slots_check, zone_check
from .models import (
    AvailabilitySlot,
    Block,
    Level,
    Pairing,
    PairingInterview,
    PairingSeat,
    PeerRating,
    PracticeProfile,
    PracticeRequest,
    Strike,
)
from .scoring import INTERVIEW_MINUTES, PAIRING_DURATION
from .selectors import RATING_REVEAL_AFTER, suspended_until

# How long someone waits in the waiting room before the request lapses.
WAITING_ROOM_MINUTES = 30
# How far ahead a slot may be asked for.
SLOT_HORIZON = timedelta(days=28)
LATE_CANCEL_BEFORE = timedelta(hours=12)
NO_SHOW_AFTER = timedelta(minutes=10)
STRIKE_WINDOW = timedelta(days=30)
STRIKES_TO_SUSPEND = 2
SUSPENSION = timedelta(days=7)
# A pairing still open this long after its start is over, however its sessions went.
PAIRING_CLOSES_AFTER = timedelta(hours=4)
MAX_LANGUAGES = 10
MAX_COMMENT_CHARS = 2000
MAX_REASON_CHARS = 2000


def suspension_message(until: datetime) -> str:
    return (
        "Matching is paused for you after two late cancellations or no-shows within 30 days. "
        f"You can ask for partners again from {until:%Y-%m-%d %H:%M} UTC."
    )


# --- profile and availability -------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    user: AbstractBaseUser,
    target_role: str,
    level: str,
    domains: list[str],
    time_zone: str,
    languages: list[str],
) -> PracticeProfile:
    """Create or replace the practice profile. All fields are checked before anything is
    written."""
    errors = {}
    if level not in Level.values:
        errors["level"] = f"Choose one of {', '.join(Level.values)}."
    unknown = [d for d in domains if d not in DOMAINS]
    if unknown:
        errors["domains"] = f"Unknown domain '{unknown[0]}'; choose from {', '.join(DOMAINS)}."
    try:
        zone_check(time_zone)
    except AvailabilityError as exc:
        errors["time_zone"] = str(exc)
    bad = [code for code in languages if not _language_code(code)]
    if bad:
        errors["languages"] = f"'{bad[0]}' is not a two-letter ISO 639-1 language code."
    elif len(languages) > MAX_LANGUAGES:
        errors["languages"] = f"At most {MAX_LANGUAGES} languages."
    if errors:
        raise ValidationError(errors)
    profile, _ = PracticeProfile.objects.update_or_create(
        user=user,
        defaults={
            "target_role": target_role.strip(),
            "level": level,
            "domains": sorted(set(domains)),
            "time_zone": time_zone,
            "languages": sorted({code.lower() for code in languages}),
        },
    )
    return profile


def _language_code(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha()


@transaction.atomic
def availability_replace(*, user: AbstractBaseUser, slots: list[Slot]) -> list[AvailabilitySlot]:
    """Replace the user's weekly slots with `slots`, or change nothing when any is malformed
    or two overlap."""
    profile = _profile_or_error(user)
    try:
        checked = slots_check(slots)
    except AvailabilityError as exc:
        raise ValidationError({"slots": str(exc)}) from exc
    profile.slots.all().delete()
    return AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot(
            profile=profile,
            weekday=s.weekday,
            start_minute=s.start_minute,
            end_minute=s.end_minute,
        )
        for s in checked
    )


def _profile_or_error(user: AbstractBaseUser) -> PracticeProfile:
    profile = PracticeProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError({"detail": "Set up your practice profile first."})
    return profile


def whole_minute(at: datetime) -> datetime:
    """Pairings start on a whole minute (calendars and e-mails show no seconds); earlier, not
    later, so a window that just fits still does."""
    return at.replace(second=0, microsecond=0)


# --- requests -----------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    user: AbstractBaseUser,
    kind: str,
    slot_id: int | None = None,
    on: date | None = None,
    now: datetime | None = None,
) -> PracticeRequest:
    """Ask for a partner now, or within the occurrence of slot `slot_id` on local date `on`.
    The matcher runs once this commits."""
    now = now or timezone.now()
    # One request at a time per user, also under parallel posts.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    profile = _profile_or_error(user)
    until = suspended_until(user=user, now=now)
    if until is not None:
        raise PermissionDenied(suspension_message(until))
    pairings_close_over(user_id=user.pk, now=now)
    if PairingSeat.objects.filter(user=user, active=True).exists():
        raise ValidationError(
            {"detail": "You already have a pairing coming up; cancel it or finish it first."}
        )
    if PracticeRequest.objects.filter(user=user, status=PracticeRequest.Status.WAITING).exists():
        raise ValidationError({"detail": "You are already waiting for a partner."})
    if kind == PracticeRequest.Kind.NOW:
        start = whole_minute(now)
        end = start + timedelta(minutes=WAITING_ROOM_MINUTES) + PAIRING_DURATION
    elif kind == PracticeRequest.Kind.SLOT:
        start, end = _slot_request_window(profile, slot_id=slot_id, on=on, now=now)
    else:
        raise ValidationError({"kind": "Choose now or slot."})
    request = PracticeRequest.objects.create(
        user=user, kind=kind, window_start=start, window_end=end
    )
    from .tasks import match_requests

    transaction.on_commit(lambda: match_requests.delay())
    return request


def _slot_request_window(
    profile: PracticeProfile, *, slot_id, on, now: datetime
) -> tuple[datetime, datetime]:
    if slot_id is None or on is None:
        raise ValidationError({"slot": "Give the slot and the date you want it on."})
    slot = profile.slots.filter(pk=slot_id).first()
    if slot is None:
        raise ValidationError({"slot": "No such slot in your availability."})
    try:
        start, end = slot_window(
            Slot(slot.weekday, slot.start_minute, slot.end_minute),
            on=on,
            zone=zone_check(profile.time_zone),
        )
    except AvailabilityError as exc:
        raise ValidationError({"date": str(exc)}) from exc
    if end - PAIRING_DURATION < now:
        raise ValidationError({"date": "That slot has passed (or too little of it is left)."})
    if start > now + SLOT_HORIZON:
        raise ValidationError({"date": "Ask for a slot at most four weeks ahead."})
    if end - start < PAIRING_DURATION:
        raise ValidationError(
            {"slot": f"A pairing needs {2 * INTERVIEW_MINUTES} minutes; this slot is shorter."}
        )
    return max(start, now), end


@transaction.atomic
def request_cancel(*, user: AbstractBaseUser, request_id: int) -> PracticeRequest:
    request = PracticeRequest.objects.select_for_update().filter(pk=request_id, user=user).first()
    if request is None:
        raise PracticeRequest.DoesNotExist("No such request.")
    if request.status != PracticeRequest.Status.WAITING:
        raise ValidationError({"detail": f"This request is {request.status} already."})
    request.status = PracticeRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    return request


def requests_expire(*, now: datetime | None = None) -> int:
    """Waiting requests whose window can no longer hold a pairing lapse."""
    now = now or timezone.now()
    return PracticeRequest.objects.filter(
        status=PracticeRequest.Status.WAITING, window_end__lt=now + PAIRING_DURATION
    ).update(status=PracticeRequest.Status.EXPIRED)


# --- pairings -----------------------------------------------------------------------------


def pairing_create(
    *,
    first: PracticeRequest,
    second: PracticeRequest,
    starts_at: datetime,
    case_ids: tuple[int, int],
    now: datetime,
) -> Pairing:
    """Pair the owners of two waiting requests, which the caller has locked: the seats (the
    database refuses a second active one per user), both interviews' sessions, the links.
    Must run inside a transaction; on any error nothing of it stays."""
    users = get_user_model().objects.in_bulk([first.user_id, second.user_id])
    a, b = users[first.user_id], users[second.user_id]
    cases = CaseStudy.objects.in_bulk(list(case_ids))
    pairing = Pairing.objects.create(user_a=a, user_b=b, starts_at=starts_at)
    PairingSeat.objects.bulk_create(
        [PairingSeat(pairing=pairing, user=a), PairingSeat(pairing=pairing, user=b)]
    )
    for order, (interviewer, candidate, case_id) in enumerate(
        [(a, b, case_ids[0]), (b, a, case_ids[1])], start=1
    ):
        scheduled_for = starts_at + (order - 1) * timedelta(minutes=INTERVIEW_MINUTES)
        session = sessions_bridge.interview_session_create(
            interviewer=interviewer,
            candidate=candidate,
            case_study=cases[case_id],
            scheduled_for=scheduled_for,
        )
        PairingInterview.objects.create(
            pairing=pairing,
            order=order,
            session=session,
            interviewer=interviewer,
            candidate=candidate,
            case_study=cases[case_id],
        )
    PracticeRequest.objects.filter(pk__in=[first.pk, second.pk]).update(
        status=PracticeRequest.Status.MATCHED, pairing=pairing, matched_at=now
    )
    notices.pairing_made_notify(pairing)
    return pairing


def _lock_pairing_of(user: AbstractBaseUser, pairing_id) -> Pairing:
    pairing = (
        Pairing.objects.select_for_update()
        .filter(Q(user_a=user) | Q(user_b=user), pk=pairing_id)
        .first()
    )
    if pairing is None:
        raise Pairing.DoesNotExist("No such pairing.")
    return pairing


def _require_scheduled(pairing: Pairing) -> None:
    if pairing.status != Pairing.Status.SCHEDULED:
        raise ValidationError({"detail": f"This pairing is {pairing.get_status_display()}."})


def _pairing_end(pairing: Pairing, status: str, *, discard_sessions: bool) -> None:
    pairing.status = status
    pairing.sequence += 1
    pairing.proposed_starts_at = None
    pairing.proposed_by = None
    pairing.save()
    PairingSeat.objects.filter(pairing=pairing).update(active=False)
    if discard_sessions:
        session_ids = [i.session_id for i in pairing.interviews.all() if i.session_id]
        sessions_bridge.interview_sessions_discard(session_ids=session_ids)


@transaction.atomic
def pairing_cancel(*, user: AbstractBaseUser, pairing_id, now: datetime | None = None) -> Pairing:
    """Call the pairing off. Less than 12 hours before its start that is a late cancellation,
    a strike for whoever cancels."""
    now = now or timezone.now()
    pairing = _lock_pairing_of(user, pairing_id)
    _require_scheduled(pairing)
    if now >= pairing.starts_at:
        raise ValidationError(
            {"detail": "The pairing has started; if your partner is missing, mark a no-show."}
        )
    pairing.cancelled_by = user
    pairing.cancelled_at = now
    _pairing_end(pairing, Pairing.Status.CANCELLED, discard_sessions=True)
    notices.pairing_cancelled_notify(pairing, by=user)
    if pairing.starts_at - now < LATE_CANCEL_BEFORE:
        strike_record(user_id=user.pk, pairing=pairing, kind=Strike.Kind.LATE_CANCEL, now=now)
    return pairing


@transaction.atomic
def pairing_propose_time(
    *, user: AbstractBaseUser, pairing_id, starts_at: datetime, now: datetime | None = None
) -> Pairing:
    now = now or timezone.now()
    pairing = _lock_pairing_of(user, pairing_id)
    _require_scheduled(pairing)
    if now >= pairing.starts_at:
        raise ValidationError({"detail": "The pairing has already started."})
    if starts_at <= now + timedelta(minutes=15):
        raise ValidationError({"starts_at": "Propose a time at least 15 minutes from now."})
    if starts_at > now + SLOT_HORIZON:
        raise ValidationError({"starts_at": "Propose a time at most four weeks ahead."})
    pairing.proposed_starts_at = whole_minute(starts_at)
    pairing.proposed_by = user
    pairing.save(update_fields=["proposed_starts_at", "proposed_by"])
    notices.time_proposed_notify(pairing, by=user)
    return pairing


@transaction.atomic
def pairing_accept_time(
    *, user: AbstractBaseUser, pairing_id, now: datetime | None = None
) -> Pairing:
    """The partner of whoever proposed a new time takes it: the pairing and both sessions move
    (reminders follow the new time)."""
    now = now or timezone.now()
    pairing = _lock_pairing_of(user, pairing_id)
    _require_scheduled(pairing)
    if pairing.proposed_starts_at is None:
        raise ValidationError({"detail": "No new time has been proposed."})
    if pairing.proposed_by_id == user.pk:
        raise ValidationError({"detail": "Your partner accepts the time you proposed."})
    if pairing.proposed_starts_at <= now:
        raise ValidationError({"detail": "The proposed time has passed; propose another."})
    pairing.starts_at = pairing.proposed_starts_at
    pairing.proposed_starts_at = None
    pairing.proposed_by = None
    pairing.sequence += 1
    pairing.save()
    for interview in pairing.interviews.all():
        if interview.session_id:
            sessions_bridge.interview_sessions_reschedule(
                session_ids=[interview.session_id],
                scheduled_for=pairing.starts_at
                + (interview.order - 1) * timedelta(minutes=INTERVIEW_MINUTES),
            )
    notices.time_accepted_notify(pairing, by=user)
    return pairing


@transaction.atomic
def pairing_arrive(*, user: AbstractBaseUser, pairing_id, now: datetime | None = None) -> None:
    """Record that `user` turned up (from an hour before the start), for the no-show rule."""
    now = now or timezone.now()
    pairing = _lock_pairing_of(user, pairing_id)
    _require_scheduled(pairing)
    if now < pairing.starts_at - timedelta(hours=1):
        raise ValidationError({"detail": "Come back closer to the start."})
    PairingSeat.objects.filter(pairing=pairing, user=user, arrived_at__isnull=True).update(
        arrived_at=now
    )


def _arrived(pairing: Pairing) -> set[int]:
    arrived = set(
        PairingSeat.objects.filter(pairing=pairing, arrived_at__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    session_ids = [i.session_id for i in pairing.interviews.all() if i.session_id]
    return arrived | sessions_bridge.users_present(
        session_ids=session_ids, user_ids=list(pairing.user_ids())
    )


@transaction.atomic
def pairing_mark_no_show(
    *, user: AbstractBaseUser, pairing_id, now: datetime | None = None
) -> PracticeRequest | None:
    """`user` came, their partner did not: 10 minutes after the start the pairing ends, the
    partner gets a strike, and `user` goes straight back to the waiting room (the returned
    request; None when `user` is suspended for strikes of their own)."""
    now = now or timezone.now()
    pairing = _lock_pairing_of(user, pairing_id)
    _require_scheduled(pairing)
    if now < pairing.starts_at + NO_SHOW_AFTER:
        raise ValidationError({"detail": "Give your partner until 10 minutes after the start."})
    arrived = _arrived(pairing)
    partner_id = pairing.partner_id(user.pk)
    if user.pk not in arrived:
        raise ValidationError({"detail": "Only someone who turned up can report a no-show."})
    if partner_id in arrived:
        raise ValidationError({"detail": "Your partner has joined."})
    _pairing_end(pairing, Pairing.Status.NO_SHOW, discard_sessions=True)
    strike_record(user_id=partner_id, pairing=pairing, kind=Strike.Kind.NO_SHOW, now=now)
    PracticeRequest.objects.filter(user=user, status=PracticeRequest.Status.WAITING).update(
        status=PracticeRequest.Status.CANCELLED
    )
    if suspended_until(user=user, now=now) is not None:
        return None
    return request_create(user=user, kind=PracticeRequest.Kind.NOW, now=now)


def strike_record(*, user_id: int, pairing: Pairing, kind: str, now: datetime) -> Strike:
    """A strike; the second within STRIKE_WINDOW pauses matching for SUSPENSION and drops the
    user's waiting requests."""
    strike, _ = Strike.objects.get_or_create(
        user_id=user_id, pairing=pairing, defaults={"kind": kind, "created_at": now}
    )
    recent = Strike.objects.filter(user_id=user_id, created_at__gt=now - STRIKE_WINDOW).count()
    if recent >= STRIKES_TO_SUSPEND:
        PracticeProfile.objects.filter(user_id=user_id).update(suspended_until=now + SUSPENSION)
        PracticeRequest.objects.filter(
            user_id=user_id, status=PracticeRequest.Status.WAITING
        ).update(status=PracticeRequest.Status.CANCELLED)
    return strike


def pairings_close_over(*, user_id: int | None = None, now: datetime | None = None) -> int:
    """Scheduled pairings whose interviews both ended, or which started PAIRING_CLOSES_AFTER
    ago, are done: their seats free up."""
    from interviews.models import InterviewSession

    now = now or timezone.now()
    open_pairings = Pairing.objects.filter(status=Pairing.Status.SCHEDULED)
    if user_id is not None:
        open_pairings = open_pairings.filter(Q(user_a_id=user_id) | Q(user_b_id=user_id))
    still_running = PairingInterview.objects.filter(session__isnull=False).exclude(
        session__status=InterviewSession.Status.ENDED
    )
    over = open_pairings.filter(
        Q(starts_at__lt=now - PAIRING_CLOSES_AFTER) | ~Q(pk__in=still_running.values("pairing_id"))
    )
    ids = list(over.values_list("pk", flat=True))
    if not ids:
        return 0
    PairingSeat.objects.filter(pairing_id__in=ids).update(active=False)
    return Pairing.objects.filter(pk__in=ids).update(status=Pairing.Status.DONE)


@transaction.atomic
def interview_case_change(
    *, user: AbstractBaseUser, pairing_id, order: int, case_slug: str
) -> PairingInterview:
    """The interviewer of interview `order` picks another case before it starts: one its
    candidate has not practised, and not the other interview's case."""
    pairing = _lock_pairing_of(user, pairing_id)
    _require_scheduled(pairing)
    interview = pairing.interviews.filter(order=order).first()
    if interview is None:
        raise PairingInterview.DoesNotExist("No such interview.")
    if interview.interviewer_id != user.pk:
        raise PermissionDenied("Only this interview's interviewer chooses its case.")
    case = CaseStudy.objects.filter(slug=case_slug).first()
    if case is None:
        raise ValidationError({"case_study": "No such case study."})
    other = pairing.interviews.exclude(pk=interview.pk).first()
    if other is not None and other.case_study_id == case.pk:
        raise ValidationError({"case_study": "The other interview of this pairing uses it."})
    practised = sessions_bridge.case_ids_practised([interview.candidate_id])
    already = practised[interview.candidate_id] - {interview.case_study_id}
    if case.pk in already:
        raise ValidationError({"case_study": "Your candidate has practised this case."})
    if interview.session_id is None:
        raise ValidationError({"detail": "This interview has no room any more."})
    sessions_bridge.interview_session_recase(
        session_id=interview.session_id, user=user, case_study=case
    )
    interview.case_study = case
    interview.save(update_fields=["case_study"])
    return interview


# --- ratings and blocks -------------------------------------------------------------------


@transaction.atomic
def rating_submit(
    *,
    user: AbstractBaseUser,
    pairing_id,
    order: int,
    preparedness: int,
    hint_clarity: int,
    feedback_quality: int,
    comment: str,
    now: datetime | None = None,
) -> PeerRating:
    """The candidate of interview `order` rates its interviewer, once, after it ended."""
    now = now or timezone.now()
    interview = (
        PairingInterview.objects.select_for_update(of=("self",))
        .select_related("session")
        .filter(pairing_id=pairing_id, order=order)
        .first()
    )
    if interview is None or user.pk not in (interview.interviewer_id, interview.candidate_id):
        raise PermissionDenied("You were not in this interview.")
    if interview.candidate_id != user.pk:
        raise PermissionDenied("The candidate rates the interviewer; you were the interviewer.")
    if interview.session is None or interview.session.status != "ended":
        raise ValidationError({"detail": "Rate your interviewer once the interview has ended."})
    if PeerRating.objects.filter(interview=interview).exists():
        raise ValidationError({"detail": "You have rated this interview already."})
    for name, value in (
        ("preparedness", preparedness),
        ("hint_clarity", hint_clarity),
        ("feedback_quality", feedback_quality),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise ValidationError({name: "Give 1, 2, 3 or 4."})
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError({"comment": f"At most {MAX_COMMENT_CHARS} characters."})
    rating = PeerRating.objects.create(
        interview=interview,
        author=user,
        subject_id=interview.interviewer_id,
        preparedness=preparedness,
        hint_clarity=hint_clarity,
        feedback_quality=feedback_quality,
        comment=comment.strip(),
        submitted_at=now,
    )
    # Under a lock on the pairing row, of two candidates rating at once the second sees both
    # ratings: the reveal is announced once, never missed.
    Pairing.objects.select_for_update().filter(pk=interview.pairing_id).first()
    if PeerRating.objects.filter(interview__pairing_id=interview.pairing_id).count() == 2:
        notices.ratings_revealed_notify(interview.pairing)
        PeerRating.objects.filter(interview__pairing_id=interview.pairing_id).update(
            reveal_announced_at=now
        )
    return rating


@transaction.atomic
def ratings_reveal_announce_due(*, now: datetime | None = None) -> int:
    """Ratings readable because their 48 hours are over (the partner never rated back): tell the
    one rated, once. SKIP LOCKED, so two workers running housekeeping never both tell."""
    now = now or timezone.now()
    due = list(
        PeerRating.objects.select_for_update(skip_locked=True)
        .filter(reveal_announced_at__isnull=True, submitted_at__lte=now - RATING_REVEAL_AFTER)
        .select_related("interview__pairing")
        .order_by("submitted_at")[:500]
    )
    for rating in due:
        notices.rating_revealed_late_notify(rating)
    PeerRating.objects.filter(pk__in=[rating.pk for rating in due]).update(reveal_announced_at=now)
    return len(due)


@transaction.atomic
def block_create(*, user: AbstractBaseUser, username: str, reason: str, report: bool) -> Block:
    """Never be matched with a past or current partner again; with `report`, flag them for
    the moderators too."""
    other = get_user_model().objects.filter(username=username).first()
    if other is None or other.pk == user.pk:
        raise ValidationError({"username": "You can block someone you were paired with."})
    met = Pairing.objects.filter(
        Q(user_a=user, user_b=other) | Q(user_a=other, user_b=user)
    ).exists()
    if not met:
        raise ValidationError({"username": "You can block someone you were paired with."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why, in a few words."})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError({"reason": f"At most {MAX_REASON_CHARS} characters."})
    try:
        with transaction.atomic():
            return Block.objects.create(blocker=user, blocked=other, reason=reason, report=report)
    except IntegrityError as exc:
        raise ValidationError({"username": "You have blocked them already."}) from exc

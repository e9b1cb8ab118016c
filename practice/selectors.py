"""Reads, filtered by who asks. A pairing that is not yours does not exist (404)."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import (
    Pairing,
    PairingInterview,
    PairingSeat,
    PeerRating,
    PracticeProfile,
    PracticeRequest,
)

# A rating stays hidden from the one rated until the other rating of the pairing is in, or
# this long after it was given (so nobody rates in retaliation, and nobody waits for ever).
RATING_REVEAL_AFTER = timedelta(hours=48)


def profile_get(*, user: AbstractBaseUser) -> PracticeProfile | None:
    return PracticeProfile.objects.prefetch_related("slots").filter(user=user).first()


def suspended_until(*, user: AbstractBaseUser, now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    until = (
        PracticeProfile.objects.filter(user=user, suspended_until__gt=now)
        .values_list("suspended_until", flat=True)
        .first()
    )
    return until


def active_pairing_of(*, user: AbstractBaseUser) -> Pairing | None:
    seat = PairingSeat.objects.select_related("pairing").filter(user=user, active=True).first()
    return seat.pairing if seat else None


def _pairings() -> QuerySet[Pairing]:
    return Pairing.objects.select_related("user_a", "user_b", "proposed_by").prefetch_related(
        Prefetch(
            "interviews",
            queryset=PairingInterview.objects.select_related(
                "case_study", "interviewer", "candidate", "rating", "session"
            ),
        ),
        "seats",
    )


def pairing_list_for_user(*, user: AbstractBaseUser, session_id=None) -> QuerySet[Pairing]:
    """`user`'s pairings, newest start first; with `session_id`, only the one (if any) whose
    interviews include that session (the room asks which pairing it belongs to)."""
    pairings = _pairings().filter(Q(user_a=user) | Q(user_b=user))
    if session_id is not None:
        pairings = pairings.filter(interviews__session_id=session_id)
    return pairings


def pairing_get_for_user(*, user: AbstractBaseUser, pairing_id) -> Pairing:
    try:
        return _pairings().get(Q(user_a=user) | Q(user_b=user), pk=pairing_id)
    except (Pairing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such pairing.") from exc


def request_list_for_user(*, user: AbstractBaseUser) -> QuerySet[PracticeRequest]:
    return PracticeRequest.objects.filter(user=user).order_by("-created_at", "-id")


def rating_visible_to_subject(
    rating: PeerRating, *, pairing: Pairing, now: datetime | None = None
) -> bool:
    """Whether the rated interviewer may read `rating` yet."""
    now = now or timezone.now()
    if now - rating.submitted_at >= RATING_REVEAL_AFTER:
        return True
    return PeerRating.objects.filter(interview__pairing=pairing).count() == 2


def ratings_summary(*, subject_id: int, now: datetime | None = None) -> dict:
    """An interviewer's averages over the ratings they may read themselves (so a partner
    learns nothing about a rating its subject cannot see yet)."""
    now = now or timezone.now()
    both_in = (
        PeerRating.objects.values("interview__pairing")
        .annotate(n=Count("id"))
        .filter(n=2)
        .values("interview__pairing")
    )
    visible = PeerRating.objects.filter(subject_id=subject_id).filter(
        Q(submitted_at__lte=now - RATING_REVEAL_AFTER) | Q(interview__pairing__in=both_in)
    )
    summary = visible.aggregate(
        count=Count("id"),
        preparedness=Avg("preparedness"),
        hint_clarity=Avg("hint_clarity"),
        feedback_quality=Avg("feedback_quality"),
    )
    for key in ("preparedness", "hint_clarity", "feedback_quality"):
        if summary[key] is not None:
            summary[key] = round(summary[key], 2)
    return summary


def interviewer_agreement(*, subject_id: int) -> dict:
    """Agreement of `subject_id`'s scores, as a practice interviewer, with their candidates'
    self-assessments."""
    from . import sessions_bridge

    session_ids = list(
        PairingInterview.objects.filter(
            interviewer_id=subject_id, session__isnull=False
        ).values_list("session_id", flat=True)
    )
    return sessions_bridge.score_agreement(session_ids=session_ids)


def partner_profile_get(*, user: AbstractBaseUser, username: str) -> PracticeProfile:
    """The practice profile of someone `user` has been paired with; Http404 for anyone else."""
    profile = PracticeProfile.objects.select_related("user").filter(user__username=username).first()
    if profile is None or profile.user_id == user.pk:
        raise Http404("No such partner.")
    met = Pairing.objects.filter(
        Q(user_a=user, user_b=profile.user) | Q(user_a=profile.user, user_b=user)
    ).exists()
    if not met:
        raise Http404("No such partner.")
    return profile

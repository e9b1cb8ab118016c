"""The matcher: pairs waiting requests, oldest first, each with its best-scoring partner.

Safe with any number of matchers at once. On PostgreSQL each pairing is one transaction that
holds row locks on exactly its two requests, taken with SKIP LOCKED: a matcher never waits
for, nor takes, a request another one is working on, and re-checks the status under the lock.
A user has at most one waiting request and at most one active seat (both partial unique
indexes), so even a bug here could not seat anyone twice. On SQLite writers are serialized
and the same code simply runs one pairing at a time.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from casestudies.models import CaseStudy

from . import sessions_bridge
from .models import Block, Pairing, PracticeRequest
from .scoring import PAIRING_DURATION, Case, Seeker, cases_choose, score
from .services import pairing_create, whole_minute

log = logging.getLogger(__name__)

# Partners considered per request: the longest-waiting compatible ones.
CANDIDATE_LIMIT = 200


@dataclass
class MatchRun:
    pairings: int = 0
    unmatched: int = 0
    lost_races: int = 0  # a chosen partner was taken by another matcher first


def match_requests(*, now: datetime | None = None, limit: int | None = None) -> MatchRun:
    """Pair what can be paired among the waiting requests; at most `limit` pairings."""
    now = whole_minute(now or timezone.now())
    run = MatchRun()
    cases = [Case(id=c, domain=d) for c, d in CaseStudy.objects.values_list("id", "domain")]
    cursor: tuple[datetime, int] | None = None
    while limit is None or run.pairings < limit:
        with transaction.atomic():
            anchor = _next_anchor(cursor, now)
            if anchor is None:
                break
            cursor = (anchor.created_at, anchor.pk)
            if _pair_one(anchor, cases=cases, now=now, run=run):
                run.pairings += 1
            else:
                run.unmatched += 1
    return run


def _next_anchor(cursor, now: datetime) -> PracticeRequest | None:
    waiting = PracticeRequest.objects.filter(
        status=PracticeRequest.Status.WAITING, window_end__gte=now + PAIRING_DURATION
    )
    if cursor is not None:
        created, pk = cursor
        waiting = waiting.filter(Q(created_at__gt=created) | Q(created_at=created, pk__gt=pk))
    # Nothing joined: the lock and the order come straight from the request_waiting_by_age
    # index (a join would make the database join the whole pool before it sorts).
    return waiting.select_for_update(skip_locked=True).order_by("created_at", "pk").first()


def _pair_one(anchor: PracticeRequest, *, cases: list[Case], now: datetime, run) -> bool:
    others = list(
        PracticeRequest.objects.filter(
            status=PracticeRequest.Status.WAITING,
            window_start__lte=anchor.window_end - PAIRING_DURATION,
            window_end__gte=max(anchor.window_start, now) + PAIRING_DURATION,
        )
        .exclude(user_id=anchor.user_id)
        .select_related("user__practice_profile")
        .order_by("created_at", "pk")[:CANDIDATE_LIMIT]
    )
    if not others:
        return False
    seekers = _seekers([anchor, *others], anchor_user_id=anchor.user_id, now=now)
    me = seekers[anchor.pk]
    ranked = []
    for other in others:
        value = score(me, seekers[other.pk], cases)
        if value is not None:
            # Best score first; among equals, whoever has waited longest.
            ranked.append((-value, other.created_at, other.pk, other))
    ranked.sort(key=lambda row: row[:3])
    for _, _, _, other in ranked:
        locked = (
            PracticeRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=other.pk, status=PracticeRequest.Status.WAITING)
            .first()
        )
        if locked is None:
            run.lost_races += 1
            continue
        first, second = cases_choose(me, seekers[other.pk], cases)
        starts_at = max(me.window_start, seekers[other.pk].window_start, now)
        try:
            with transaction.atomic():
                pairing_create(
                    first=anchor,
                    second=locked,
                    starts_at=starts_at,
                    case_ids=(first.id, second.id),
                    now=now,
                )
        except (IntegrityError, ValidationError) as exc:
            # A seat still active or a cap reached: this partner is not free after all.
            log.info("pairing %s with %s refused: %s", anchor.pk, locked.pk, exc)
            continue
        return True
    return False


def _seekers(requests: list[PracticeRequest], *, anchor_user_id: int, now) -> dict[int, Seeker]:
    """What scoring needs for each request. Blocks and past partners only matter between the
    anchor and the others, so only those are loaded."""
    user_ids = [r.user_id for r in requests]
    practised = sessions_bridge.case_ids_practised(user_ids)
    blocked: dict[int, set[int]] = {uid: set() for uid in user_ids}
    for blocker, blocked_id in Block.objects.filter(
        Q(blocker_id=anchor_user_id) | Q(blocked_id=anchor_user_id)
    ).values_list("blocker_id", "blocked_id"):
        blocked.setdefault(blocker, set()).add(blocked_id)
    met: dict[int, set[int]] = {uid: set() for uid in user_ids}
    for a, b in Pairing.objects.filter(
        Q(user_a_id=anchor_user_id) | Q(user_b_id=anchor_user_id)
    ).values_list("user_a_id", "user_b_id"):
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    seekers = {}
    for request in requests:
        profile = request.user.practice_profile
        seekers[request.pk] = Seeker(
            request_id=request.pk,
            user_id=request.user_id,
            level=profile.level,
            domains=frozenset(profile.domains),
            languages=frozenset(profile.languages),
            window_start=max(request.window_start, now),
            window_end=request.window_end,
            practised=frozenset(practised.get(request.user_id, ())),
            blocked=frozenset(blocked.get(request.user_id, ())),
            past_partners=frozenset(met.get(request.user_id, ())),
        )
    return seekers

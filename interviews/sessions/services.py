"""Writes to sessions, invites and participants. Keyword-only, permission-checked here so that
HTTP, websocket and worker paths cannot disagree."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casestudies.framework import clean_plan
from casestudies.models import CaseStudy
from rubrics.scoring import DEFAULT_TARGET_LEVEL, TARGET_LEVELS
from rubrics.services import rubric_get_default

from ..models import InterviewSession, Invite, Participant, Report, Role
from .selectors import user_awaits_case_as_candidate

INVITE_TTL = timedelta(days=7)
# Interviewing a case means reading its guide, which holds the answers.
CASE_AWAITED = (
    "You are the candidate of an interview on this case that has not ended yet; you can"
    " interview it once that interview is over."
)
OTHER_ROLE = {Role.INTERVIEWER: Role.CANDIDATE, Role.CANDIDATE: Role.INTERVIEWER}


def invite_url(invite: Invite, *, base_url: str) -> str:
    """The link that accepts `invite`, under `base_url` (the app's origin, e.g.
    `https://mockroom.example.com`; the caller picks it: see sessions.apis.public_base_url)."""
    return f"{base_url.rstrip('/')}/invite/{invite.token}"


class LimitReached(ValidationError):
    """A per-user cap (settings.MAX_*): the request is fine, the user holds too much already."""


def open_sessions_created_by(user: AbstractBaseUser) -> int:
    return (
        InterviewSession.objects.filter(created_by=user)
        .exclude(status=InterviewSession.Status.ENDED)
        .count()
    )


def pending_invites_created_by(user: AbstractBaseUser) -> int:
    """Invites `user` handed out that can still be accepted: unused, unexpired, on a session that
    has not ended."""
    return (
        Invite.objects.filter(created_by=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .exclude(session__status=InterviewSession.Status.ENDED)
        .count()
    )


def invite_create(*, session: InterviewSession, role: str, created_by: AbstractBaseUser) -> Invite:
    """A single-use invite to `session` in `role`, valid for INVITE_TTL. At most
    MAX_PENDING_INVITES_PER_USER of a user's invites are open at once."""
    limit = settings.MAX_PENDING_INVITES_PER_USER
    if pending_invites_created_by(created_by) >= limit:
        raise LimitReached(
            {
                "detail": f"You have {limit} invites that nobody has accepted yet; "
                "wait for them to be used or to expire before inviting more."
            }
        )
    return Invite.objects.create(
        session=session,
        role=role,
        created_by=created_by,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + INVITE_TTL,
    )


@transaction.atomic
def session_create(
    *,
    user: AbstractBaseUser,
    case_study: CaseStudy,
    role: str,
    plan: dict | None = None,
    scheduled_for: datetime | None = None,
    auto_advance: bool = False,
    auto_release: bool = False,
    target_level: str = DEFAULT_TARGET_LEVEL,
) -> tuple[InterviewSession, Invite]:
    """Create a session with `user` in `role` and an invite for the other role, judged against
    `target_level` on the newest default rubric. A user may have at most
    MAX_OPEN_SESSIONS_PER_USER sessions they created that have not ended."""
    limit = settings.MAX_OPEN_SESSIONS_PER_USER
    # Counted under a lock on the user's row, so parallel requests cannot all pass the check.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if open_sessions_created_by(user) >= limit:
        raise LimitReached(
            {
                "detail": f"You already have {limit} sessions that have not ended; "
                "end some of them before planning more."
            }
        )
    if role not in OTHER_ROLE:
        raise ValidationError({"role": "Choose interviewer or candidate."})
    try:
        plan = clean_plan(plan)
    except ValueError as exc:
        raise ValidationError({"plan": str(exc)}) from exc
    if target_level not in TARGET_LEVELS:
        raise ValidationError({"target_level": f"One of {', '.join(TARGET_LEVELS)}."})
    if scheduled_for is not None and scheduled_for < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"scheduled_for": "Pick a time in the future."})
    if role == Role.INTERVIEWER and user_awaits_case_as_candidate(
        user=user, case_study_id=case_study.pk
    ):
        raise ValidationError({"case_study": CASE_AWAITED})
    session = InterviewSession.objects.create(
        case_study=case_study,
        rubric=rubric_get_default(),
        created_by=user,
        plan=plan,
        scheduled_for=scheduled_for,
        auto_advance=auto_advance,
        auto_release=auto_release,
        target_level=target_level,
    )
    Participant.objects.create(session=session, user=user, role=role)
    Report.objects.create(session=session)
    return session, invite_create(session=session, role=OTHER_ROLE[role], created_by=user)


@transaction.atomic
def invite_accept(*, token: str, user: AbstractBaseUser) -> Participant:
    """Join the invite's session in its role. Single use; a participant re-opening their own
    used invite just gets their participation back (so a double click is harmless)."""
    invite = Invite.objects.select_for_update().filter(token=token).first()
    if invite is None:
        raise Invite.DoesNotExist("No such invite.")
    existing = Participant.objects.filter(session_id=invite.session_id, user=user).first()
    if invite.used_at is not None:
        if existing is not None and invite.used_by_id == user.pk:
            return existing
        raise ValidationError({"detail": "This invite has already been used."})
    if invite.expires_at <= timezone.now():
        raise ValidationError({"detail": "This invite has expired; ask for a new one."})
    if existing is not None:
        raise ValidationError({"detail": f"You are already in this session as {existing.role}."})
    if invite.session.status == InterviewSession.Status.ENDED:
        raise ValidationError({"detail": "This interview has already ended."})
    if invite.role == Role.INTERVIEWER and user_awaits_case_as_candidate(
        user=user, case_study_id=invite.session.case_study_id
    ):
        raise ValidationError({"detail": CASE_AWAITED})
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                session_id=invite.session_id, user=user, role=invite.role
            )
    except IntegrityError as exc:
        raise ValidationError({"detail": f"This session already has a {invite.role}."}) from exc
    invite.used_at = timezone.now()
    invite.used_by = user
    invite.save(update_fields=["used_at", "used_by"])
    return participant


@transaction.atomic
def session_recase(
    *, session_id, user: AbstractBaseUser, case_study: CaseStudy
) -> InterviewSession:
    """The interviewer of a session that has not started puts it on another case. Refused
    once it has started (the room's board, timers and notes belong to the first case), and
    when the interviewer awaits that case as a candidate elsewhere (its guide holds the
    answers). The session row is locked so a start cannot slip in between check and write."""
    session = InterviewSession.objects.select_for_update().filter(pk=session_id).first()
    if (
        session is None
        or not Participant.objects.filter(
            session=session, user=user, role=Role.INTERVIEWER
        ).exists()
    ):
        raise PermissionDenied("Only the session's interviewer changes its case.")
    if session.status != InterviewSession.Status.SCHEDULED:
        raise ValidationError({"detail": "This interview has started; its case stays."})
    if session.case_study_id == case_study.pk:
        return session
    if user_awaits_case_as_candidate(user=user, case_study_id=case_study.pk):
        raise ValidationError({"case_study": CASE_AWAITED})
    session.case_study = case_study
    session.save(update_fields=["case_study"])
    return session

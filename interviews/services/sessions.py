"""Writes to sessions, invites, scores and notes. Keyword-only, permission-checked here so that
HTTP, websocket and worker paths cannot disagree."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casestudies.framework import STEP_KEYS, clean_plan
from casestudies.models import CaseStudy
from rubrics.models import Criterion
from rubrics.services import rubric_get_default

from ..models import InterviewSession, Invite, Note, Participant, Report, Role, Score

INVITE_TTL = timedelta(days=7)
OTHER_ROLE = {Role.INTERVIEWER: Role.CANDIDATE, Role.CANDIDATE: Role.INTERVIEWER}


def invite_url(invite: Invite) -> str:
    return f"{settings.PUBLIC_BASE_URL}/invite/{invite.token}"


def invite_create(*, session: InterviewSession, role: str, created_by: AbstractBaseUser) -> Invite:
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
) -> tuple[InterviewSession, Invite]:
    """Create a session with `user` in `role` and an invite for the other role."""
    if role not in OTHER_ROLE:
        raise ValidationError({"role": "Choose interviewer or candidate."})
    try:
        plan = clean_plan(plan)
    except ValueError as exc:
        raise ValidationError({"plan": str(exc)}) from exc
    if scheduled_for is not None and scheduled_for < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"scheduled_for": "Pick a time in the future."})
    session = InterviewSession.objects.create(
        case_study=case_study,
        rubric=rubric_get_default(),
        created_by=user,
        plan=plan,
        scheduled_for=scheduled_for,
        auto_advance=auto_advance,
        auto_release=auto_release,
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


def require_interviewer(role: str | None) -> None:
    if role != Role.INTERVIEWER:
        raise PermissionDenied("Only the interviewer can do this.")


def score_set(
    *,
    session: InterviewSession,
    role: str | None,
    criterion_key: str,
    level: int | None,
    comment: str | None = None,
) -> Score:
    """Set (or clear, with level None) the level and comment for one criterion."""
    require_interviewer(role)
    criterion = Criterion.objects.filter(rubric_id=session.rubric_id, key=criterion_key).first()
    if criterion is None:
        raise ValidationError({"criterion": f"Unknown criterion '{criterion_key}'."})
    if level is not None and not 1 <= level <= 4:
        raise ValidationError({"level": "Level must be 1, 2, 3 or 4."})
    defaults = {"level": level}
    if comment is not None:
        defaults["comment"] = comment
    score, _ = Score.objects.update_or_create(
        session=session, criterion=criterion, defaults=defaults
    )
    return score


def note_save(
    *,
    session: InterviewSession,
    role: str | None,
    step: str,
    text: str,
    shared: bool | None = None,
) -> Note:
    require_interviewer(role)
    if step not in STEP_KEYS:
        raise ValidationError({"step": f"Unknown step '{step}'."})
    defaults = {"text": text}
    if shared is not None:
        defaults["shared"] = shared
    note, _ = Note.objects.update_or_create(session=session, step=step, defaults=defaults)
    return note


def feedback_release(*, session: InterviewSession, role: str | None) -> InterviewSession:
    require_interviewer(role)
    if session.status != InterviewSession.Status.ENDED:
        raise ValidationError({"detail": "Feedback can be released once the interview has ended."})
    if session.feedback_released_at is None:
        session.feedback_released_at = timezone.now()
        session.save(update_fields=["feedback_released_at"])
        feedback_release_announce(session)
    return session


def feedback_release_announce(session: InterviewSession) -> None:
    from ..room.notify import room_notify, users_notify

    user_ids = list(session.participants.values_list("user_id", flat=True))
    message = {"type": "feedback.released", "session_id": str(session.pk)}

    def tell() -> None:
        room_notify(session.pk, message)
        users_notify(user_ids, message)

    transaction.on_commit(tell)


def report_rebuild(session: InterviewSession) -> None:
    """Mark an ended session's report pending and queue a fresh build after commit (what the
    report shows changed: scores, shared notes, the self-assessment)."""
    from ..tasks import build_report
    from .reports import report_request

    report_request(session=session)
    transaction.on_commit(lambda: build_report.delay(str(session.pk), force=True))


@transaction.atomic
def report_regenerate(*, session: InterviewSession, role: str | None) -> None:
    """Queue a fresh build of an ended session's report (the interviewer's button)."""
    require_interviewer(role)
    if session.status != InterviewSession.Status.ENDED:
        raise ValidationError({"detail": "The report is built once the interview has ended."})
    report_rebuild(session)


@transaction.atomic
def self_assessment_save(*, session: InterviewSession, role: str | None, levels: dict):
    """The candidate's level per step (1..4; steps may be left out). Rebuilds the report so it
    shows the comparison (also when a build is under way: it may have read the old levels)."""
    from ..models import SelfAssessment

    if role != Role.CANDIDATE:
        raise PermissionDenied("Only the candidate assesses themselves.")
    if session.status != InterviewSession.Status.ENDED:
        raise ValidationError({"detail": "Assess yourself once the interview has ended."})
    for key, level in levels.items():
        if key not in STEP_KEYS:
            raise ValidationError({"levels": f"Unknown step '{key}'."})
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            raise ValidationError({"levels": f"Level for '{key}' must be 1, 2, 3 or 4."})
    assessment, _ = SelfAssessment.objects.update_or_create(
        session=session, defaults={"levels": levels}
    )
    report_rebuild(session)
    return assessment

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from .models import CaseStudy


def case_study_list(
    *,
    domain: str | None = None,
    difficulty: str | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> QuerySet[CaseStudy]:
    cases = CaseStudy.objects.prefetch_related("tags")
    if domain:
        cases = cases.filter(domain=domain)
    if difficulty:
        cases = cases.filter(difficulty=difficulty)
    if tag:
        cases = cases.filter(tags__name=tag)
    if search:
        cases = cases.filter(
            Q(title__icontains=search)
            | Q(prompt__icontains=search)
            | Q(tags__name__icontains=search)
        ).distinct()
    return cases.order_by("title")


def guide_visible_to(*, user: AbstractBaseUser, case_study: CaseStudy) -> bool:
    """The interviewer guide holds the answers: staff, and the interviewer of a session on this
    case, may read it; a future candidate must not."""
    from interviews.selectors import user_interviews_case

    if user.is_staff:
        return True
    return user_interviews_case(user=user, case_study_id=case_study.pk)

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from .guide import DOMAIN_LABELS
from .models import CaseStudy, Tag


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
    return cases.order_by("domain", "title")


def case_study_facets() -> dict:
    """What the library can filter by: every domain (with its label and how many cases it
    holds, in library order) and every tag used by at least one case, most used first."""
    counts = dict(
        CaseStudy.objects.order_by()
        .values_list("domain")
        .annotate(n=Count("id"))
        .values_list("domain", "n")
    )
    tags = (
        Tag.objects.annotate(n=Count("case_studies"))
        .filter(n__gt=0)
        .order_by("-n", "name")
        .values_list("name", "n")
    )
    return {
        "domains": [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in DOMAIN_LABELS.items()
        ],
        "tags": [{"name": name, "count": n} for name, n in tags],
    }


# Who besides staff may read a guide is decided by the app that runs interviews, which
# registers its check here when it starts (interviews/apps.py): this app imports none of it.
GuideReader = Callable[..., bool]
_guide_readers: list[GuideReader] = []


def guide_reader_register(check: GuideReader) -> None:
    """Add `check(user=..., case_study_id=...)`: whether that user may read that case's guide."""
    if check not in _guide_readers:
        _guide_readers.append(check)


def guide_visible_to(*, user: AbstractBaseUser, case_study: CaseStudy) -> bool:
    """The interviewer guide holds the answers: staff, and whoever a registered check allows
    (the interviewer of a session on this case who is not waiting to be asked it), may read it."""
    if user.is_staff:
        return True
    return any(check(user=user, case_study_id=case_study.pk) for check in _guide_readers)

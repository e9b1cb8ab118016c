from django.core.exceptions import ValidationError
from django.db import models

from .guide import DIFFICULTIES, DOMAIN_LABELS, ContentError, check_guide


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseStudy(models.Model):
    """A question in the bank. `prompt` is for the candidate; `guide` only for the interviewer
    (clarifying answers, per-step hints and key concepts, pitfalls, follow-ups)."""

    DOMAIN_CHOICES = list(DOMAIN_LABELS.items())
    DIFFICULTY_CHOICES = [(d, d.title()) for d in DIFFICULTIES]

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    domain = models.CharField(max_length=40, choices=DOMAIN_CHOICES)
    difficulty = models.CharField(max_length=10, choices=DIFFICULTY_CHOICES)
    tags = models.ManyToManyField(Tag, blank=True, related_name="case_studies")
    prompt = models.TextField()
    guide = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # By domain, then title: the library groups related cases instead of following any
        # book's chapter order.
        ordering = ["domain", "title"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        try:
            self.guide = check_guide(self.guide)
        except ContentError as exc:
            raise ValidationError({"guide": str(exc)}) from exc

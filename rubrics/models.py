from django.core.exceptions import ValidationError
from django.db import models

from casestudies.framework import STEPS

LEVELS = (1, 2, 3, 4)


class RubricLocked(ValidationError):
    """Raised when something tries to change a rubric version that sessions already use."""


class Rubric(models.Model):
    """One version of a rubric. Versions are immutable once a session uses them: a change
    becomes a new version (see services.rubric_new_version) and old sessions keep theirs."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    levels = models.JSONField(
        help_text='Level labels, e.g. {"1": "Missing", ..., "4": "Exceptional"}'
    )
    # How levels become a verdict (rubrics.scoring.Scheme): must-pass criteria and the score
    # bar per target level. Empty for rubrics that only average (version 1 of the default).
    scoring = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="rubric_slug_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_locked(self) -> bool:
        return self.pk is not None and self.sessions.exists()

    def save(self, *args, **kwargs):
        if self.is_locked:
            raise RubricLocked("This rubric version is used by sessions; create a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise RubricLocked("This rubric version is used by sessions and cannot be deleted.")
        return super().delete(*args, **kwargs)


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    # The framework step this criterion judges; blank for cross-cutting criteria.
    step = models.CharField(max_length=20, blank=True, choices=[(s.key, s.title) for s in STEPS])
    weight = models.DecimalField(max_digits=5, decimal_places=2)
    description = models.TextField(blank=True)
    anchors = models.JSONField(
        help_text='Behavioural anchor per level: {"1": "...", ..., "4": "..."}'
    )
    # A few short cues the interviewer listens for while the step runs (the room's card).
    listen_for = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "key"], name="criterion_rubric_key_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
        ]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.rubric.is_locked:
            raise RubricLocked("This rubric version is used by sessions; create a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.rubric.is_locked:
            raise RubricLocked("This rubric version is used by sessions; create a new version.")
        return super().delete(*args, **kwargs)

from django.contrib import admin, messages

from .models import Criterion, Rubric
from .services import rubric_new_version


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_locked

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    """Versions used by sessions are read-only; "new version" copies one into an editable
    draft, so old sessions keep the rubric they were scored with."""

    list_display = ["name", "slug", "version", "created_at", "in_use"]
    inlines = [CriterionInline]
    actions = ["make_new_version"]

    @admin.display(boolean=True, description="used by sessions")
    def in_use(self, obj):
        return obj.is_locked

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_locked)

    @admin.action(description="Create a new editable version")
    def make_new_version(self, request, queryset):
        for rubric in queryset:
            new = rubric_new_version(rubric=rubric)
            self.message_user(request, f"Created {new}.", messages.SUCCESS)

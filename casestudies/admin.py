from django.contrib import admin

from .models import CaseStudy, Tag


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "domain", "difficulty", "updated_at"]
    list_filter = ["domain", "difficulty", "tags"]
    search_fields = ["title", "slug", "prompt"]
    filter_horizontal = ["tags"]
    prepopulated_fields = {"slug": ["title"]}


admin.site.register(Tag)

from django.contrib import admin

from .models import ChatMessage, InterviewSession, Invite, Note, Participant, Report, Score


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


@admin.register(InterviewSession)
class InterviewSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "case_study", "status", "scheduled_for", "created_at"]
    list_filter = ["status"]
    inlines = [ParticipantInline]
    raw_id_fields = ["created_by"]


admin.site.register([Invite, Score, Note, ChatMessage, Report])

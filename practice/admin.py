from django.contrib import admin

from .models import (
    AvailabilitySlot,
    Block,
    Pairing,
    PairingInterview,
    PairingSeat,
    PeerRating,
    PracticeProfile,
    PracticeRequest,
    Strike,
)


class SlotInline(admin.TabularInline):
    model = AvailabilitySlot
    extra = 0


@admin.register(PracticeProfile)
class PracticeProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "level", "time_zone", "suspended_until"]
    list_filter = ["level"]
    raw_id_fields = ["user"]
    inlines = [SlotInline]


class InterviewInline(admin.TabularInline):
    model = PairingInterview
    extra = 0
    raw_id_fields = ["session", "interviewer", "candidate"]


class SeatInline(admin.TabularInline):
    model = PairingSeat
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["id", "user_a", "user_b", "starts_at", "status"]
    list_filter = ["status"]
    raw_id_fields = ["user_a", "user_b", "proposed_by", "cancelled_by"]
    inlines = [InterviewInline, SeatInline]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """Reports (blocks with `report` set) are what moderators read first."""

    list_display = ["blocker", "blocked", "report", "created_at"]
    list_filter = ["report"]
    raw_id_fields = ["blocker", "blocked"]


@admin.register(PracticeRequest)
class PracticeRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "status", "window_start", "window_end", "created_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["user", "pairing"]


admin.site.register([Strike, PeerRating])

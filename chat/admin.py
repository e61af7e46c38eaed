from django.contrib import admin

from .models import ChatPreference, Message, ReadMarker, Room, RoomMute


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "audience", "last_seq", "slow_mode_seconds", "retention_days"]
    # The seq counter is changed only by post_message, under a row lock.
    readonly_fields = ["last_seq", "created_by", "created_at"]
    filter_horizontal = ["programme_groups"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: removal and edits go through chat.services, which broadcast and audit."""

    list_display = ["room", "seq", "author", "state", "created_at"]
    list_filter = ["state", "room"]
    list_select_related = ["room", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RoomMute)
class RoomMuteAdmin(admin.ModelAdmin):
    list_display = ["member", "room", "until", "actor"]
    list_select_related = ["member", "room", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(ReadMarker)
admin.site.register(ChatPreference)

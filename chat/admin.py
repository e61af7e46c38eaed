"""Read-only views for site administrators (members.admin says why). Rooms are managed at /chat/manage/, and
messages change only through chat.services, which broadcast, audit and keep the seq counter right."""

from django.contrib import admin

from members.admin import ReadOnlyAdmin

from .models import ChatPreference, Message, ReadMarker, Room, RoomMute


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "audience", "last_seq", "slow_mode_seconds", "retention_days"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["room", "seq", "author", "state", "created_at"]
    list_filter = ["state", "room"]
    list_select_related = ["room", "author"]


@admin.register(RoomMute)
class RoomMuteAdmin(ReadOnlyAdmin):
    list_display = ["member", "room", "until", "actor"]
    list_select_related = ["member", "room", "actor"]


admin.site.register(ReadMarker, ReadOnlyAdmin)
admin.site.register(ChatPreference, ReadOnlyAdmin)

"""Read-only views for site administrators (members.admin says why). Rooms are managed at /chat/manage/, and
messages change only through chat.services, which broadcast, audit and keep the seq counter right.

Private conversations are left out entirely: nobody reads them by browsing, site administrators included
(moderators see only what a report shows, and that is audited)."""

from django.contrib import admin

from members.admin import ReadOnlyAdmin

from .models import Message, ReadMarker, Room, RoomMute


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "audience", "last_seq", "slow_mode_seconds", "retention_days"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=Room.Kind.ROOM)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["room", "seq", "author", "state", "created_at"]
    list_filter = ["state", ("room", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["room", "author"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(room__kind=Room.Kind.ROOM)


@admin.register(RoomMute)
class RoomMuteAdmin(ReadOnlyAdmin):
    list_display = ["member", "room", "until", "actor"]
    list_select_related = ["member", "room", "actor"]


admin.site.register(ReadMarker, ReadOnlyAdmin)

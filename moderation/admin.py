from django.contrib import admin

from members.admin import ReadOnlyAdmin

from .models import Flag


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    """Reports are handled in the review queue, through services that audit what they do."""

    list_display = ["created_at", "reason", "status"]

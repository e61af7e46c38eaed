from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ConsentRecord, Invitation, ProgrammeGroup, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["display_name"]
    list_display = ["display_name", "email", "approved_at", "is_active"]
    search_fields = ["display_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name", "year_of_birth"]}),
        ("State", {"fields": ["is_active", "approved_at", "declined_at", "email_verified", "teen_cleared"]}),
        ("Permissions", {"fields": ["is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "display_name", "year_of_birth", "password1", "password2"]})]

    def get_readonly_fields(self, request, obj=None):
        # The age line and teen clearance decide who sees teens: they change only through the audited staff page
        # (/staff/members/<pk>/), which also resets groups and re-checks open sockets.
        return ["year_of_birth", "teen_cleared"] if obj is not None else []


admin.site.register(ProgrammeGroup)
admin.site.register(Invitation)
admin.site.register(ConsentRecord)

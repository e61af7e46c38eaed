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


admin.site.register(ProgrammeGroup)
admin.site.register(Invitation)
admin.site.register(ConsentRecord)

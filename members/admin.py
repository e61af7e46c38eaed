"""The Django admin is a read-only window for site administrators (superusers with MFA).

Every change to people, groups, invitations, rooms or content goes through the project's own staff pages and
services, which check permissions, audit the change and re-check open sockets; an editable admin page would be a
side door around all of that. Apps that show their models here use `ReadOnlyAdmin`.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group
from taggit.models import Tag
from wagtail.documents.models import Document
from wagtail.images.models import Image

from .models import ConsentRecord, Invitation, ProgrammeGroup, User

# Registered by the libraries: email addresses, authenticators and sessions are the member's own (allauth's pages),
# role groups are set on the staff pages, documents and images are Wagtail's (/cms/). Not offered here at all.
for _model in (EmailAddress, Authenticator, UserSession, Group, Tag, Document, Image):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    ordering = ["display_name"]
    list_display = ["display_name", "approved_at", "is_active"]
    search_fields = ["display_name"]
    # No password hash, no email: the people this site serves are known here by their display name.
    fields = [
        "display_name",
        "year_of_birth",
        "is_active",
        "approved_at",
        "declined_at",
        "email_verified",
        "teen_cleared",
        "is_superuser",
        "groups",
        "date_joined",
    ]


@admin.register(ProgrammeGroup)
class ProgrammeGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "for_teens"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["code", "audience", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["email"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["user", "document", "version", "accepted_at"]

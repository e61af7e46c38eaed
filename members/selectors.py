from django.db.models import Prefetch, QuerySet

from .models import Invitation, ProgrammeGroup, User


def invitations_for_staff() -> QuerySet[Invitation]:
    return Invitation.objects.select_related("created_by", "used_by").prefetch_related("groups")


def applicants_awaiting_approval() -> QuerySet[User]:
    return User.objects.filter(approved_at__isnull=True, declined_at__isnull=True, is_active=True).order_by(
        "date_joined"
    )


def members_for_staff() -> QuerySet[User]:
    return (
        User.objects.filter(approved_at__isnull=False)
        .prefetch_related("groups", Prefetch("programme_memberships__group", queryset=ProgrammeGroup.objects.all()))
        .order_by("display_name")
    )

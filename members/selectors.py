from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from .audience import members_visible_q
from .models import Invitation, ProgrammeGroup, User


def invitations_for_staff(viewer: User) -> QuerySet[Invitation]:
    """Invitations staff may see: teen ones (and the teens who used them) only for teen-cleared staff."""
    invitations = Invitation.objects.select_related("created_by", "used_by").prefetch_related("groups")
    if not viewer.teen_cleared:
        invitations = invitations.exclude(audience=Invitation.Audience.TEEN)
    return invitations


def applicants_awaiting_approval(viewer: User) -> QuerySet[User]:
    """Sign-ups waiting for a decision, on the viewer's side of the age line (teens for teen-cleared staff)."""
    return User.objects.filter(
        members_visible_q(viewer), approved_at__isnull=True, declined_at__isnull=True, is_active=True
    ).order_by("date_joined")


def members_for_staff(viewer: User) -> QuerySet[User]:
    """Members for the staff pages; teen members' names only for teen-cleared staff (DESIGN: access rules)."""
    return (
        User.objects.filter(members_visible_q(viewer), approved_at__isnull=False)
        .prefetch_related("groups", Prefetch("programme_memberships__group", queryset=ProgrammeGroup.objects.all()))
        .order_by("display_name")
    )


def visible_members(viewer: User) -> QuerySet[User]:
    """Approved, active members `viewer` may see at all: teens and adults never see each other."""
    if not (viewer.is_authenticated and viewer.is_approved_member):
        return User.objects.none()
    return User.objects.filter(members_visible_q(viewer), is_active=True, approved_at__isnull=False)


def load_roles(users) -> None:
    """Read the roles (and, for privileged roles, the second factor) of many members in two queries, kept on
    each user object where User caches them (`role_names`, `has_mfa`), so that audience and role rules checked
    for a whole list (notification fan-out) ask nothing more per member."""
    need = [user for user in users if "role_names" not in user.__dict__]
    if need:
        names: dict[int, set[str]] = defaultdict(set)
        rows = User.groups.through.objects.filter(user_id__in=[u.pk for u in need])
        for user_id, name in rows.values_list("user_id", "group__name"):
            names[user_id].add(name)
        for user in need:
            user.__dict__["role_names"] = frozenset(names[user.pk])
    if not settings.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED:
        return
    privileged = [user for user in users if user.has_moderator_role and "has_mfa" not in user.__dict__]
    if privileged:
        from allauth.mfa.models import Authenticator

        with_mfa = set(
            Authenticator.objects.filter(user_id__in=[u.pk for u in privileged]).values_list("user_id", flat=True)
        )
        for user in privileged:
            user.__dict__["has_mfa"] = user.pk in with_mfa

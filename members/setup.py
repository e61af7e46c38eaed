"""Idempotent set-up of the roles and programme groups every installation has."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import ProgrammeGroup, Role

PROGRAMME_GROUPS = [
    ("Structured Outpatient", "structured-outpatient", False),
    ("Relapse Prevention", "relapse-prevention", False),
    ("Dual Diagnosis", "dual-diagnosis", False),
    ("Women's Mental Wellness", "womens-mental-wellness", False),
    ("Teen Group", "teen-group", True),
]

# Django model permissions of each role, exactly (ensure_roles_and_groups removes any others). Staff manage
# members, invitations and programme groups only through the project's own audited staff pages, which check
# roles, not these permissions. Model permissions on users or groups would open Wagtail's user and group admin
# (make a superuser, set a password, list every email, no audit row), so no role has them.
ROLE_PERMISSIONS = {
    Role.MEMBER: [],
    Role.MODERATOR: ["audit.view_auditentry", "moderation.view_flag", "moderation.change_flag"],
    Role.STAFF: [
        "audit.view_auditentry",
        "moderation.view_flag",
        "moderation.change_flag",
        # Page editing and publishing in /cms/ (page permissions are granted by resources.services).
        "wagtailadmin.access_admin",
    ],
}


@transaction.atomic
def ensure_roles_and_groups() -> None:
    for name, slug, for_teens in PROGRAMME_GROUPS:
        ProgrammeGroup.objects.get_or_create(slug=slug, defaults={"name": name, "for_teens": for_teens})
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for dotted in perm_names:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        # set, not add: a permission taken out of the list above is taken away from installations that had it.
        group.permissions.set(perms)

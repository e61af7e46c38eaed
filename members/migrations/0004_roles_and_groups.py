"""The roles and programme groups every installation has, created once.

This used to run after every `migrate` (a post_migrate hook), which put back whatever staff had changed since.
Now it runs once, as any data migration; `members.setup.ensure_roles_and_groups` stays for tests and the demo.
It also takes away the permissions an older version granted: no role holds model permissions on people
(see members/setup.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Copied, not imported: a migration must keep doing what it did when it was written.
PROGRAMME_GROUPS = [
    ("Structured Outpatient", "structured-outpatient", False),
    ("Relapse Prevention", "relapse-prevention", False),
    ("Dual Diagnosis", "dual-diagnosis", False),
    ("Women's Mental Wellness", "womens-mental-wellness", False),
    ("Teen Group", "teen-group", True),
]
ROLE_PERMISSIONS = {
    "member": [],
    "moderator": ["audit.view_auditentry", "moderation.view_flag", "moderation.change_flag"],
    "staff": ["audit.view_auditentry", "moderation.view_flag", "moderation.change_flag", "wagtailadmin.access_admin"],
}


def create(apps, schema_editor):
    # Permissions are normally made after the whole migrate run; these roles need some of them now.
    for label in ("audit", "moderation", "wagtailadmin"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    ProgrammeGroup = apps.get_model("members", "ProgrammeGroup")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, slug, for_teens in PROGRAMME_GROUPS:
        ProgrammeGroup.objects.get_or_create(slug=slug, defaults={"name": name, "for_teens": for_teens})
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_user_restriction"),
        ("audit", "0005_moderation_actions"),
        ("moderation", "0005_sanctions_and_review"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

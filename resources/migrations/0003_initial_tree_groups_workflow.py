"""The resource tree's initial state, once per installation: the /resources/ index and the crisis page (/help/),
the Site named after the community, the "Resource editors" and "Resource publishers" groups, the review workflow,
and a privacy group per programme group. It replaces a post_migrate hook that put the Site's root back and
re-granted permissions on every `migrate`, undoing what staff had changed; staff may now change all of this in
/cms/ and nothing resets it. Only what is missing is created (an installation that ran the old hook keeps its
pages), with historical models only (no treebeard methods), so that later model changes do not break it.
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from resources.crisis import default_lines_stream_data

EDITORS = "Resource editors"
PUBLISHERS = "Resource publishers"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
PUBLISHER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, 4 characters a level


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _next_child_path(Page, parent) -> str:
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = 0
    if last is not None:
        for ch in last.path[-4:]:
            number = number * 36 + ALPHABET.index(ch)
    number += 1
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step


def _add_child(apps, parent, model, **fields):
    Page = apps.get_model("wagtailcore", "Page")
    now = timezone.now()
    page = model.objects.create(
        content_type=_content_type(apps, model._meta.app_label, model._meta.model_name),
        path=_next_child_path(Page, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        locale_id=parent.locale_id,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        draft_title=fields["title"],
        translation_key=uuid.uuid4(),
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count())
    return page


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def build(apps, schema_editor):
    # Permissions are normally made after all migrations; these need some now (as Wagtail's own migrations do).
    for label in ("wagtailcore", "wagtaildocs", "wagtailadmin"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None

    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ResourceIndexPage = apps.get_model("resources", "ResourceIndexPage")
    CrisisPage = apps.get_model("resources", "CrisisPage")
    ProgrammeGroup = apps.get_model("members", "ProgrammeGroup")
    ProgrammeAccessGroup = apps.get_model("resources", "ProgrammeAccessGroup")

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="en")
        root = Page.objects.create(
            title="Root", slug="root", content_type=_content_type(apps, "wagtailcore", "page"), path="0001", depth=1,
            numchild=0, url_path="/", locale=locale, draft_title="Root", translation_key=uuid.uuid4(),
        )
    index = ResourceIndexPage.objects.order_by("pk").first()
    if index is None:
        index = _add_child(
            apps, root, ResourceIndexPage, title="Resources", slug="resources",
            intro="<p>Guides, coping skills and meeting times from the clinic team.</p>",
        )
    if not CrisisPage.objects.exists():
        _add_child(
            apps, index, CrisisPage, title="Get help now", slug="help",
            intro="<p>You don't have to go through this alone. If you are in danger or thinking about harming "
            "yourself, please reach out now. These lines are free, confidential and open day and night.</p>",
            lines=default_lines_stream_data(), while_waiting=[],
        )

    # The Site: the resource index at its root, the community's name, this installation's host (not "localhost").
    parts = urlsplit(getattr(settings, "SITE_URL", "") or "http://localhost")
    hostname, port = parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page_id=index.pk, is_default_site=True, site_name=settings.COMMUNITY_NAME
        )
    else:
        old_root_id = site.root_page_id
        site.root_page_id = index.pk
        if site.hostname == "localhost":
            site.hostname, site.port = hostname, port
        if not site.site_name or site.site_name == "Resources":
            site.site_name = settings.COMMUNITY_NAME
        site.save()
        # Wagtail's untouched "Welcome" page goes; anything staff wrote stays.
        welcome = Page.objects.filter(
            pk=old_root_id, depth=2, slug="home", numchild=0, content_type=_content_type(apps, "wagtailcore", "page")
        ).first()
        if welcome is not None and welcome.pk != index.pk:
            welcome.delete()
            Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())

    # Staff roles published directly under the old hook; now publishing passes the workflow.
    GroupPagePermission.objects.filter(group__name="staff").delete()
    # Wagtail's sample "Moderators" and "Editors" groups and their workflow would be offered in the page privacy
    # dialog beside the community's own "moderator" role; while nobody is in them, they go.
    for name in ("Moderators", "Editors"):
        Group.objects.filter(name=name, user__isnull=True).delete()
    Workflow.objects.filter(name="Moderators approval", workflow_pages__isnull=False).filter(
        workflow_pages__page_id=root.pk
    ).update(active=False)
    WorkflowPage.objects.filter(page_id=root.pk, workflow__name="Moderators approval").delete()

    access_admin = _permission(apps, "wagtailadmin", "access_admin")
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for name, codenames in ((EDITORS, EDITOR_PAGE_PERMISSIONS), (PUBLISHERS, PUBLISHER_PAGE_PERMISSIONS)):
        group, created = Group.objects.get_or_create(name=name)
        groups[name] = group
        if not created:
            continue
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.create(
                group=group, page_id=index.pk, permission=_permission(apps, "wagtailcore", codename)
            )
        if root_collection is not None:
            for codename in DOCUMENT_PERMISSIONS:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=_permission(apps, "wagtaildocs", codename)
                )

    if not WorkflowPage.objects.filter(page_id=index.pk).exists():
        workflow = Workflow.objects.create(name="Resource review", active=True)
        task = GroupApprovalTask.objects.create(
            name="Approval by a resource publisher", active=True,
            content_type=_content_type(apps, "wagtailcore", "groupapprovaltask"),
        )
        task.groups.set([groups[PUBLISHERS]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page_id=index.pk, workflow=workflow)

    for programme_group in ProgrammeGroup.objects.filter(resource_access__isnull=True):
        group, _ = Group.objects.get_or_create(name=f"Programme group: {programme_group.name}"[:150])
        ProgrammeAccessGroup.objects.create(group=group, programme_group=programme_group)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_crisis_schedule_tags"),
        ("members", "0004_roles_and_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]

"""Set-up of the resource tree, its staff groups and its review workflow.

Migration 0003 does this once on every installation; staff may change any of it afterwards in /cms/, and nothing
puts it back (there is no post_migrate hook). `ensure_resource_root` does the same for a database that has none of
it (the test suite empties tables between some tests; `seed_demo`): it creates what is missing and changes nothing
that exists.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .crisis import default_lines_stream_data
from .models import CrisisPage, ProgrammeAccessGroup, ResourceIndexPage

EDITORS = "Resource editors"
PUBLISHERS = "Resource publishers"
WORKFLOW = "Resource review"
APPROVAL_TASK = "Approval by a resource publisher"
# Page permissions on the /resources/ tree. Editors write and submit; only publishers publish (and so approve).
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
PUBLISHER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document"]
ACCESS_GROUP_PREFIX = "Programme group: "

HELP_INTRO = (
    "<p>You don't have to go through this alone. If you are in danger or thinking about harming yourself, "
    "please reach out now. These lines are free, confidential and open day and night.</p>"
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_programme_access_group(programme_group) -> ProgrammeAccessGroup:
    """The Django group that stands for `programme_group` in Wagtail's page privacy (created once, renamed with
    the programme group so that staff recognise it in the privacy dialog)."""
    name = f"{ACCESS_GROUP_PREFIX}{programme_group.name}"[:150]
    access = ProgrammeAccessGroup.objects.select_related("group").filter(programme_group=programme_group).first()
    if access is None:
        group, _ = Group.objects.get_or_create(name=name)
        return ProgrammeAccessGroup.objects.create(group=group, programme_group=programme_group)
    if access.group.name != name:
        access.group.name = name
        access.group.save(update_fields=["name"])
    return access


def _ensure_staff_groups(index: Page) -> None:
    access_admin = _permission("wagtailadmin", "access_admin")
    root_collection = Collection.get_first_root_node()
    for name, page_perms in ((EDITORS, EDITOR_PAGE_PERMISSIONS), (PUBLISHERS, PUBLISHER_PAGE_PERMISSIONS)):
        group, created = Group.objects.get_or_create(name=name)
        if not created:
            continue  # staff may have changed it: leave it
        group.permissions.add(access_admin)
        for codename in page_perms:
            GroupPagePermission.objects.create(group=group, page=index, permission=_permission("wagtailcore", codename))
        if root_collection is not None:
            for codename in DOCUMENT_PERMISSIONS:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=_permission("wagtaildocs", codename)
                )


def _ensure_workflow(index: Page) -> None:
    if WorkflowPage.objects.filter(page=index).exists():
        return
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW, active=True)
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK)
        task.groups.set([Group.objects.get(name=PUBLISHERS)])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=index, workflow=workflow)


def site_host_and_port() -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(settings.SITE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


@transaction.atomic
def ensure_resource_root() -> ResourceIndexPage:
    """Create whatever of the resource tree, its Site, staff groups and workflow is missing (idempotent)."""
    from members.models import ProgrammeGroup

    locale, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locale)
    index = ResourceIndexPage.objects.first()
    if index is None:
        index = root.add_child(
            instance=ResourceIndexPage(
                title="Resources",
                slug="resources",
                intro="<p>Guides, coping skills and meeting times from the clinic team.</p>",
            )
        )
    if not CrisisPage.objects.exists():
        index.add_child(
            instance=CrisisPage(title="Get help now", slug="help", intro=HELP_INTRO, lines=default_lines_stream_data())
        )
    if not Site.objects.filter(is_default_site=True).exists():
        hostname, port = site_host_and_port()
        Site.objects.create(
            hostname=hostname, port=port, root_page=index, is_default_site=True, site_name=settings.COMMUNITY_NAME
        )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    _ensure_staff_groups(index)
    _ensure_workflow(index)
    for programme_group in ProgrammeGroup.objects.filter(resource_access__isnull=True):
        ensure_programme_access_group(programme_group)
    return index

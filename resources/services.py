from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import ResourceIndexPage


@transaction.atomic
def ensure_resource_root() -> ResourceIndexPage:
    """Make sure /resources/ has its index page and the default Site points at it (idempotent)."""
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=Locale.objects.get(language_code="en"))
    index = ResourceIndexPage.objects.first()
    if index is None:
        index = root.add_child(
            instance=ResourceIndexPage(
                title="Resources",
                slug="resources",
                intro="<p>Guides and meeting details published by the clinic team.</p>",
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=index, is_default_site=True, site_name="Resources")
    elif site.root_page_id != index.pk:
        site.root_page = index
        site.save(update_fields=["root_page"])
    _grant_staff_publishing(index)
    return index


def _grant_staff_publishing(index: ResourceIndexPage) -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    staff, _ = Group.objects.get_or_create(name="staff")
    for codename in ("add_page", "change_page", "publish_page"):
        perm = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
        if perm is not None:
            GroupPagePermission.objects.get_or_create(group=staff, page=index, permission=perm)

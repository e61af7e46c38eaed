"""Wagtail admin for clinic staff: page editing and publishing only.

People, roles and passwords are managed on the project's own staff pages (audited, MFA-checked). Wagtail's user,
group and site admin would be a side door around them (make a superuser, set a password, read every member's
email, no audit row), so only a site administrator (a superuser with MFA) is offered it. The views themselves are
closed twice: staff roles hold no user or group permissions (members.setup), and community.middleware refuses
these addresses to anyone but a site administrator. Workflow settings are left as they are (issue 10).
"""

from django.http import Http404
from wagtail import hooks
from wagtail.models import PageViewRestriction

# Names of Wagtail's menu items (the Settings submenu itself stays: workflows, collections, redirects).
SITE_ADMIN_ONLY_MENU_ITEMS = {"users", "groups", "sites"}


def _is_site_admin(request) -> bool:
    return getattr(request.user, "is_site_admin", False)


@hooks.register("construct_main_menu")
def hide_people_admin_from_staff(request, menu_items):
    if not _is_site_admin(request):
        menu_items[:] = [item for item in menu_items if item.name not in SITE_ADMIN_ONLY_MENU_ITEMS]


@hooks.register("construct_settings_menu")
def hide_people_settings_from_staff(request, menu_items):
    if not _is_site_admin(request):
        menu_items[:] = [item for item in menu_items if item.name not in SITE_ADMIN_ONLY_MENU_ITEMS]


@hooks.register("before_serve_page")
def hide_restricted_pages(page, request, serve_args, serve_kwargs):
    """A signed-in member outside a page's groups gets 404, as for a category or room outside their audience.

    Wagtail's own check (which runs after this) would send them to sign in again, and it lets any superuser
    through; here only a site administrator (a superuser with MFA) passes a group restriction they are not in.
    """
    user = request.user
    if not user.is_authenticated:
        return None  # the members-only gate has sent visitors to sign in already
    member_groups = None
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type != PageViewRestriction.GROUPS or user.is_site_admin:
            continue
        if member_groups is None:
            member_groups = set(user.groups.values_list("pk", flat=True))
        if not member_groups & {group.pk for group in restriction.groups.all()}:
            raise Http404("No such page.")
    return None

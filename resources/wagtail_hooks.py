"""Wagtail admin for clinic staff: page editing and publishing only.

People, roles and passwords are managed on the project's own staff pages (audited, MFA-checked). Wagtail's user,
group and site admin would be a side door around them (make a superuser, set a password, read every member's
email, no audit row), so only a site administrator (a superuser with MFA) is offered it. The views themselves are
closed twice: staff roles hold no user or group permissions (members.setup), and community.middleware refuses
these addresses to anyone but a site administrator. Workflow settings are left as they are (issue 10).
"""

from wagtail import hooks

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

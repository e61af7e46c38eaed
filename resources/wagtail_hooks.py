"""Wagtail admin for clinic staff: page editing and publishing only.

People, roles and passwords are managed on the project's own staff pages (audited, MFA-checked). Wagtail's user,
group and site admin would be a side door around them (make a superuser, set a password, read every member's
email, no audit row), so only a site administrator (a superuser with MFA) is offered it. The views themselves are
closed twice: staff roles hold no user or group permissions (members.setup), and community.middleware refuses
these addresses to anyone but a site administrator. Publishing passes the "Resource review" workflow: resource
editors submit, resource publishers approve (migration 0003).
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .permissions import check_view_document, check_view_page

# Names of Wagtail's menu items (the Settings submenu itself stays: workflows, collections).
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


@hooks.register("on_serve_page", order=-10)
def serve_by_the_community_rules(serve_next):
    """Resource pages are served by the community's privacy rules (resources.permissions), not Wagtail's alone.

    Outermost in the serving chain, so that it runs before Wagtail's own check, which would send a signed-in
    outsider to sign in again (saying that a page is there), judge groups by Django groups only, and let any
    superuser through. A member these rules admit is served here; a shared-password restriction still to be
    passed goes on to Wagtail's chain, which asks for the password.
    """

    def inner(page, request, serve_args, serve_kwargs):
        if not request.user.is_authenticated:
            return serve_next(page, request, serve_args, serve_kwargs)  # visitors: the gate sent them away already
        if check_view_page(request, page):  # restrictions are read once a request, shared with the listing
            return serve_next(page, request, serve_args, serve_kwargs)
        # Judged: Wagtail's own check (the rest of the chain) would only repeat it, by laxer rules.
        return page.serve(request, *serve_args, **serve_kwargs)

    return inner


@hooks.register("before_serve_document")
def documents_follow_their_pages(document, request):
    """Documents are served by the privacy of the pages that use them (resources.permissions)."""
    check_view_document(request, document)


def edit_crisis_page(request):
    from .models import CrisisPage

    page = CrisisPage.objects.order_by("pk").first()
    if page is None:
        raise Http404("There is no crisis page yet.")
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("register_admin_urls")
def crisis_page_url():
    return [path("crisis-lines/", edit_crisis_page, name="resources_edit_crisis_page")]


@hooks.register("register_admin_menu_item")
def crisis_page_menu_item():
    """A crisis number to correct should take seconds to find: a menu entry straight to the crisis page."""
    return MenuItem("Crisis lines", reverse("resources_edit_crisis_page"), icon_name="help", order=250)

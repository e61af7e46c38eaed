import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .headers import PERMISSIONS_POLICY, ROBOTS_TAG

# Open to anyone: sign-in, sign-up, email verification, password reset, the crisis page, static files, health.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/confirm-email/",
    "/accounts/password/reset/",
    "/accounts/2fa/authenticate/",
    "/accounts/logout/",
    "/help/",
    # A member's meetings feed for their calendar app: its address carries a token that stands for the member.
    "/calendar/",
    # One-click unsubscribe from an email: the signed link stands for the member and the kind of email.
    "/notifications/unsubscribe/",
    "/static/",
    "/healthz",
    # Wagtail's and the Django admin's own sign-in and password addresses: they only lead to allauth's.
    "/resources/_util/login/",
    "/resources/_util/authenticate_with_password/",
    "/cms/login/",
    "/cms/password_reset/",
    "/django-admin/login/",
    "/django-admin/password_change/",
)
# A suspended or banned member may still see why, and appeal (moderation's standing page), and sign out.
SHUT_OUT_PREFIXES = ("/my-standing/", "/notifications/")
# Signed in but not yet let in (applicants): their status page, the guidelines and their own account pages.
APPLICANT_PREFIXES = ("/accounts/", "/welcome/", "/guidelines/")
STAFF_PREFIXES = ("/cms/",)
SUPERUSER_PREFIXES = ("/django-admin/",)
# Wagtail's user, group and site settings admin: people, roles and passwords are managed on the project's own
# audited staff pages; only a site administrator (a superuser with MFA) may open these.
SUPERUSER_CMS_PREFIXES = ("/cms/users/", "/cms/groups/", "/cms/sites/", "/cms/settings/", "/cms/bulk/members/")
# Every team area needs a second factor: one rule (User.needs_mfa_for_role), checked here for whole areas.
TEAM_PREFIXES = ("/staff/", "/moderation/", *STAFF_PREFIXES, *SUPERUSER_PREFIXES)


class PrivacyHeadersMiddleware:
    """Nothing here is for search engines, and no signed-in page may stay in a shared computer's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Robots-Tag"] = ROBOTS_TAG
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Shared computers: the back button or the disk cache must not show a member's pages to the next person.
            response["Cache-Control"] = "private, no-store"
        return response


class IdleSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a visit.

    Touching the session once a day moves its expiry forward without a session write on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        today = timezone.localdate().isoformat()
        session = getattr(request, "session", None)
        if session is not None and session.session_key and session.get("_seen_day") != today:
            session["_seen_day"] = today
        return self.get_response(request)


class TimeZoneMiddleware:
    """Every page shows times in the member's own zone (User.time_zone), or the clinic's when they chose none.

    Sits after AuthenticationMiddleware. A zone name that zoneinfo no longer knows falls back to the clinic's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        zone = None
        if name:
            try:
                zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # a thread that serves the next request must not keep this member's zone


class MembersOnlyMiddleware:
    """Every address needs an approved, active member, except the public ones above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PUBLIC_PREFIXES) or path == "/robots.txt":
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        if not user.is_approved_member:
            if path.startswith(APPLICANT_PREFIXES):
                return self.get_response(request)
            return redirect("members:status")
        if user.is_shut_out:
            # Expiry takes effect by itself: `is_shut_out` compares the end with the clock on every request.
            if path.startswith(SHUT_OUT_PREFIXES):
                return self.get_response(request)
            return redirect("moderation_member:standing")
        if path.startswith(TEAM_PREFIXES):
            from members.permissions import MFA_NEEDED_MESSAGE, check_staff, needs_mfa_setup

            if needs_mfa_setup(user):
                messages.info(request, MFA_NEEDED_MESSAGE)
                return redirect("mfa_index")
            # Not `is_superuser` or `is_staff` (what the Django admin and Wagtail look at): those ignore MFA.
            if path.startswith((*SUPERUSER_PREFIXES, *SUPERUSER_CMS_PREFIXES)) and not user.is_site_admin:
                raise PermissionDenied("This page is for site administrators.")
            if path.startswith(STAFF_PREFIXES):
                check_staff(user)
        return self.get_response(request)


class AdminCspMiddleware:
    """Wagtail's admin runs a few inline scripts; only staff reach /cms/, so only there is inline script allowed.

    Sits after CSPMiddleware, so its response passes here first and CSPMiddleware reads the update.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(STAFF_PREFIXES):
            response._csp_update = {"script-src": ["'unsafe-inline'"]}
        return response

"""Who may open the staff and moderator pages."""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def needs_mfa_setup(user) -> bool:
    return settings.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED and not is_mfa_enabled(user)


def check_staff(user) -> None:
    """Clinic staff only: invitations, approvals, programme groups, categories and rooms."""
    if not (user.is_authenticated and user.is_approved_member and user.is_clinic_staff):
        raise PermissionDenied("This page is for clinic staff.")


def check_moderator(user) -> None:
    """Moderators and staff: the review queue, moderation actions, the audit log."""
    if not (user.is_authenticated and user.is_approved_member and user.is_moderator):
        raise PermissionDenied("This page is for moderators.")


def can_moderate(user) -> bool:
    return user.is_authenticated and user.is_approved_member and user.is_moderator


def _privileged(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            check(request.user)
            if needs_mfa_setup(request.user):
                messages.info(request, "Before using team pages, please set up two-factor authentication.")
                return redirect("mfa_index")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _privileged(check_staff)
moderator_required = _privileged(check_moderator)

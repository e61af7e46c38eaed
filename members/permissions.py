"""Who may open the staff and moderator pages."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

MFA_NEEDED_MESSAGE = (
    "Please set up two-factor authentication to use your team role. Until then you see the community as a member does."
)


def needs_mfa_setup(user) -> bool:
    """A moderator, staff member or superuser whose powers wait for a second factor (the rule is on the model)."""
    return user.is_authenticated and user.needs_mfa_for_role


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


def _privileged(check, has_role):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            # Someone who holds the role is sent to set up MFA (and told why); anyone else is refused.
            if user.is_authenticated and user.is_approved_member and has_role(user) and needs_mfa_setup(user):
                messages.info(request, MFA_NEEDED_MESSAGE)
                return redirect("mfa_index")
            check(user)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _privileged(check_staff, lambda user: user.has_staff_role)
moderator_required = _privileged(check_moderator, lambda user: user.has_moderator_role)


def check_move_across_age_line(user, member, *, year_of_birth: int) -> None:
    """Placing someone among teens, or taking them out, is for staff cleared to work with teens."""
    from .validators import is_adult_year  # local: keeps this module free of model imports

    check_staff(user)
    crosses = is_adult_year(year_of_birth) == member.is_teen
    if crosses and not user.teen_cleared:
        raise PermissionDenied("Only teen-cleared staff can move a member between teen and adult spaces.")


def can_report_member(user, member) -> bool:
    """Any member may report another they can see (moderation decides); nobody reports themselves."""
    return user.is_authenticated and user.is_approved_member and user.pk != member.pk


def can_from(check):
    """The `can_` twin of a `check_` function: the same rule as a yes or no, for templates and lists, never written
    twice (STYLE). Every app's permissions derive their `can_<verb>` with this."""

    def can(*args, **kwargs) -> bool:
        try:
            check(*args, **kwargs)
        except (Http404, PermissionDenied):
            return False
        return True

    can.__name__ = check.__name__.replace("check_", "can_", 1)
    can.__doc__ = check.__doc__
    return can

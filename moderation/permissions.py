"""Who may open the team's moderation pages, and which items, appeals and members each moderator may see.

Team pages answer 404 to anyone without the role (a member does not learn the area exists); a moderator whose
role waits for a second factor is sent to set it up. Teen items, appeals and members are hidden the same way
from moderators not cleared for teen spaces (DESIGN.md, Access rules).
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from members.permissions import MFA_NEEDED_MESSAGE, can_from, needs_mfa_setup

_can = can_from


def check_moderate(user) -> None:
    """Moderators and staff (with their second factor): the queue, items, appeals, members, the audit log."""
    if not (user.is_authenticated and user.is_approved_member and user.is_moderator):
        raise Http404


def check_see_teen(user, in_teen_space: bool) -> None:
    """Teen content, teen members and their appeals only for moderators cleared for teen spaces."""
    if in_teen_space and not user.teen_cleared:
        raise Http404


def check_open_item(user, item) -> None:
    check_moderate(user)
    check_see_teen(user, item.in_teen_space)


def check_open_member(user, member) -> None:
    check_moderate(user)
    check_see_teen(user, member.is_teen)


def check_open_appeal(user, appeal) -> None:
    check_moderate(user)
    check_see_teen(user, appeal.member.is_teen or bool(appeal.item_id and appeal.item.in_teen_space))


can_moderate = _can(check_moderate)
can_open_item = _can(check_open_item)
can_open_member = _can(check_open_member)
can_open_appeal = _can(check_open_appeal)


def team_page(view):
    """Decorator for moderators' pages: MFA first for those holding the role, 404 for everyone else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_approved_member and user.has_moderator_role and needs_mfa_setup(user):
            messages.info(request, MFA_NEEDED_MESSAGE)
            return redirect("mfa_index")
        check_moderate(user)
        return view(request, *args, **kwargs)

    return wrapped

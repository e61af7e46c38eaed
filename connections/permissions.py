"""Who may do what with goals, buddies, private conversations and support requests. Services assume these ran.

Someone a member may not reach (the other side of the age line, a block either way, not a member) does not exist
for them here: 404, never a reason that would confirm the person is there. A refusal about something the member can
see (already buddies, asked too recently) is a PermissionDenied or a service error with kind words.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.permissions import can_from

from . import selectors
from .models import Goal, SupportRequest

READ_ONLY_MESSAGE = (
    "Your account is read-only for the moment, so reaching out to other members is paused. You can see why, and "
    "until when, on your account standing page."
)
ACROSS_THE_LINE_MESSAGE = "Buddies are always both teens or both adults, so this one is not possible."


_can = can_from


def check_member(user) -> None:
    """An approved member (the members-only gate says so too; this keeps the rule next to the others)."""
    if not (user.is_authenticated and user.is_approved_member):
        raise Http404


def _check_not_read_only(user) -> None:
    if user.is_read_only:
        raise PermissionDenied(READ_ONLY_MESSAGE)


def check_reach(user, other) -> None:
    """`other` is someone `user` can see and be seen by, with no block between them; otherwise they do not exist."""
    check_member(user)
    if not selectors.can_reach(user, other):
        raise Http404("No such member.")


# --- goals ---------------------------------------------------------------------------------------


def check_edit_goal(user, goal: Goal) -> None:
    """Only the owner changes a goal or checks in on it; to anyone else it does not exist."""
    check_member(user)
    if goal.owner_id != user.pk:
        raise Http404("No such goal.")


def check_see_goal(user, goal: Goal) -> None:
    """The owner, and the buddies it is shared with while they are still buddies."""
    check_member(user)
    if not selectors.can_see_goal(user, goal):
        raise Http404("No such goal.")


# --- buddies -------------------------------------------------------------------------------------


def check_ask_buddy(user, other) -> None:
    """Any member may ask another they can reach, on the same side of the age line (staff included: a teen-cleared
    staff member who can see teens still cannot be a teen's buddy)."""
    check_reach(user, other)
    if user.is_teen != other.is_teen:
        raise PermissionDenied(ACROSS_THE_LINE_MESSAGE)
    _check_not_read_only(user)


def check_see_buddy(user, other) -> None:
    """A buddy's page (their shared goals, the nudge button) exists only while they are a buddy."""
    check_member(user)
    if other is None or not selectors.are_buddies(user, other):
        raise Http404("No such buddy.")


def check_nudge(user, other) -> None:
    check_see_buddy(user, other)
    _check_not_read_only(user)


# --- private conversations -------------------------------------------------------------------------


def _is_team(user) -> bool:
    return user.is_moderator or user.is_clinic_staff


def check_start_conversation(user, other) -> None:
    """Private conversations are between buddies, between a member and a moderator or staff member, or between a
    member and the supporter who answered their support request, always on one side of the age line. With anyone
    else there is nothing to open: 404."""
    check_reach(user, other)
    if user.is_teen != other.is_teen:
        # Chat never opens a private room across the age line, whoever asks (DESIGN: access rules).
        raise Http404("No such conversation.")
    if selectors.are_buddies(user, other):
        return
    if _is_team(user) or _is_team(other):
        return
    if SupportRequest.objects.filter(member__in=[user, other], answered_by__in=[user, other]).exists():
        return
    raise Http404("No such conversation.")


# --- peer support --------------------------------------------------------------------------------


def check_request_support(user) -> None:
    """Every member may ask for support, a muted one too: asking for help is never paused."""
    check_member(user)


def check_go_on_duty(user) -> None:
    check_member(user)
    if not selectors.is_peer_supporter(user):
        raise PermissionDenied("Going on duty is for members who volunteered as peer supporters.")
    _check_not_read_only(user)


def check_answer_support(user, support_request: SupportRequest) -> None:
    """On-duty peer supporters and moderators, on the member's side of the age line (answering opens a private
    conversation, which never crosses it) and able to reach them."""
    check_member(user)
    member = support_request.member
    if member.pk == user.pk or user.is_teen != member.is_teen or not selectors.can_reach(user, member):
        raise Http404("No such request.")
    if not (user.is_moderator or (selectors.is_peer_supporter(user) and selectors.is_on_duty(user))):
        raise Http404("No such request.")
    _check_not_read_only(user)


def check_manage_supporters(user) -> None:
    """Staff and moderators choose who may volunteer as a peer supporter."""
    check_member(user)
    if not user.is_moderator:
        raise PermissionDenied("This page is for moderators and clinic staff.")


def check_grant_supporter(user, member) -> None:
    check_manage_supporters(user)
    check_reach(user, member)


can_reach = _can(check_reach)
can_edit_goal = _can(check_edit_goal)
can_ask_buddy = _can(check_ask_buddy)
can_nudge = _can(check_nudge)
can_start_conversation = _can(check_start_conversation)
can_go_on_duty = _can(check_go_on_duty)
can_answer_support = _can(check_answer_support)
can_manage_supporters = _can(check_manage_supporters)

"""/connections/buddies/: one's buddies, requests, nudges, and a buddy's shared goals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from members.models import User

from .. import permissions, selectors, services
from ..forms import AskByNameForm
from ..models import Buddyship
from ..services import ConnectionsError


def _buddies_page(request, ask_form, status: int = 200):
    user = request.user
    context = {
        "buddies": list(selectors.buddies_of(user)),
        "received": list(selectors.requests_received(user)),
        "sent": list(selectors.requests_sent(user)),
        "nudges": list(selectors.nudges_received(user)),
        "ask_form": ask_form,
    }
    return render(request, "connections/buddies.html", context, status=status)


def buddy_list(request):
    permissions.check_member(request.user)
    return _buddies_page(request, AskByNameForm(viewer=request.user))


def _ask(request, member):
    try:
        permissions.check_ask_buddy(request.user, member)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return None
    try:
        result = services.ask_buddy(asker=request.user, member=member)
    except ConnectionsError as refused:
        messages.info(request, str(refused))
        return None
    if isinstance(result, Buddyship):
        messages.success(request, f"You and {member.display_name} are now buddies.")
    else:
        messages.success(request, f"Your request is on its way to {member.display_name}. It shows as pending here.")
    return result


@require_POST
def ask_by_name(request):
    permissions.check_member(request.user)
    form = AskByNameForm(request.POST, viewer=request.user)
    if not form.is_valid():
        return _buddies_page(request, form, status=400)
    _ask(request, form.member)
    return redirect("connections:buddies")


@require_POST
def ask(request, pk: int):
    permissions.check_member(request.user)
    member = User.objects.filter(pk=pk).first()
    permissions.check_reach(request.user, member)
    _ask(request, member)
    return redirect("connections:buddies")


def _received_or_404(request, pk: int):
    permissions.check_member(request.user)
    buddy_request = selectors.request_received(request.user, pk)
    if buddy_request is None:
        raise Http404("No such request.")
    return buddy_request


@require_POST
def accept(request, pk: int):
    buddy_request = _received_or_404(request, pk)
    if buddy_request.from_member.is_teen != request.user.is_teen:
        raise Http404("No such request.")
    try:
        services.accept_buddy_request(buddy_request=buddy_request, member=request.user)
    except ConnectionsError as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, f"You and {buddy_request.from_member.display_name} are now buddies.")
    return redirect("connections:buddies")


@require_POST
def decline(request, pk: int):
    buddy_request = _received_or_404(request, pk)
    services.decline_buddy_request(buddy_request=buddy_request, member=request.user)
    messages.success(request, "Declined. They won't be told.")
    return redirect("connections:buddies")


def _buddy_or_404(request, pk: int) -> User:
    buddy = selectors.buddy_for(request.user, pk)
    permissions.check_see_buddy(request.user, buddy)
    return buddy


def buddy_detail(request, pk: int):
    buddy = _buddy_or_404(request, pk)
    last = selectors.last_nudge(request.user, buddy)
    next_nudge_at = last.created_at + services.NUDGE_EVERY if last is not None else None
    context = {
        "buddy": buddy,
        "goals": list(selectors.shared_goals_of(request.user, buddy)),
        "can_nudge": permissions.can_nudge(request.user, buddy),
        "nudge_waits": next_nudge_at is not None and next_nudge_at > timezone.now(),
        "next_nudge_at": next_nudge_at,
        "can_message": permissions.can_start_conversation(request.user, buddy),
    }
    return render(request, "connections/buddy.html", context)


@require_POST
def nudge(request, pk: int):
    buddy = _buddy_or_404(request, pk)
    try:
        permissions.check_nudge(request.user, buddy)
        services.send_nudge(sender=request.user, recipient=buddy)
    except (PermissionDenied, ConnectionsError) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Nudge sent. {buddy.display_name} will see that a buddy is thinking of them.")
    return redirect("connections:buddy", pk=buddy.pk)


@require_POST
def end(request, pk: int):
    buddy = _buddy_or_404(request, pk)
    services.end_buddyship(member=request.user, other=buddy)
    messages.success(request, f"You and {buddy.display_name} are no longer buddies. They won't get a notice.")
    return redirect("connections:buddies")

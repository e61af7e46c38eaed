"""/support/: "I need support now", the on-duty switch and waiting requests for supporters, and the staff page of
peer supporters."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from members.models import User
from members.permissions import moderator_required

from .. import permissions, selectors, services
from ..forms import ReasonForm, SupporterForm
from ..models import SupportRequest
from ..services import AlreadyAnswered, ConnectionsError


def _support_context(user) -> dict:
    open_request = selectors.open_support_request(user)
    answered = None if open_request is not None else selectors.latest_answered_request(user)
    return {
        "open_request": open_request,
        "answered": answered,
        "is_supporter": selectors.is_peer_supporter(user),
        "on_duty": selectors.is_on_duty(user),
        "waiting": selectors.waiting_requests_for(user),
        "can_manage": permissions.can_manage_supporters(user),
    }


def support_home(request):
    permissions.check_member(request.user)
    return render(request, "connections/support.html", _support_context(request.user))


@require_POST
def ask_for_support(request):
    permissions.check_request_support(request.user)
    services.request_support(member=request.user)
    messages.success(
        request,
        "We've let the supporters on duty know. The lines below answer any time, day or night, if you need them now.",
    )
    return redirect("support:home")


def status(request):
    """For the support page's small script: has someone answered? (JSON; the page works without it too.)"""
    permissions.check_member(request.user)
    user = request.user
    if selectors.open_support_request(user) is not None:
        return JsonResponse({"state": "waiting"})
    answered = selectors.latest_answered_request(user)
    if answered is not None and answered.room is not None:
        return JsonResponse({"state": "answered", "url": answered.room.get_absolute_url()})
    return JsonResponse({"state": "none"})


@require_POST
def duty(request):
    permissions.check_go_on_duty(request.user)
    on = request.POST.get("on") == "1"
    services.set_on_duty(supporter=request.user, on_duty=on)
    messages.success(
        request,
        "You are on duty. Thank you: you'll be told when someone asks for support."
        if on
        else "You are off duty. Thank you for your time.",
    )
    return redirect("support:home")


def _request_or_404(pk: int) -> SupportRequest:
    support_request = SupportRequest.objects.filter(pk=pk).select_related("member").first()
    if support_request is None:
        raise Http404("No such request.")
    return support_request


@require_POST
def answer(request, pk: int):
    support_request = _request_or_404(pk)
    permissions.check_answer_support(request.user, support_request)
    try:
        answered = services.answer_support_request(support_request=support_request, supporter=request.user)
    except AlreadyAnswered as taken:
        messages.info(request, str(taken))
        return redirect("support:home")
    except ConnectionsError as refused:
        messages.error(request, str(refused))
        return redirect("support:home")
    messages.success(request, "Thank you for answering. This conversation is just between the two of you.")
    return redirect(answered.room.get_absolute_url())


@require_POST
def close(request, pk: int):
    support_request = _request_or_404(pk)
    if support_request.member_id != request.user.pk:
        raise Http404("No such request.")
    services.close_support_request(support_request=support_request, member=request.user)
    messages.success(request, "Glad to hear it. The button is here whenever you need it.")
    return redirect("support:home")


@moderator_required
def supporters(request):
    form = SupporterForm(request.POST or None, viewer=request.user)
    status_code = 200
    if request.method == "POST":
        if form.is_valid():
            permissions.check_grant_supporter(request.user, form.member)
            if services.grant_peer_supporter(
                member=form.member, actor=request.user, reason=form.cleaned_data["reason"]
            ):
                messages.success(request, f"{form.member.display_name} can now go on duty as a peer supporter.")
            else:
                messages.info(request, f"{form.member.display_name} is already a peer supporter.")
            return redirect("support:supporters")
        status_code = 400
    context = {"form": form, "supporters": list(selectors.peer_supporters_for_staff(request.user))}
    return render(request, "connections/supporters.html", context, status=status_code)


@moderator_required
@require_POST
def remove_supporter(request, pk: int):
    member = selectors.peer_supporters_for_staff(request.user).filter(pk=pk).first()
    if member is None:
        raise Http404("No such supporter.")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.revoke_peer_supporter(member=User.objects.get(pk=member.pk), actor=request.user, reason=reason)
    messages.success(request, f"{member.display_name} is no longer a peer supporter.")
    return redirect("support:supporters")

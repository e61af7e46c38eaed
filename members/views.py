from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import InvitationForm, MemberSettingsForm, ReasonForm
from .models import Invitation, Role
from .permissions import staff_required


def status(request):
    """Where an applicant (signed in, not yet let in) learns what happens next."""
    user = request.user
    if user.is_approved_member:
        return redirect("home")
    return render(request, "members/status.html", {"applicant": user})


def guidelines(request):
    return render(request, "members/guidelines.html")


@staff_required
def invitation_list(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.create_invitation(
            actor=request.user,
            email=form.cleaned_data["email"],
            groups=form.cleaned_data["groups"],
            note=form.cleaned_data["note"],
            days=form.cleaned_data["days"],
        )
        sent = " and sent it by email" if invitation.email else ""
        messages.success(request, f"We created the invitation code {invitation.code}{sent}.")
        return redirect("members:invitations")
    return render(
        request,
        "members/invitations.html",
        {
            "form": form,
            "invitations": selectors.invitations_for_staff()[:200],
            "signup_mode": settings.COMMUNITY_SIGNUP_MODE,
        },
    )


@staff_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    if not invitation.email or invitation.state in ("used", "revoked"):
        messages.error(request, "Only an open invitation with an email address can be sent again.")
    else:
        services.resend_invitation(invitation=invitation, actor=request.user)
        messages.success(
            request,
            f"We sent {invitation.code} again; it is valid for another {settings.COMMUNITY_INVITATION_DAYS} days.",
        )
    return redirect("members:invitations")


@staff_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    if invitation.state == "used":
        messages.error(request, "This invitation was already used, so it cannot be revoked.")
    else:
        services.revoke_invitation(invitation=invitation, actor=request.user)
        messages.success(request, f"The invitation {invitation.code} can no longer be used.")
    return redirect("members:invitations")


@staff_required
def approval_queue(request):
    return render(
        request,
        "members/approvals.html",
        {
            "applicants": selectors.applicants_awaiting_approval(),
            "form": ReasonForm(),
            "signup_mode": settings.COMMUNITY_SIGNUP_MODE,
        },
    )


@staff_required
@require_POST
def approval_decide(request, pk: int, decision: str):
    applicant = get_object_or_404(selectors.applicants_awaiting_approval(), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if decision == "approve":
        services.approve_applicant(applicant=applicant, actor=request.user, reason=reason)
        messages.success(request, f"{applicant.display_name} is approved.")
    else:
        services.decline_applicant(applicant=applicant, actor=request.user, reason=reason)
        messages.success(request, f"{applicant.display_name} was declined.")
    return redirect("members:approvals")


@staff_required
def member_list(request):
    return render(request, "members/member_list.html", {"members": selectors.members_for_staff()[:500]})


@staff_required
def member_detail(request, pk: int):
    member = get_object_or_404(selectors.members_for_staff(), pk=pk)
    current_role = (
        Role.STAFF
        if Role.STAFF in member.role_names
        else Role.MODERATOR
        if Role.MODERATOR in member.role_names
        else Role.MEMBER
    )
    form = MemberSettingsForm(
        request.POST or None,
        initial={
            "groups": [m.group for m in member.programme_memberships.all()],
            "role": current_role,
            "teen_cleared": member.teen_cleared,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_member_settings(
            member=member,
            actor=request.user,
            groups=form.cleaned_data["groups"],
            role=form.cleaned_data["role"],
            teen_cleared=form.cleaned_data["teen_cleared"],
        )
        messages.success(request, f"Saved the settings for {member.display_name}.")
        return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_detail.html", {"member": member, "form": form})

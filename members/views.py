from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .forms import ApprovalForm, InvitationForm, MemberSettingsForm, ReasonForm, YearOfBirthForm
from .models import ProgrammeGroup, Role
from .permissions import check_move_across_age_line, staff_required


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
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        invitation = services.create_invitation(
            actor=request.user,
            email=form.cleaned_data["email"],
            audience=form.cleaned_data["audience"],
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
            "invitations": selectors.invitations_for_staff(request.user)[:200],
            "signup_mode": settings.COMMUNITY_SIGNUP_MODE,
        },
    )


@staff_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = get_object_or_404(selectors.invitations_for_staff(request.user), pk=pk)
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
    invitation = get_object_or_404(selectors.invitations_for_staff(request.user), pk=pk)
    if invitation.state == "used":
        messages.error(request, "This invitation was already used, so it cannot be revoked.")
    else:
        services.revoke_invitation(invitation=invitation, actor=request.user)
        messages.success(request, f"The invitation {invitation.code} can no longer be used.")
    return redirect("members:invitations")


@staff_required
def approval_queue(request):
    groups = list(ProgrammeGroup.objects.all())
    return render(
        request,
        "members/approvals.html",
        {
            "applicants": selectors.applicants_awaiting_approval(request.user),
            "form": ReasonForm(),
            "signup_mode": settings.COMMUNITY_SIGNUP_MODE,
            # Each applicant is offered the groups of their own side of the age line only.
            "adult_groups": [g for g in groups if not g.for_teens],
            "teen_groups": [g for g in groups if g.for_teens],
        },
    )


@staff_required
@require_POST
def approval_decide(request, pk: int, decision: str):
    applicant = get_object_or_404(selectors.applicants_awaiting_approval(request.user), pk=pk)
    if decision == "approve":
        form = ApprovalForm(request.POST, applicant=applicant)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("members:approvals")
        groups = form.cleaned_data["groups"]
        services.approve_applicant(
            applicant=applicant, actor=request.user, reason=form.cleaned_data["reason"], groups=groups
        )
        placed = f" in {', '.join(sorted(g.name for g in groups))}" if groups else ""
        messages.success(request, f"{applicant.display_name} is approved{placed}; we let them know by email.")
        return redirect("members:approvals")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.decline_applicant(applicant=applicant, actor=request.user, reason=reason)
    messages.success(request, f"{applicant.display_name} was declined.")
    return redirect("members:approvals")


@staff_required
def member_list(request):
    return render(request, "members/member_list.html", {"members": selectors.members_for_staff(request.user)[:500]})


def _settings_form(member, data=None) -> MemberSettingsForm:
    current_role = (
        Role.STAFF
        if Role.STAFF in member.role_names
        else Role.MODERATOR
        if Role.MODERATOR in member.role_names
        else Role.MEMBER
    )
    return MemberSettingsForm(
        data,
        initial={
            "groups": [m.group for m in member.programme_memberships.all()],
            "role": current_role,
            "teen_cleared": member.teen_cleared,
        },
    )


def _detail_page(request, member, *, form=None, age_form=None):
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "form": form or _settings_form(member),
            "age_form": age_form or YearOfBirthForm(initial={"year_of_birth": member.year_of_birth}),
        },
    )


@staff_required
def member_detail(request, pk: int):
    member = get_object_or_404(selectors.members_for_staff(request.user), pk=pk)
    form = _settings_form(member, request.POST or None)
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
    return _detail_page(request, member, form=form)


@staff_required
@require_POST
def member_year_of_birth(request, pk: int):
    member = get_object_or_404(selectors.members_for_staff(request.user), pk=pk)
    form = YearOfBirthForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, member, age_form=form)
    year = form.cleaned_data["year_of_birth"]
    check_move_across_age_line(request.user, member, year_of_birth=year)
    crossed = services.set_year_of_birth(
        member=member,
        year_of_birth=year,
        actor=request.user,
        groups=form.cleaned_data["groups"],
        reason=form.cleaned_data["reason"],
    )
    note = ""
    if crossed:
        side = "teen" if member.is_teen else "adult"
        note = f" They are now in {side} spaces; please check their programme groups."
    messages.success(request, f"Saved the year of birth for {member.display_name}.{note}")
    return redirect("members:member_detail", pk=member.pk)


def profile(request, pk: int):
    """A member's public face here: their display name and the year they joined, nothing more (pseudonyms,
    privacy by default). Across the teen/adult line, or not a member, the page does not exist (404)."""
    member = get_object_or_404(selectors.visible_members(request.user), pk=pk)
    return render(
        request,
        "members/profile.html",
        {"member": member, "can_report": permissions.can_report_member(request.user, member)},
    )

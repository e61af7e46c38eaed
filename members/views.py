import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import account_data, permissions, selectors, services
from .forms import (
    ApprovalForm,
    DeleteAccountForm,
    DisplayNameForm,
    InvitationForm,
    MemberSettingsForm,
    MilestoneForm,
    OwnSettingsForm,
    ProfileForm,
    ReasonForm,
    YearOfBirthForm,
)
from .models import EXPORT_DAYS, Block, DataExport, ProgrammeGroup, Role, User
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


def _profile_members(viewer):
    """Visible members, each with whether a block stands between them and `viewer` (either way) and whether they
    are on the team (who cannot be blocked), read in the same query as the member."""
    team = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name__in=[Role.MODERATOR, Role.STAFF])
    return selectors.visible_members(viewer).annotate(
        blocked_by_viewer=Exists(Block.objects.filter(blocker_id=viewer.pk, blocked_id=OuterRef("pk"))),
        blocks_viewer=Exists(Block.objects.filter(blocker_id=OuterRef("pk"), blocked_id=viewer.pk)),
        on_team=Exists(team),
    )


def profile(request, pk: int):
    """A member's public face here: their display name, the year they joined and their bio if they wrote one,
    nothing more (pseudonyms, privacy by default). Across the teen/adult line, or not a member, the page does not
    exist (404). With a block either way, both see a plain page: the blocker with a way to unblock."""
    member = get_object_or_404(_profile_members(request.user), pk=pk)
    own = member.pk == request.user.pk
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "own": own,
            "in_block": member.blocked_by_viewer or member.blocks_viewer,
            "can_block": not own and not member.on_team and not member.is_superuser,
            "can_report": permissions.can_report_member(request.user, member),
        },
    )


# --- blocking --------------------------------------------------------------------------------------


def _back_to(request, fallback: str) -> str:
    """The page a block or unblock was asked from (a post, a message, a profile), if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def block(request, pk: int):
    """Block a member, from their profile, a post or a message: a page that says what it does, then a button."""
    member = get_object_or_404(_profile_members(request.user), pk=pk)
    back = _back_to(request, reverse("members:profile", args=[member.pk]))
    if request.method == "POST":
        try:
            services.block_member(blocker=request.user, blocked=member)
        except services.BlockError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(
            request,
            f"You blocked {member.display_name}. You won't see each other's posts or messages, and neither of you "
            "can mention the other. You can undo this from your space at any time.",
        )
        return redirect(back)
    if member.blocked_by_viewer:
        messages.info(request, f"You have already blocked {member.display_name}.")
        return redirect(back)
    if member.pk == request.user.pk:
        messages.error(request, "You can't block yourself.")
        return redirect(back)
    if member.on_team or member.is_superuser:
        messages.error(
            request, "Moderators and clinic staff can't be blocked. If one of them worries you, contact the clinic."
        )
        return redirect(back)
    return render(request, "members/block_confirm.html", {"member": member, "next": back})


@require_POST
def unblock(request, pk: int):
    member = get_object_or_404(User, pk=pk)
    if services.unblock_member(blocker=request.user, blocked=member):
        messages.success(request, f"You unblocked {member.display_name}. You'll see each other's posts again.")
    return redirect(_back_to(request, reverse("members:me") + "#blocked"))


# --- the member's own space (/me/) -------------------------------------------------------------------


def _me_page(request, **forms):
    user = request.user
    wait = services.name_change_wait(member=user)
    context = {
        "name_form": DisplayNameForm(initial={"display_name": user.display_name}, member=user),
        "profile_form": ProfileForm(initial={"bio": user.bio}),
        "settings_form": OwnSettingsForm(
            initial={
                "show_presence": user.show_presence,
                "mention_policy": user.mention_policy,
                "show_milestones": user.show_milestones,
                "time_zone": user.time_zone,
            }
        ),
        "milestone_form": MilestoneForm(initial={"start": user.milestone_start}),
        "name_change_wait": wait,
        "days_counted": (timezone.localdate() - user.milestone_start).days if user.milestone_start else None,
        "blocked": Block.objects.filter(blocker=user).select_related("blocked").order_by("blocked__display_name"),
        "has_mfa": user.has_mfa,
        **forms,
    }
    return render(request, "members/me.html", context, status=400 if forms else 200)


def me(request):
    """The member's own space: name, bio, privacy settings, a private counter, blocks, and the way out."""
    if request.method != "POST":
        return _me_page(request)
    user = request.user
    action = request.POST.get("form", "")
    if action == "name":
        form = DisplayNameForm(request.POST, member=user)
        if not form.is_valid():
            return _me_page(request, name_form=form)
        try:
            changed = services.change_display_name(member=user, display_name=form.cleaned_data["display_name"])
        except services.OwnSpaceError as exc:
            form.add_error("display_name", str(exc))
            return _me_page(request, name_form=form)
        except IntegrityError:  # taken a moment ago by someone else
            form.add_error("display_name", "That name is already taken. Please choose another.")
            return _me_page(request, name_form=form)
        if changed:
            messages.success(request, f"Your display name is now {user.display_name}.")
        return redirect(reverse("members:me") + "#name")
    if action == "profile":
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return _me_page(request, profile_form=form)
        services.update_profile(member=user, bio=form.cleaned_data["bio"])
        messages.success(request, "Saved your bio.")
        return redirect(reverse("members:me") + "#profile")
    if action == "settings":
        form = OwnSettingsForm(request.POST)
        if not form.is_valid():
            return _me_page(request, settings_form=form)
        data = form.cleaned_data
        services.update_own_settings(
            member=user,
            show_presence=data["show_presence"],
            mention_policy=data["mention_policy"],
            show_milestones=data["show_milestones"],
        )
        services.set_time_zone(user=user, time_zone=data["time_zone"])
        messages.success(request, "Saved your settings.")
        return redirect(reverse("members:me") + "#settings")
    if action in ("milestone", "milestone_restart", "milestone_stop"):
        form = MilestoneForm(request.POST)
        if action == "milestone_restart":
            services.set_milestone_start(member=user, start=timezone.localdate())
            messages.success(request, "Your counter starts again from today. Only you can see it.")
        elif action == "milestone_stop":
            services.set_milestone_start(member=user, start=None)
            messages.success(request, "Your counter is off, and its date is gone.")
        elif not form.is_valid():
            return _me_page(request, milestone_form=form)
        else:
            services.set_milestone_start(member=user, start=form.cleaned_data["start"])
            messages.success(request, "Saved your counter. Only you can see it.")
        return redirect(reverse("members:me") + "#counter")
    return redirect("members:me")


# --- leaving: export and erasure ---------------------------------------------------------------------


def _own_export(request, pk: int) -> DataExport:
    """One of the member's own exports, ready and not expired; anything else is 404 (another member's too)."""
    export = get_object_or_404(DataExport, pk=pk, user=request.user, state=DataExport.State.READY)
    if export.is_expired:
        raise Http404("This export has expired.")
    return export


def me_export(request):
    """Ask for a copy of everything one wrote and set; the latest one, while it is being prepared or ready."""
    if request.method == "POST":
        services.request_data_export(member=request.user)
        return redirect("members:export")
    latest = DataExport.objects.filter(user=request.user, expires_at__gt=timezone.now()).first()
    return render(request, "members/me_export.html", {"export": latest, "days": EXPORT_DAYS})


def export_file(request, pk: int, fmt: str):
    """The export itself, to its owner only: the JSON file, or the same as a readable page (HTML)."""
    export = _own_export(request, pk)
    data = account_data.read_export(export)
    stamp = timezone.localtime(export.created_at).strftime("%Y-%m-%d")
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    elif fmt == "html":
        response = render(
            request,
            "members/export_page.html",
            {"sections": account_data.readable_sections(data), "exported_at": export.created_at},
        )
    else:
        raise Http404("No such format.")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    return response


@reauthentication_required
def me_delete(request):
    """Close one's account for good, after entering one's password (or second factor) again."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_account(member=request.user, remove_content=form.remove_content)
        except services.OwnSpaceError as exc:
            messages.error(request, str(exc))
            return redirect("members:delete")
        logout(request)
        return render(request, "members/deleted.html")
    return render(request, "members/me_delete.html", {"form": form}, status=400 if form.errors else 200)

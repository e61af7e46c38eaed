"""A member as moderators see them (sanctions, items, notes), and the appeals queue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from members.models import User

from .. import selectors, services
from ..forms import AppealDecisionForm, LiftForm, NoteForm, SanctionForm
from ..models import Sanction
from ..permissions import check_open_appeal, check_open_member, team_page
from .common import show_error, status_for, team_context
from .queue import QUEUE_PER_PAGE


@team_page
def member_detail(request, pk: int):
    member = get_object_or_404(User, pk=pk)
    check_open_member(request.user, member)
    intent = request.POST.get("intent") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    sanction_form = SanctionForm(data if intent == "sanction" else None, auto_id="id_sanction_%s")
    note_form = NoteForm(data if intent == "note" else None, auto_id="id_note_%s")
    lift_id = request.POST.get("sanction") if intent == "lift" else None
    lift_forms = {}
    for sanction in selectors.sanctions_of(member):
        bound = data if lift_id == str(sanction.pk) else None
        lift_forms[sanction.pk] = LiftForm(bound, auto_id=f"id_lift{sanction.pk}_%s")
    if request.method == "POST":
        done = None
        form = {"sanction": sanction_form, "note": note_form}.get(intent) or lift_forms.get(_int(lift_id))
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if intent == "sanction":
                    services.issue_sanction(
                        member=member,
                        kind=data["kind"],
                        actor=request.user,
                        reason=data["reason"],
                        days=data.get("days"),
                        hours=data.get("hours"),
                    )
                    done = f"Done: {member.display_name} has been told what, why and until when."
                elif intent == "note":
                    services.add_member_note(member=member, author=request.user, body=data["body"])
                    done = "Your note is saved. Only moderators see it."
                elif intent == "lift":
                    sanction = get_object_or_404(Sanction, pk=lift_id, member=member)
                    services.lift_sanction(sanction=sanction, actor=request.user, reason=data["reason"])
                    done = f"Lifted. {member.display_name} has been told."
            except ValidationError as error:
                show_error(form, error)
        if done:
            messages.success(request, done)
            return redirect("moderation:member", pk=member.pk)
        if form is None:
            return redirect("moderation:member", pk=member.pk)
    all_forms = [sanction_form, note_form, *lift_forms.values()]
    sanctions = [(s, lift_forms.get(s.pk)) for s in selectors.sanctions_of(member)]
    context = {
        "member": member,
        "sanctions": sanctions,
        "history": selectors.author_history(request.user, member, limit=25),
        "notes": selectors.notes_on(member),
        "sanction_form": sanction_form,
        "note_form": note_form,
        "can_sanction": member.pk != request.user.pk,
    }
    return render(request, "moderation/member.html", team_context(request, context), status=status_for(all_forms))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Appeals -------------------------------------------------------------------------------------------------


@team_page
def appeals(request):
    show = request.GET.get("show", "open")
    if show not in dict(selectors.APPEAL_SHOWS):
        show = "open"
    page = Paginator(selectors.appeal_list(request.user, show=show), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "shows": selectors.APPEAL_SHOWS}
    return render(request, "moderation/appeals.html", team_context(request, context))


@team_page
def appeal_detail(request, pk: int):
    appeal = get_object_or_404(selectors.appeals_for(request.user), pk=pk)
    check_open_appeal(request.user, appeal)
    form = AppealDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        grant = form.cleaned_data["decision"] == "grant"
        try:
            services.decide_appeal(appeal=appeal, actor=request.user, grant=grant, note=form.cleaned_data["note"])
        except ValidationError as error:
            show_error(form, error)
            appeal.refresh_from_db()
        else:
            messages.success(request, "Decided. The member has been told, with your note.")
            return redirect("moderation:appeals")
    row = selectors.item_row(appeal.item) if appeal.item_id else None
    context = {"appeal": appeal, "form": form, "row": row}
    return render(request, "moderation/appeal.html", team_context(request, context), status=status_for([form]))

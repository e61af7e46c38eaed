"""Members' own moderation pages (outside /moderation/, which is the team's): reporting something, their
account's standing, and appeals. The members-only gate lets a suspended member reach /my-standing/ only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AppealForm, ReportForm
from .models import Sanction

REPORT_THANKS = "Thank you. A moderator will look at it; we will let you know when they have."
APPEAL_THANKS = "Thank you. Your appeal is with the moderators; we will let you know what they decide."
PREVIEW_CHARS = 300


def _members_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_approved_member:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _safe_next(request, value: str | None) -> str | None:
    """Only a path on this site: never another host, nor a scheme-relative //address."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value


@_members_only
def report(request, kind: str, target_id: int):
    try:
        adapter, target = services.load_reportable(reporter=request.user, kind=kind, target_id=target_id)
    except services.ReportNotFound:
        raise Http404 from None
    data = request.POST if request.method == "POST" else None
    next_url = _safe_next(request, (data or request.GET).get("next"))
    form = ReportForm(data, initial={"next": next_url or ""})
    if data is not None and form.is_valid():
        try:
            services.report(
                reporter=request.user,
                kind=kind,
                target_id=target_id,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except services.ReportNotFound:
            raise Http404 from None
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, REPORT_THANKS)
            return redirect(next_url or adapter.url(target))
    context = {
        "form": form,
        "label": adapter.label,
        "where": adapter.where(target),
        "preview": Truncator(adapter.text(target)).chars(PREVIEW_CHARS),
        "back_url": next_url or adapter.url(target),
        "kind": kind,
        "target_id": target_id,
    }
    return render(request, "moderation/member/report.html", context, status=400 if form.errors else 200)


def _render_standing(request, *, posted: str | None = None, posted_form=None, status: int = 200):
    """The standing page; `posted` names the entry whose appeal form was just sent back with an error."""
    standing = selectors.standing_for(request.user)

    def with_forms(entries):
        rows = []
        for entry in entries:
            key = f"sanction-{entry.sanction.pk}" if entry.sanction else f"decision-{entry.item.pk}"
            if key == posted:
                form = posted_form
            else:
                form = AppealForm(auto_id=f"id_{key}_%s") if entry.can_appeal else None
            rows.append((entry, key, form))
        return rows

    context = {
        "standing": standing,
        "in_force": with_forms(standing.in_force),
        "past": with_forms(standing.past),
        "decisions": with_forms(standing.decisions),
    }
    return render(request, "moderation/member/standing.html", context, status=status)


@_members_only
def standing(request):
    return _render_standing(request)


def _appeal(request, *, key: str, **about):
    form = AppealForm(request.POST, auto_id=f"id_{key}_%s")
    if form.is_valid():
        try:
            services.submit_appeal(member=request.user, message=form.cleaned_data["message"], **about)
        except services.SanctionError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, APPEAL_THANKS)
            return redirect("moderation_member:standing")
    return _render_standing(request, posted=key, posted_form=form, status=400)


@_members_only
@require_POST
def appeal_sanction(request, pk: int):
    sanction = get_object_or_404(Sanction, pk=pk, member=request.user)
    return _appeal(request, key=f"sanction-{pk}", sanction=sanction)


@_members_only
@require_POST
def appeal_item(request, pk: int):
    item = get_object_or_404(services.appealable_items(request.user), pk=pk)
    return _appeal(request, key=f"decision-{pk}", item=item)

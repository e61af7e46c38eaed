import csv
import datetime
import json

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit import selectors as audit_selectors
from members.models import ADULT_AGE, User
from members.permissions import moderator_required, staff_required

from . import screening, services
from .forms import AuditFilterForm, TryTextForm, WatchedWordForm
from .models import WatchedWord

_FORM_FIELDS = ("kind", "pattern", "action", "note", "label")


def _show_service_error(form, error: ValidationError) -> None:
    code = getattr(error, "code", None)
    field = code if code in ("action", "note", "label") else "pattern"
    form.add_error(field, error)


@staff_required
def watched_words(request):
    intent = request.POST.get("intent") if request.method == "POST" else None
    form = WatchedWordForm(request.POST if intent == "add" else None)
    try_form = TryTextForm(request.POST if intent == "try" else None)
    tried = None
    if intent == "add" and form.is_valid():
        try:
            word = services.add_watched_word(actor=request.user, **{f: form.cleaned_data[f] for f in _FORM_FIELDS})
        except ValidationError as error:
            _show_service_error(form, error)
        else:
            messages.success(request, f"“{word.pattern}” is now on the list and screened from now on.")
            return redirect("moderation:watched_words")
    if intent == "try" and try_form.is_valid():
        tried = screening.screen_text(try_form.cleaned_data["text"])

    shown_action = request.GET.get("action", "")
    words = WatchedWord.objects.select_related("created_by")
    if shown_action in WatchedWord.Action.values:
        words = words.filter(action=shown_action)
    else:
        shown_action = ""
    return render(
        request,
        "moderation/watched_words.html",
        {
            "form": form,
            "try_form": try_form,
            "tried": tried,
            "words": words,
            "actions": WatchedWord.Action.choices,
            "shown_action": shown_action,
        },
    )


@staff_required
def watched_word_edit(request, pk: int):
    word = get_object_or_404(WatchedWord, pk=pk)
    initial = {f: getattr(word, f) for f in (*_FORM_FIELDS, "is_active")}
    form = WatchedWordForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_watched_word(word=word, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_service_error(form, error)
        else:
            messages.success(request, f"“{word.pattern}” is saved.")
            return redirect("moderation:watched_words")
    return render(request, "moderation/watched_word_form.html", {"form": form, "word": word})


@staff_required
@require_POST
def watched_word_active(request, pk: int):
    word = get_object_or_404(WatchedWord, pk=pk)
    active = request.POST.get("active") == "1"
    services.set_watched_word_active(word=word, actor=request.user, active=active)
    state = "screened again" if active else "switched off; it stays on the list and can be switched on again"
    messages.success(request, f"“{word.pattern}” is {state}.")
    return redirect("moderation:watched_words")


# --- The audit log -------------------------------------------------------------------------------------------

AUDIT_PER_PAGE = 50
_CSV_RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _audit_hidden_for(viewer) -> Q | None:
    """Rows a moderator not cleared for teen spaces must not see: those about a teen member's account.

    Only a User target is recognised here; rows about teen rooms, categories or posts are not yet hidden (the
    audit row does not record the space's audience, and moderation must not import forum or chat)."""
    if viewer.teen_cleared:
        return None
    teen_ids = (
        User.objects.filter(year_of_birth__gt=timezone.localdate().year - ADULT_AGE)
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    return Q(target_type=ContentType.objects.get_for_model(User), target_id__in=teen_ids)


def _audit_rows(request):
    form = AuditFilterForm(request.GET or None, target_types=audit_selectors.target_types_in_log())
    filters = {}
    if form.is_bound:
        form.is_valid()  # an invalid field is shown on the form and left out; the other filters still apply
        filters = form.filters()
    entries = audit_selectors.audit_entries(**filters, hidden=_audit_hidden_for(request.user))
    return form, entries


@moderator_required
def audit_log(request):
    form, entries = _audit_rows(request)
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "moderation/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


def _csv_cell(value) -> str:
    # Display names and reasons are typed by people: a cell starting with = + - @ would run as a formula in a
    # spreadsheet, so it is prefixed with an apostrophe.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_RISKY_STARTS) else text


class _Echo:
    def write(self, value):
        return value


@moderator_required
def audit_log_csv(request):
    _form, entries = _audit_rows(request)
    writer = csv.writer(_Echo())
    header = [
        "time (UTC)",
        "actor",
        "actor account id",
        "action",
        "action name",
        "target kind",
        "target id",
        "target",
        "reason",
        "changes",
    ]

    def rows():
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _csv_cell(value)
                    for value in (
                        entry.created_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
                        entry.actor_label,
                        entry.actor_id_kept,
                        entry.action,
                        entry.get_action_display(),
                        entry.target_type.model if entry.target_type else "",
                        entry.target_id,
                        entry.target_repr,
                        entry.reason,
                        json.dumps(entry.changes, ensure_ascii=False, sort_keys=True) if entry.changes else "",
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response

"""Staff manage the watched words that screening looks for."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from members.permissions import staff_required

from .. import screening, services
from ..forms import TryTextForm, WatchedWordForm
from ..models import WatchedWord

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

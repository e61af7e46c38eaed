from django import forms

from audit.models import AuditAction

from .models import WatchedWord
from .screening import DEFAULT_BLOCK_REASON, MAX_PATTERN_LENGTH


class WatchedWordForm(forms.Form):
    """Add or edit a watched word. The service validates the pattern; the view shows its errors here."""

    kind = forms.ChoiceField(
        choices=WatchedWord.Kind.choices,
        initial=WatchedWord.Kind.PHRASE,
        widget=forms.RadioSelect,
        label="What kind of entry is it?",
    )
    pattern = forms.CharField(
        max_length=MAX_PATTERN_LENGTH,
        label="Phrase or pattern",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Whole words, any capitals. Punctuation, apostrophes and extra spaces in a message are ignored, "
            "so “dont give up” also matches “Don’t… give up”. A pattern is a regular expression written for "
            "lower-case words separated by single spaces, without apostrophes or punctuation."
        ),
    )
    action = forms.ChoiceField(
        choices=WatchedWord.Action.choices,
        widget=forms.RadioSelect,
        label="What should happen when it matches?",
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label="Reason shown to the writer (for Block, optional)",
        help_text=(
            "Kind and plain: it is what someone sees when their message is refused. Left empty, they see: "
            f"“{DEFAULT_BLOCK_REASON}”"
        ),
    )
    label = forms.CharField(required=False, max_length=120, label="Note for the team (optional)")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["is_active"] = forms.BooleanField(
                required=False, label="Active (untick to stop screening for it; it stays on the list)"
            )


class TryTextForm(forms.Form):
    text = forms.CharField(
        max_length=20_000,
        label="Sentence to check",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="See what screening would do with it. Nothing is stored.",
    )


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET). Every field is optional; an invalid one is shown and the rest still apply."""

    action = forms.ChoiceField(label="Action", required=False)
    actor = forms.CharField(label="Who acted (display name)", required=False, max_length=100)
    target_type = forms.TypedChoiceField(label="Kind of target", required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label="From (date)", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To (date)", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, target_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *AuditAction.choices]
        self.fields["target_type"].choices = [("", "Any kind")] + [
            (ct.pk, f"{ct.app_label}: {ct.name}") for ct in target_types
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date comes before the start date; please swap them.")
        return data

    def filters(self) -> dict:
        """The valid filters only (a bad field is dropped, not the whole search)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "action": data.get("action") or "",
            "actor_name": (data.get("actor") or "").strip(),
            "target_type_id": data.get("target_type"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }

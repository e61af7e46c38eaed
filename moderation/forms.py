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


# --- The review queue, items, sanctions and appeals (moderators) ------------------------------------------------

REASON_REQUIRED = "Please give a reason: it goes in the audit log, and the member sees it where it is theirs."


def _reason_field(label: str = "Reason", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
        error_messages={"required": REASON_REQUIRED},
    )


class QueueFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", required=False)
    reason = forms.ChoiceField(label="Reason reported", required=False)
    kind = forms.ChoiceField(label="Kind", required=False)

    def __init__(self, *args, shows=(), kinds=(), reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show"].choices = list(shows)
        self.fields["reason"].choices = [("", "Any reason"), *reasons]
        self.fields["kind"].choices = [("", "Any kind"), *kinds]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"show": data.get("show") or "open", "reason": data.get("reason") or "", "kind": data.get("kind") or ""}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    reason = _reason_field(help_text="Written in the audit log. When you hide or remove, the author sees it too.")

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = list(choices)


class ToolForm(forms.Form):
    """A content warning, lock, unlock or move: `tool` says which (the button pressed)."""

    tool = forms.CharField(widget=forms.HiddenInput)
    warning = forms.CharField(label="Content warning members will see", required=False, max_length=200)
    category_id = forms.TypedChoiceField(label="Move to", required=False, coerce=int, empty_value=None)
    reason = _reason_field()

    def __init__(self, *args, move_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = [("", "Choose a category"), *move_choices]

    def options(self) -> dict:
        data = self.cleaned_data
        if data["tool"] == "content_warning":
            return {"warning": data.get("warning") or ""}
        if data["tool"] == "move":
            return {"category_id": data.get("category_id")}
        return {}


class RestoreForm(forms.Form):
    reason = _reason_field()


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label="What", widget=forms.RadioSelect)
    days = forms.IntegerField(label="Days", required=False, min_value=0, max_value=365)
    hours = forms.IntegerField(label="Hours", required=False, min_value=0, max_value=23)
    reason = _reason_field(help_text="The member reads this, so write it for them: what happened and what to do.")

    def __init__(self, *args, **kwargs):
        from .models import Sanction

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (Sanction.Kind.WARNING, "Warn (stays on their record)"),
            (Sanction.Kind.MUTE, "Mute: read-only for the time below"),
            (Sanction.Kind.SUSPENSION, "Suspend for the time below"),
            (Sanction.Kind.BAN, "Ban until lifted"),
        ]


class LiftForm(forms.Form):
    reason = _reason_field()


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Add a private note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only moderators see these notes; the member never does.",
        error_messages={"required": "The note is empty."},
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("grant", "Grant: lift the sanction or restore the content"), ("decline", "Decline: it stands")],
    )
    note = _reason_field(label="Note to the member", help_text="The member reads this with the decision.")


# --- Members: reports and appeals -------------------------------------------------------------------------------


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is the concern?",
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what the concern is."},
    )
    note = forms.CharField(
        label="Anything the moderators should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person you report never learns who reported them.",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .models import REPORT_REASONS, Flag

        super().__init__(*args, **kwargs)
        # Crisis first: it is the one that matters most and must never be missed.
        reasons = sorted(REPORT_REASONS, key=lambda choice: choice[0] != Flag.Reason.CRISIS)
        self.fields["reason"].choices = reasons


class AppealForm(forms.Form):
    message = forms.CharField(
        label="Why would you like this looked at again?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Please say in a few words why you would like this looked at again."},
    )

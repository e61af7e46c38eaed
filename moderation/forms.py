from django import forms

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

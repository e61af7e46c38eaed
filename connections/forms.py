from django import forms

from members.selectors import visible_members

from . import selectors
from .models import CHECKIN_LINE_MAX, GOAL_TITLE_MAX, NOTE_MAX, GoalCheckIn, Mood


class BuddyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class GoalForm(forms.Form):
    title = forms.CharField(
        label="Your goal",
        max_length=GOAL_TITLE_MAX,
        help_text="In your own words, for example “go to three meetings this week” or “call someone every day”.",
        error_messages={"required": "Please write your goal in a few words."},
    )
    share_with = BuddyChoiceField(
        label="Share with buddies (optional)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only the buddies you tick see this goal and your check-ins on it. Nobody else ever does.",
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_with"].queryset = selectors.buddies_of(owner)
        if not self.fields["share_with"].queryset.exists():
            # No buddies yet: the goal is private, and there is nothing to tick.
            del self.fields["share_with"]


class GoalCheckInForm(forms.Form):
    status = forms.ChoiceField(
        label="How did it go?",
        choices=GoalCheckIn.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose how it went: done, partly, or not this time."},
    )
    note = forms.CharField(label="A note (optional)", max_length=NOTE_MAX, required=False)


MOOD_CHOICES = [(value, f"{value}: {label}") for value, label in Mood.choices]


class DailyCheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        label="How do you feel today?",
        choices=MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose how you feel, from 1 (very low) to 5 (very good).",
            "invalid_choice": "Please choose how you feel, from 1 (very low) to 5 (very good).",
        },
    )
    line = forms.CharField(
        label="One line for today's check-in (optional)",
        max_length=CHECKIN_LINE_MAX,
        required=False,
        help_text="Posted as a reply in today's check-in topic. Leave it empty to only note your mood, privately.",
    )
    include_mood = forms.BooleanField(
        label="Include how I feel in my post", required=False, help_text="Otherwise your mood stays private to you."
    )


class AskByNameForm(forms.Form):
    display_name = forms.CharField(
        label="Their display name", max_length=40, error_messages={"required": "Please write their display name."}
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        # Only members the asker can reach are found; anyone else gets the same answer as a name that is not there.
        self.member = selectors.reachable_members(self.viewer).filter(display_name__iexact=name).first()
        if self.member is None or not selectors.can_reach(self.viewer, self.member):
            raise forms.ValidationError("We couldn't find a member with that display name. Please check the spelling.")
        return name


class SupporterForm(forms.Form):
    display_name = forms.CharField(
        label="Member's display name", max_length=40, error_messages={"required": "Please write a display name."}
    )
    reason = forms.CharField(label="Why (for the audit log)", max_length=300, required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        self.member = visible_members(self.viewer).filter(display_name__iexact=name).first()
        if self.member is None:
            raise forms.ValidationError("No member you can see has that display name.")
        return name


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Why (for the audit log)", max_length=300, required=False)

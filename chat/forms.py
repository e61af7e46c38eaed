from django import forms

from members.audience import audience_groups_error
from members.models import ProgrammeGroup
from moderation.models import REPORT_REASONS, Flag

from .models import WEEKDAYS, Room
from .protocol import MAX_BODY

RESERVED_SLUGS = {"manage", "presence", "new"}
MUTE_DURATIONS = [(15, "15 minutes"), (60, "1 hour"), (24 * 60, "1 day"), (7 * 24 * 60, "7 days")]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}),
        help_text="Light Markdown works: *italic*, **bold**, lists. Mention someone with @Name_With_Underscores.",
    )


class ReportReasonField(forms.ChoiceField):
    """Offers moderation's current reasons; the retired "harmful" from an older page is still taken."""

    def valid_value(self, value):
        return value == Flag.Reason.HARMFUL or super().valid_value(value)


class FlagForm(forms.Form):
    reason = ReportReasonField(label="What is the concern?", choices=REPORT_REASONS)
    note = forms.CharField(
        label="Anything the moderators should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Reason (moderators: the member sees it, and it goes in the audit log)", required=False, max_length=500
    )


class MuteForm(forms.Form):
    member = forms.ModelChoiceField(label="Member", queryset=None)
    minutes = forms.TypedChoiceField(label="For how long", choices=MUTE_DURATIONS, coerce=int, initial=60)
    reason = forms.CharField(label="Reason (for the audit log)", max_length=500)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class PresenceForm(forms.Form):
    visible = forms.BooleanField(required=False)


class RoomForm(forms.ModelForm):
    schedule_weekdays = forms.TypedMultipleChoiceField(
        label="Open on these days (leave all unticked for a room that is always open)",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Room
        fields = [
            "name",
            "slug",
            "description",
            "audience",
            "programme_groups",
            "schedule_weekdays",
            "opens_at",
            "closes_at",
            "slow_mode_seconds",
            "retention_days",
        ]
        widgets = {
            "programme_groups": forms.CheckboxSelectMultiple,
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {
            "opens_at": "Opens at (clinic time)",
            "closes_at": "Closes at (clinic time)",
            "retention_days": "Keep messages for (days)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_groups"].queryset = ProgrammeGroup.objects.all()
        if self.instance.pk:
            self.initial["schedule_weekdays"] = self.instance.weekdays

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError("That address is used by the site; please choose another.")
        return slug

    def clean_schedule_weekdays(self):
        return ",".join(str(d) for d in sorted(set(self.cleaned_data["schedule_weekdays"])))

    def clean(self):
        data = super().clean()
        error = audience_groups_error(data.get("audience"), data.get("programme_groups"))
        if error:
            self.add_error("programme_groups", error)
        if data.get("schedule_weekdays"):
            opens, closes = data.get("opens_at"), data.get("closes_at")
            if not opens or not closes:
                self.add_error("opens_at", "A scheduled room needs an opening and a closing time.")
            elif opens >= closes:
                self.add_error("closes_at", "The closing time must be after the opening time on the same day.")
        return data

from django import forms

from .kinds import GROUP_HINTS, Frequency, KindGroup
from .selectors import preferences_for


class EmailPreferencesForm(forms.Form):
    """How often to be emailed, one question per group of notices. No save(): the view passes cleaned_data to
    services.set_email_preferences(user=..., choices=form.cleaned_data).

    Its fields are named after the groups under the prefix "email" ("email-mentions" ...), so that it can sit
    inside a larger form (the /me/ page) without clashing. Render the fields with
    templates/notifications/includes/email_preferences_fields.html.
    """

    prefix = "email"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = preferences_for(user)
        for group in KindGroup:
            self.fields[group.value] = forms.ChoiceField(
                label=group.label,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                initial=current[group.value],
                help_text=GROUP_HINTS[group.value],
                error_messages={"required": "Please choose how often, or “No emails”."},
            )

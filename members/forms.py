from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from . import services
from .models import Invitation, ProgrammeGroup, Role, User
from .validators import clean_display_name, clean_year_of_birth


def signup_needs_code() -> bool:
    return settings.COMMUNITY_SIGNUP_MODE == "invitation"


class SignupForm(AllauthSignupForm):
    code = forms.CharField(
        label="Invitation code",
        max_length=20,
        required=False,
        help_text="The code from your invitation letter or email.",
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=40,
        help_text="What other members see. A first name or a nickname is fine; it need not be your real name.",
    )
    year_of_birth = forms.IntegerField(
        label="Year of birth",
        min_value=1900,
        max_value=2100,
        help_text="Only used to keep teen and adult spaces apart.",
    )
    accept_guidelines = forms.BooleanField(
        label="I have read and accept the community guidelines",
        required=True,
        error_messages={"required": "Please accept the community guidelines."},
    )
    accept_privacy = forms.BooleanField(
        label="I have read and accept the privacy consent",
        required=True,
        error_messages={"required": "Please accept the privacy consent."},
    )

    field_order = [
        "code",
        "display_name",
        "email",
        "password1",
        "password2",
        "year_of_birth",
        "accept_guidelines",
        "accept_privacy",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if signup_needs_code():
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = "Please enter the code from your invitation."
        else:
            del self.fields["code"]
        self.invitation: Invitation | None = None

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_year_of_birth(self) -> int:
        return clean_year_of_birth(self.cleaned_data["year_of_birth"])

    def clean(self):
        cleaned = super().clean()
        if signup_needs_code() and cleaned.get("code") and cleaned.get("email"):
            try:
                self.invitation = services.find_usable_invitation(code=cleaned["code"], email=cleaned["email"])
            except services.InvitationError as exc:
                self.add_error("code", str(exc))
        return cleaned

    @transaction.atomic
    def save(self, request):
        # One transaction: a sign-up that fails half-way leaves no account behind.
        return super().save(request)

    def custom_signup(self, request, user: User) -> None:
        try:
            services.register_applicant(
                user=user,
                display_name=self.cleaned_data["display_name"],
                year_of_birth=self.cleaned_data["year_of_birth"],
                invitation=self.invitation,
            )
        except services.InvitationError as exc:
            raise ValidationError(str(exc)) from exc


class InvitationForm(forms.Form):
    email = forms.EmailField(
        required=False,
        label="Email address (optional)",
        help_text="If given, only this address can use the code, and we send it there.",
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=ProgrammeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Programme groups",
    )
    note = forms.CharField(required=False, max_length=200, label="Note for staff (optional)")
    days = forms.IntegerField(min_value=1, max_value=90, initial=14, label="Valid for (days)")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Someone with this email address already has an account.")
        return email


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, label="Reason (optional)")


class MemberSettingsForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        queryset=ProgrammeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Programme groups",
    )
    role = forms.ChoiceField(choices=[(Role.MEMBER, "Member"), (Role.MODERATOR, "Moderator"), (Role.STAFF, "Staff")])
    teen_cleared = forms.BooleanField(required=False, label="May see teen spaces (moderators and staff only)")

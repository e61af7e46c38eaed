import logging
import re

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import services
from .models import Invitation, ProgrammeGroup, Role, User
from .validators import clean_display_name, clean_email_address, clean_year_of_birth

logger = logging.getLogger(__name__)

INVITATION_CODE_SHAPE = re.compile(r"[A-Za-z0-9-]{4,20}")


def signup_needs_code() -> bool:
    return settings.COMMUNITY_SIGNUP_MODE == "invitation"


def _code_from_link() -> str:
    """The code in the invitation email's link (`/accounts/signup/?code=...`), so that nobody has to copy it.

    allauth's view passes only `?email=` on as initial data; its middleware keeps the request in a context
    variable. Only a code-shaped value is shown back: the form must not echo arbitrary text from a link.
    """
    request = allauth_context.request
    code = request.GET.get("code", "").strip() if request is not None else ""
    return code if INVITATION_CODE_SHAPE.fullmatch(code) else ""


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
            if not self.is_bound:
                self.fields["code"].initial = _code_from_link()
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
        year = cleaned.get("year_of_birth")
        if self.invitation is not None and year is not None:
            # The age line is never crossed by typing a year: a year that does not fit the invitation's audience
            # is refused before anything is written, and the invitation stays usable.
            if not services.invitation_fits_year(invitation=self.invitation, year_of_birth=year):
                self.add_error("year_of_birth", services.AGE_MISMATCH_MESSAGE)
        return cleaned

    @transaction.atomic
    def save(self, request):
        # One transaction: a sign-up that fails half-way leaves no account behind.
        return super().save(request)

    def try_save(self, request):
        """Save, turning a lost race (same code, name or email at the same moment) into the form's usual answer.

        Validation ran before the write, but another sign-up can commit in between; the database's unique
        constraints and the one-time redemption of the code catch that, and the person sees what they would
        have seen a moment later, never an error page.
        """
        try:
            return super().try_save(request)
        except (IntegrityError, services.InvitationError) as exc:
            return self._after_lost_race(request, exc)

    def _after_lost_race(self, request, exc: Exception):
        email = self.cleaned_data.get("email", "")
        if isinstance(exc, services.InvitationError):
            self.add_error("code" if "code" in self.fields else None, str(exc))
        elif (
            EmailAddress.objects.filter(email__iexact=email).exists()
            or User.objects.filter(email__iexact=email).exists()
        ):
            # Exactly what a sign-up with a known address gets (allauth's enumeration-safe answer).
            self.account_already_exists = True
            return super().try_save(request)
        elif User.objects.filter(display_name__iexact=self.cleaned_data.get("display_name", "")).exists():
            self.add_error("display_name", "That name is already taken. Please choose another.")
        else:
            logger.warning("A sign-up hit a database conflict that matched no known field: %s", exc)
            self.add_error(None, "Something changed while we were saving your sign-up. Please try again.")
        return None, _signup_page(request, self)

    def custom_signup(self, request, user: User) -> None:
        services.register_applicant(
            user=user,
            display_name=self.cleaned_data["display_name"],
            year_of_birth=self.cleaned_data["year_of_birth"],
            invitation=self.invitation,
        )


def _signup_page(request, form):
    """The sign-up page showing `form` with its errors, as allauth's view renders it."""
    from allauth.account.views import SignupView  # local: allauth's views import this form's module lazily

    view = SignupView()
    view.setup(request)
    return view.form_invalid(form)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        required=False,
        max_length=320,  # longer than allowed, so that clean_email can say why rather than a bare length error
        label="Email address (optional)",
        help_text="If given, only this address can use the code, and we send it there.",
    )
    audience = forms.ChoiceField(
        choices=Invitation.Audience.choices,
        initial=Invitation.Audience.ADULT,
        widget=forms.RadioSelect,
        label="Who is this invitation for?",
        help_text="A sign-up whose year of birth does not fit is refused. Teen invitations need teen clearance.",
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=ProgrammeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Programme groups",
        help_text="Teen groups for a teen, adult groups for an adult.",
    )
    note = forms.CharField(required=False, max_length=200, label="Note for staff (optional)")
    days = forms.IntegerField(min_value=1, max_value=90, initial=14, label="Valid for (days)")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = clean_email_address(self.cleaned_data["email"])
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Someone with this email address already has an account.")
        return email

    def clean_audience(self) -> str:
        audience = self.cleaned_data["audience"]
        if audience == Invitation.Audience.TEEN and not self.user.teen_cleared:
            raise ValidationError("Only staff cleared to work with teens can invite a teen. Please ask one of them.")
        return audience

    def clean(self):
        cleaned = super().clean()
        audience, groups = cleaned.get("audience"), cleaned.get("groups")
        if audience and groups and services.groups_outside_audience(audience=audience, groups=groups):
            side = "teen" if audience == Invitation.Audience.TEEN else "adult"
            self.add_error(
                "groups",
                f"An invitation for {'a teen' if side == 'teen' else 'an adult'} can only "
                f"carry {side} programme groups. Please untick the others.",
            )
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, label="Reason (optional)")


class ApprovalForm(ReasonForm):
    """Approving an applicant (approval mode): staff place them in programme groups on their side of the age line."""

    groups = forms.ModelMultipleChoiceField(
        queryset=ProgrammeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Programme groups",
    )

    def __init__(self, *args, applicant: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant = applicant

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        if services.groups_across_age_line(member=self.applicant, groups=groups):
            side = "teen" if self.applicant.is_teen else "adult"
            raise ValidationError(
                f"{self.applicant.display_name} joins {side} spaces, so only {side} programme groups fit. "
                "Please untick the others."
            )
        return groups


class MemberSettingsForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        queryset=ProgrammeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Programme groups",
    )
    role = forms.ChoiceField(choices=[(Role.MEMBER, "Member"), (Role.MODERATOR, "Moderator"), (Role.STAFF, "Staff")])
    teen_cleared = forms.BooleanField(required=False, label="May see teen spaces (moderators and staff only)")


class YearOfBirthForm(forms.Form):
    """Staff correct a member's year of birth; crossing the teen/adult line resets their programme groups."""

    year_of_birth = forms.IntegerField(label="Year of birth", min_value=1900, max_value=2100)
    groups = forms.ModelMultipleChoiceField(
        queryset=ProgrammeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Programme groups on the new side",
        help_text="Used only when the change moves the member between teen and adult spaces; "
        "groups of the other side are left out.",
    )
    reason = forms.CharField(required=False, max_length=500, label="Reason (for the audit log)")

    def __init__(self, *args, **kwargs):
        # Shown beside the settings form, which has its own "groups" field: distinct ids keep labels right.
        kwargs.setdefault("auto_id", "id_age_%s")
        super().__init__(*args, **kwargs)

    def clean_year_of_birth(self) -> int:
        return clean_year_of_birth(self.cleaned_data["year_of_birth"])

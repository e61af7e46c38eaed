import functools
import logging
import re
import zoneinfo

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import NAME_CHANGE_WINDOW_DAYS, NAME_CHANGES_ALLOWED, Invitation, MentionPolicy, ProgrammeGroup, Role, User
from .naming import name_problem
from .text import clean_member_text
from .validators import clean_display_name, clean_email_address, clean_year_of_birth

logger = logging.getLogger(__name__)

INVITATION_CODE_SHAPE = re.compile(r"[A-Za-z0-9-]{4,20}")


# Erased accounts are shown as "Former member <id>" (members.account_data): nobody else may take that shape.
_ERASED_SHAPE = re.compile(r"former[\s._-]*member", re.IGNORECASE)


def clean_chosen_display_name(value: str, *, exclude_user_id: int | None = None) -> str:
    """The sign-up rules for a display name, wherever one is chosen (sign-up, /me/): shape, reserved words,
    watched words, taken (any case)."""
    name = clean_display_name(value, exclude_user_id=exclude_user_id)
    if _ERASED_SHAPE.search(name):
        raise ValidationError("That name is kept for accounts that were closed. Please choose another.")
    return name


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
        return clean_chosen_display_name(self.cleaned_data["display_name"])

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


# --- the member's own space (/me/) ---------------------------------------------------------------


@functools.cache
def time_zone_names() -> list[str]:
    """Zone names a member can choose: the "Area/City" ones, without the legacy and POSIX aliases."""
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right/"))
    )


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=40,
        help_text="What other members see. The same rules as at sign-up: 3 to 30 letters, numbers, spaces, dots, "
        f"dashes or underscores. You can change it {NAME_CHANGES_ALLOWED} times in {NAME_CHANGE_WINDOW_DAYS} days.",
    )

    def __init__(self, *args, member: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_display_name(self) -> str:
        return clean_chosen_display_name(self.cleaned_data["display_name"], exclude_user_id=self.member.pk)


class ProfileForm(forms.Form):
    bio = forms.CharField(
        label="A few words about you (optional)",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on your profile to members who can see you. At most 300 characters.",
        error_messages={"max_length": "Please keep your bio to 300 characters or fewer."},
    )

    def clean_bio(self) -> str:
        bio = clean_member_text(self.cleaned_data["bio"]).strip()
        # The watched words that screen names screen the bio too (it is shown beside the name).
        if bio and name_problem(bio):
            raise ValidationError(
                "Some words in your bio need a moderator's look before they can be shown here. Please change them."
            )
        return bio


class OwnSettingsForm(forms.Form):
    show_presence = forms.BooleanField(
        label="Show others when I'm in a chat room",
        required=False,
        help_text="Off: you can read and write in chat without appearing in a room's “here now” list.",
    )
    mention_policy = forms.ChoiceField(
        label="Who may mention me",
        choices=MentionPolicy.choices,
        widget=forms.RadioSelect,
        help_text="A mention (@ and your name) tells you about a post or message.",
    )
    show_milestones = forms.BooleanField(
        label="Announce my recovery milestones in Celebrations",
        required=False,
        help_text="Only if you keep a counter below. Members then see a short note such as “Sam is celebrating "
        "90 days today”, never your start date.",
    )
    time_zone = forms.ChoiceField(label="Show times in", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clinic = settings.TIME_ZONE.replace("_", " ")
        self.fields["time_zone"].choices = [("", f"Clinic time ({clinic})")] + [
            (name, name.replace("_", " ")) for name in time_zone_names()
        ]
        self.fields["time_zone"].error_messages["invalid_choice"] = "Please choose a time zone from the list."


class MilestoneForm(forms.Form):
    start = forms.DateField(
        label="Counting from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only you see this date and the count. Change it or start again at any time; nobody is told.",
        error_messages={"invalid": "Please enter a date, for example 2025-03-14."},
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start is None:
            return None
        if start > timezone.localdate():
            raise ValidationError("Please choose today or a day in the past.")
        if start.year < 1900:
            raise ValidationError("Please check the year of that date.")
        return start


class DeleteAccountForm(forms.Form):
    KEEP, REMOVE = "keep", "remove"
    content = forms.ChoiceField(
        label="Your posts and messages",
        widget=forms.RadioSelect,
        choices=[
            (KEEP, "Keep them, signed “Former member”, so that conversations still make sense"),
            (REMOVE, "Remove them: they are emptied and show as removed"),
        ],
        error_messages={"required": "Please choose what happens to your posts and messages."},
    )
    confirm = forms.BooleanField(
        label="I understand that this closes my account for good and can't be undone",
        error_messages={"required": "Please tick the box to confirm."},
    )

    @property
    def remove_content(self) -> bool:
        return self.cleaned_data["content"] == self.REMOVE

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import ADULT_AGE, TEEN_MIN_AGE, User

DISPLAY_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{1,28}[A-Za-z0-9]$")
# Names that would let someone pass as the clinic or its moderators.
RESERVED_NAME_PARTS = ("admin", "moderator", "staff", "support", "clinic", "official", "therapist", "counselor")


def clean_display_name(value: str, *, exclude_user_id: int | None = None) -> str:
    name = " ".join(value.split())
    if not DISPLAY_NAME_PATTERN.match(name):
        raise ValidationError(
            "Please use 3 to 30 letters, numbers, spaces, dots, dashes or underscores, "
            "starting and ending with a letter or number."
        )
    squashed = re.sub(r"[^a-z]", "", name.lower())
    if any(part in squashed for part in RESERVED_NAME_PARTS) or squashed in {"mod", "mods"}:
        raise ValidationError("That name could be mistaken for the clinic team. Please choose another.")
    taken = User.objects.filter(display_name__iexact=name)
    if exclude_user_id:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise ValidationError("That name is already taken. Please choose another.")
    return name


def clean_year_of_birth(year: int) -> int:
    age = timezone.localdate().year - year
    if age > 110 or age < 0:
        raise ValidationError("Please enter your year of birth as four digits, for example 1988.")
    if age < TEEN_MIN_AGE:
        raise ValidationError(f"You need to be at least {TEEN_MIN_AGE} to join this community.")
    return year


def is_adult_year(year: int) -> bool:
    return timezone.localdate().year - year >= ADULT_AGE

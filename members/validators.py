import re
import unicodedata

from django.core.exceptions import ValidationError

from .models import ADULT_AGE, TEEN_MIN_AGE, User, clinic_year
from .naming import name_problem
from .text import clean_member_text

DISPLAY_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{1,28}[A-Za-z0-9]$")
# Names that would let someone pass as the clinic or its moderators.
RESERVED_NAME_PARTS = ("admin", "moderator", "staff", "support", "clinic", "official", "therapist", "counselor")


def clean_display_name(value: str, *, exclude_user_id: int | None = None) -> str:
    name = " ".join(clean_member_text(value).split())
    if not DISPLAY_NAME_PATTERN.match(name):
        raise ValidationError(
            "Please use 3 to 30 letters, numbers, spaces, dots, dashes or underscores, "
            "starting and ending with a letter or number."
        )
    squashed = re.sub(r"[^a-z]", "", name.lower())
    if any(part in squashed for part in RESERVED_NAME_PARTS) or squashed in {"mod", "mods"}:
        raise ValidationError("That name could be mistaken for the clinic team. Please choose another.")
    # Watched words (moderation registers its screen here; members cannot import it).
    problem = name_problem(name)
    if problem:
        raise ValidationError(problem)
    taken = User.objects.filter(display_name__iexact=name)
    if exclude_user_id:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise ValidationError("That name is already taken. Please choose another.")
    return name


def clean_year_of_birth(year: int) -> int:
    age = clinic_year() - year
    if age > 110 or age < 0:
        raise ValidationError("Please enter your year of birth as four digits, for example 1988.")
    if age < TEEN_MIN_AGE:
        raise ValidationError(f"You need to be at least {TEEN_MIN_AGE} to join this community.")
    return year


def is_adult_year(year: int) -> bool:
    return clinic_year() - year >= ADULT_AGE


# RFC 5321 allows 254 characters in a usable address; a longer one is refused, never cut.
EMAIL_MAX_LENGTH = 254


def clean_email_address(value: str) -> str:
    """Refuse addresses that cannot be stored whole or that hide characters (bidi overrides, controls).

    Such an address would be stored and shown differently from what the person meant, and the mail server
    refuses it later, after the account exists.
    """
    email = (value or "").strip()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            f"That email address is too long: please use one of at most {EMAIL_MAX_LENGTH} characters."
        )
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cs", "Cn"} for ch in email):
        raise ValidationError(
            "That email address contains spaces or invisible characters. Please type it again by hand."
        )
    return email

"""Demo accounts, one for each role. Development only."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from .models import ProgrammeGroup, ProgrammeMembership, Role, User

DEMO_PASSWORD = "demo-pass-2026"

DEMO_ACCOUNTS = [
    # email, display name, year of birth, roles, programme group slugs
    ("member@example.com", "Sam R", 1988, [Role.MEMBER], ["structured-outpatient", "relapse-prevention"]),
    ("member2@example.com", "Jordan", 1979, [Role.MEMBER], ["relapse-prevention", "dual-diagnosis"]),
    ("member3@example.com", "Maya", 1991, [Role.MEMBER], ["womens-mental-wellness", "structured-outpatient"]),
    ("teen@example.com", "Riley T", timezone.localdate().year - 16, [Role.MEMBER], ["teen-group"]),
    ("moderator@example.com", "Alex (peer mod)", 1984, [Role.MEMBER, Role.MODERATOR], ["relapse-prevention"]),
    ("staff@example.com", "Dana (clinic team)", 1975, [Role.MEMBER, Role.MODERATOR, Role.STAFF], []),
]


def _role_label(roles, year_of_birth: int) -> str:
    if Role.STAFF in roles:
        return "staff"
    if Role.MODERATOR in roles:
        return "moderator"
    return "teen member" if timezone.localdate().year - year_of_birth < 18 else "member"


def demo_sign_ins() -> list[tuple[str, str, str]]:
    """(role, email, password) for each demo account, to print."""
    return [(_role_label(roles, born), email, DEMO_PASSWORD) for email, _name, born, roles, _groups in DEMO_ACCOUNTS]


def seed() -> list[tuple[str, str, str]]:
    """Create (or reset) the demo accounts; returns (role, email, password) rows to print."""
    rows = []
    for email, name, born, roles, group_slugs in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
        user.display_name = name
        user.year_of_birth = born
        user.approved_at = user.approved_at or timezone.now()
        user.email_verified = True
        user.is_active = True
        user.teen_cleared = Role.STAFF in roles
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        user.groups.set(Group.objects.filter(name__in=roles))
        for group in ProgrammeGroup.objects.filter(slug__in=group_slugs):
            ProgrammeMembership.objects.get_or_create(user=user, group=group)
        rows.append((_role_label(roles, born), email, DEMO_PASSWORD))
    return rows

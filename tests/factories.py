import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone

from members.models import ProgrammeGroup, ProgrammeMembership, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    """An approved adult member with a verified email."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    year_of_birth = 1985
    approved_at = factory.LazyFunction(timezone.now)
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        names = extracted if extracted is not None else [Role.MEMBER]
        if create:
            self.groups.set([Group.objects.get_or_create(name=n)[0] for n in names])
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=self.email_verified, primary=True)

    @factory.post_generation
    def programme_groups(self, create, extracted, **kwargs):
        if create and extracted:
            for group in extracted:
                ProgrammeMembership.objects.create(user=self, group=group)


def teen_year() -> int:
    return timezone.localdate().year - 15


def enable_totp(user: User) -> str:
    """Give a user an authenticator app; returns its secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.__dict__.pop("has_mfa", None)  # the model caches it per object (one query per request)
    return secret


def programme_group(slug: str) -> ProgrammeGroup:
    return ProgrammeGroup.objects.get(slug=slug)

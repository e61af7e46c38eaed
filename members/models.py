import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property

TEEN_MIN_AGE = 13
ADULT_AGE = 18


class Role:
    """Django group names for the roles in DESIGN.md."""

    MEMBER = "member"
    MODERATOR = "moderator"
    STAFF = "staff"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is needed.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", email.split("@")[0])
        extra.setdefault("year_of_birth", 1980)
        extra.setdefault("approved_at", timezone.now())
        extra.setdefault("email_verified", True)
        return self.create_user(email, password, **extra)


def clinic_year() -> int:
    """This year by the clinic's calendar (settings.TIME_ZONE), whatever zone the request runs in: the age line
    must fall at the same moment for every viewer and every member, not at each member's own midnight."""
    return timezone.localdate(timezone=timezone.get_default_timezone()).year


# `read_only_until` for a sanction with no end: far enough never to pass, and still a date the database keeps.
UNTIL_LIFTED = datetime(9999, 12, 31, tzinfo=UTC)


class Restriction(models.TextChoices):
    MUTE = "mute", "Read-only"
    SUSPENSION = "suspension", "Suspended"
    BAN = "ban", "Banned"


class MentionPolicy(models.TextChoices):
    EVERYONE = "everyone", "Any member who can see where I am"
    NOBODY = "nobody", "Nobody (moderators still can)"


class User(AbstractUser):
    """A person with an account. Known to others only by `display_name`, never by email."""

    username = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=40)
    year_of_birth = models.PositiveSmallIntegerField()
    approved_at = models.DateTimeField(null=True, blank=True)
    # Mirrors allauth's verified primary address, so that the members-only gate costs no query.
    email_verified = models.BooleanField(default=False)
    # Staff and moderators who may see teen spaces.
    teen_cleared = models.BooleanField(default=False)
    declined_at = models.DateTimeField(null=True, blank=True)
    # The strongest sanction in force, mirrored here by moderation's services so that the members-only gate,
    # every write check and every socket read it with no query. The Sanction rows are the record.
    restriction = models.CharField(max_length=12, choices=Restriction.choices, blank=True)
    # None with a restriction: until lifted (a ban). Past: expired, whatever `restriction` still says.
    restricted_until = models.DateTimeField(null=True, blank=True)
    # The latest end of any mute, suspension or ban in force (UNTIL_LIFTED for one with no end), so that a mute
    # outlasting a shorter suspension still holds once the suspension ends, with nothing run at that moment.
    read_only_until = models.DateTimeField(null=True, blank=True)
    # An IANA zone name ("Europe/Berlin"); empty means the clinic's (settings.TIME_ZONE). Every page shows times
    # in it (community.middleware.TimeZoneMiddleware), and chat's script formats live messages the same way.
    time_zone = models.CharField(max_length=64, blank=True, default="")

    # --- the member's own space (/me/) ---
    bio = models.CharField(max_length=300, blank=True)
    # Whether others see this member in a chat room's "here now" list (and their typing). Off by default.
    show_presence = models.BooleanField(default=False)
    mention_policy = models.CharField(max_length=12, choices=MentionPolicy.choices, default=MentionPolicy.EVERYONE)
    # A private recovery counter: only the member sees the date; announcements at milestones only if they opt in.
    milestone_start = models.DateField(null=True, blank=True)
    show_milestones = models.BooleanField(default=False)
    # The last milestone (in days since `milestone_start`) announced for the member, so that the daily announcer
    # posts each one once; a new start date sets it back to 0.
    milestone_announced_days = models.PositiveIntegerField(default=0)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("display_name"), name="unique_display_name_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name

    # Wagtail's admin (dashboard greeting, revisions, workflow emails) and Django's name people by these; the
    # pseudonym is the only name this site knows.
    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    # No first-name field (it replaces the one AbstractUser has): Wagtail's sidebar greets people by `first_name`,
    # and would otherwise fall back to their email address on a shared screen.
    @property
    def first_name(self) -> str:
        return self.display_name

    @first_name.setter
    def first_name(self, value) -> None:
        # Libraries that fill in a first name (allauth's social sign-up) must not change the pseudonym.
        pass

    @property
    def age(self) -> int:
        return clinic_year() - self.year_of_birth

    @property
    def is_teen(self) -> bool:
        return self.age < ADULT_AGE

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    # Roles and the second factor: decided here, once. A moderator, staff member or superuser without MFA (where
    # COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED is on, i.e. production) acts as a plain member everywhere: views,
    # selectors, audiences and sockets all read `is_moderator` / `is_clinic_staff` / `is_site_admin`. The
    # `has_*_role` properties are the role as granted, for showing it (staff pages, the "set up MFA" banner).

    @property
    def has_moderator_role(self) -> bool:
        """Moderator, staff or superuser as granted, whatever the second factor."""
        return self.is_superuser or bool({Role.MODERATOR, Role.STAFF} & self.role_names)

    @property
    def has_staff_role(self) -> bool:
        return self.is_superuser or Role.STAFF in self.role_names

    @cached_property
    def has_mfa(self) -> bool:
        # Cached on the object: one query per request (or per socket) at most, and only for privileged roles.
        from allauth.mfa.utils import is_mfa_enabled

        return is_mfa_enabled(self)

    @property
    def needs_mfa_for_role(self) -> bool:
        """A privileged role whose powers wait until the person sets up a second factor."""
        return self.has_moderator_role and settings.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED and not self.has_mfa

    @property
    def is_moderator(self) -> bool:
        """Moderators and staff both moderate (once their second factor is set up)."""
        return self.has_moderator_role and not self.needs_mfa_for_role

    @property
    def is_clinic_staff(self) -> bool:
        return self.has_staff_role and not self.needs_mfa_for_role

    @property
    def is_site_admin(self) -> bool:
        """A superuser with a second factor: the Django admin and Wagtail's user and site settings."""
        return self.is_superuser and not self.needs_mfa_for_role

    @property
    def is_approved_member(self) -> bool:
        """An approved, active member with a verified email: the members-only gate lets them in."""
        return self.is_active and self.approved_at is not None and self.email_verified

    @property
    def restriction_in_force(self) -> str:
        """ "ban", "suspension", "mute" or "": expiry takes effect by itself, read on access. A shut-out past its
        end leaves any longer mute in force (`read_only_until`)."""
        now = timezone.now()
        if self.restriction in (Restriction.SUSPENSION, Restriction.BAN) and (
            self.restricted_until is None or self.restricted_until > now
        ):
            return self.restriction
        if self.read_only_until is not None and self.read_only_until > now:
            return Restriction.MUTE
        return ""

    @property
    def restriction_in_force_until(self):
        """When the restriction in force ends (None: until lifted, or none in force). After a shut-out ends, a
        longer mute's end, not the stored strongest sanction's."""
        kind = self.restriction_in_force
        if kind in (Restriction.SUSPENSION, Restriction.BAN):
            return self.restricted_until
        if kind == Restriction.MUTE and self.read_only_until != UNTIL_LIFTED:
            return self.read_only_until
        return None

    @property
    def restriction_in_force_label(self) -> str:
        kind = self.restriction_in_force
        return Restriction(kind).label if kind else ""

    @property
    def is_read_only(self) -> bool:
        """Muted, suspended or banned: may not write anywhere (posts, replies, chat, reactions). Reporting stays
        open to a muted member: it is how someone tells the moderators they are being harmed."""
        return bool(self.restriction_in_force)

    @property
    def is_shut_out(self) -> bool:
        """Suspended or banned: only their account-standing page, the crisis page and sign-out open."""
        return self.restriction_in_force in (Restriction.SUSPENSION, Restriction.BAN)

    @property
    def member_since(self) -> int:
        return timezone.localtime(self.date_joined).year


class ProgrammeGroup(models.Model):
    """A clinic programme (Structured Outpatient, Teen Group, ...) whose alumni share spaces."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    for_teens = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships")
    group = models.ForeignKey(ProgrammeGroup, on_delete=models.CASCADE, related_name="memberships")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="one_membership_per_group")]


def _new_code() -> str:
    # 10 characters from an unambiguous alphabet: easy to read aloud or type from a letter.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _default_expiry():
    return timezone.now() + timedelta(days=settings.COMMUNITY_INVITATION_DAYS)


class Invitation(models.Model):
    class Audience(models.TextChoices):
        # Which side of the age line the invited person is on: a sign-up whose year of birth does not fit is
        # refused, so that nobody crosses the line by typing a year (staff move members across it).
        ADULT = "adult", "An adult"
        TEEN = "teen", "A teen (13 to 17)"

    code = models.CharField(max_length=20, unique=True, default=_new_code)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ADULT)
    email = models.EmailField(blank=True, help_text="If set, only this address can use the code.")
    groups = models.ManyToManyField(ProgrammeGroup, blank=True, related_name="invitations")
    note = models.CharField(max_length=200, blank=True, help_text="For staff only, e.g. which cohort.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_expiry)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class ConsentRecord(models.Model):
    """One acceptance of one version of a document, kept as evidence of consent."""

    class Document(models.TextChoices):
        GUIDELINES = "guidelines", "Community guidelines"
        PRIVACY = "privacy", "Privacy consent"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(max_length=20, choices=Document.choices)
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]


class Block(models.Model):
    """One member blocking another. Either direction hides each from the other (DESIGN: access rules)."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
            models.CheckConstraint(condition=~models.Q(blocker=models.F("blocked")), name="no_self_block"),
        ]


# --- the member's own space: name changes, data exports ----------------------------------------------

# A display name may change this many times within this many days (a name is how others know someone; changing
# it often confuses them and can be used to dodge moderators).
NAME_CHANGES_ALLOWED = 3
NAME_CHANGE_WINDOW_DAYS = 30


class NameChange(models.Model):
    """When a member changed their display name, for the rate limit. The names themselves are not kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="name_changes")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["user", "changed_at"], name="members_name_change_recent")]


EXPORT_DAYS = 7


def _export_expiry():
    return timezone.now() + timedelta(days=EXPORT_DAYS)


def _export_path(instance, filename: str) -> str:
    # Under MEDIA_ROOT/private/: never served as a public media address, only by the owner's download view. The
    # random name keeps it unguessable even if a server were set up to serve MEDIA_ROOT by mistake.
    return f"private/exports/{secrets.token_hex(16)}.json"


class DataExport(models.Model):
    """A copy of everything a member wrote and set, as JSON, built by a task and downloadable by them alone
    until `expires_at`."""

    class State(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be prepared"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_export_expiry)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(upload_to=_export_path, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

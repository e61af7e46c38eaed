"""State changes for accounts, invitations, approvals and programme groups."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditAction
from audit.services import record_audit

from . import tasks
from .models import ConsentRecord, Invitation, ProgrammeMembership, Role, User
from .signals import announce_access_changed
from .validators import is_adult_year


class InvitationError(Exception):
    """An invitation code that cannot be used; the message is shown to the person signing up."""


AGE_MISMATCH_MESSAGE = (
    "This invitation was made for someone of a different age group, so we can't use it with this year of birth. "
    "Please check the year, or ask the clinic team for the right invitation."
)
CODE_JUST_USED_MESSAGE = "This invitation code has just been used. Ask the clinic team for a new one."


def find_usable_invitation(*, code: str, email: str) -> Invitation:
    """The open invitation for `code`, or InvitationError saying plainly why it cannot be used."""
    invitation = Invitation.objects.filter(code__iexact=code.strip()).first()
    if invitation is None:
        raise InvitationError("We couldn't find that invitation code. Please check it against your invitation.")
    if invitation.state == "used":
        raise InvitationError("This invitation code has already been used. Ask the clinic team for a new one.")
    if invitation.state == "revoked":
        raise InvitationError("This invitation code is no longer valid. Ask the clinic team for a new one.")
    if invitation.state == "expired":
        raise InvitationError("This invitation code has expired. Ask the clinic team for a new one.")
    if invitation.email and invitation.email.lower() != email.strip().lower():
        raise InvitationError("This invitation was sent to a different email address. Please use that address.")
    return invitation


def invitation_fits_year(*, invitation: Invitation, year_of_birth: int) -> bool:
    """Whether someone born in this year is on the invitation's side of the age line."""
    wants_adult = invitation.audience == Invitation.Audience.ADULT
    return is_adult_year(year_of_birth) == wants_adult


def groups_outside_audience(*, audience: str, groups) -> list:
    """The programme groups that do not fit an invitation's audience (teen groups only for teens, and so on)."""
    for_teens = audience == Invitation.Audience.TEEN
    return [g for g in groups if g.for_teens != for_teens]


@transaction.atomic
def create_invitation(
    *,
    actor: User,
    email: str = "",
    audience: str = Invitation.Audience.ADULT,
    groups=(),
    note: str = "",
    days: int | None = None,
    send: bool = True,
) -> Invitation:
    """Create a one-time code for an adult or a teen; if bound to an email address, send it there."""
    groups = list(groups)
    if groups_outside_audience(audience=audience, groups=groups):
        raise ValueError("An invitation's programme groups must fit its audience.")
    invitation = Invitation(created_by=actor, email=email.strip(), note=note, audience=audience)
    if days:
        invitation.expires_at = timezone.now() + timezone.timedelta(days=days)
    invitation.save()
    invitation.groups.set(groups)
    record_audit(actor=actor, action=AuditAction.INVITE, target=invitation, reason=note)
    if send and invitation.email:
        tasks.enqueue_after_commit(tasks.send_invitation_email, invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, actor: User) -> None:
    """Send the code again and give it a fresh expiry."""
    invitation.expires_at = timezone.now() + timezone.timedelta(days=settings.COMMUNITY_INVITATION_DAYS)
    invitation.save(update_fields=["expires_at"])
    record_audit(actor=actor, action=AuditAction.RESEND_INVITATION, target=invitation, reason="")
    tasks.enqueue_after_commit(tasks.send_invitation_email, invitation_id=invitation.pk)


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User, reason: str = "") -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_audit(actor=actor, action=AuditAction.REVOKE_INVITATION, target=invitation, reason=reason)


@transaction.atomic
def register_applicant(*, user: User, display_name: str, year_of_birth: int, invitation: Invitation | None) -> User:
    """Finish a sign-up: record consent, redeem the invitation (which pre-approves), or queue for approval.

    The member is let in once their email address is verified as well. The form has already checked that the
    year of birth fits the invitation's audience; it is checked again here because this is what opens spaces.
    Groups come only from the invitation, never from the year typed: without an invitation staff place the
    member when they approve them.
    """
    if invitation is not None and not invitation_fits_year(invitation=invitation, year_of_birth=year_of_birth):
        raise InvitationError(AGE_MISMATCH_MESSAGE)
    now = timezone.now()
    user.display_name = display_name
    user.year_of_birth = year_of_birth
    fields = ["display_name", "year_of_birth"]
    if invitation is not None:
        # One conditional update redeems the code: of several sign-ups racing on it, exactly one wins, on every
        # database (select_for_update is a no-op on SQLite).
        redeemed = Invitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(used_at=now, used_by=user)
        if not redeemed:
            raise InvitationError(CODE_JUST_USED_MESSAGE)
        user.approved_at = now
        fields.append("approved_at")
    user.save(update_fields=fields)
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(
                user=user,
                document=ConsentRecord.Document.GUIDELINES,
                version=settings.COMMUNITY_GUIDELINES_VERSION,
                accepted_at=now,
            ),
            ConsentRecord(
                user=user,
                document=ConsentRecord.Document.PRIVACY,
                version=settings.COMMUNITY_PRIVACY_VERSION,
                accepted_at=now,
            ),
        ]
    )
    user.groups.add(Group.objects.get_or_create(name=Role.MEMBER)[0])
    if invitation is not None:
        groups = list(invitation.groups.all())
        if groups_outside_audience(audience=invitation.audience, groups=groups):
            # Staff's form refuses such an invitation; one made some other way is refused rather than swapped.
            raise InvitationError(AGE_MISMATCH_MESSAGE)
        ProgrammeMembership.objects.bulk_create([ProgrammeMembership(user=user, group=g) for g in groups])
    return user


def mark_email_verified(*, user: User) -> None:
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])


def set_time_zone(*, user: User, time_zone: str) -> None:
    """The member's own display preference (no audit row: it changes nothing anyone else sees). The caller has
    checked that `time_zone` is "" (the clinic's) or a zone name that zoneinfo knows."""
    if user.time_zone != time_zone:
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])


def groups_across_age_line(*, member: User, groups) -> list:
    """The programme groups that do not fit the member's side of the age line (teen groups only for teens)."""
    return [g for g in groups if g.for_teens != member.is_teen]


@transaction.atomic
def approve_applicant(*, applicant: User, actor: User, reason: str = "", groups=()) -> None:
    """Let an applicant in (approval mode), placed in the programme groups staff chose, and tell them by a
    discreet email once it is saved. Audited: the approval, and the groups as a change.

    Raises ValueError for a group across the age line (staff's form refuses it first, with a reason).
    """
    groups = list(groups)
    if groups_across_age_line(member=applicant, groups=groups):
        raise ValueError("An applicant's programme groups must be on their side of the age line.")
    applicant.approved_at = timezone.now()
    applicant.declined_at = None
    applicant.save(update_fields=["approved_at", "declined_at"])
    record_audit(actor=actor, action=AuditAction.APPROVE, target=applicant, reason=reason)
    if groups:
        set_programme_groups(member=applicant, groups=groups, actor=actor)
    tasks.enqueue_after_commit(tasks.send_approval_email, user_id=applicant.pk)


@transaction.atomic
def decline_applicant(*, applicant: User, actor: User, reason: str = "") -> None:
    applicant.declined_at = timezone.now()
    applicant.is_active = False
    applicant.save(update_fields=["declined_at", "is_active"])
    record_audit(actor=actor, action=AuditAction.DECLINE, target=applicant, reason=reason)
    announce_access_changed(applicant.pk)


@transaction.atomic
def set_programme_groups(*, member: User, groups, actor: User) -> None:
    """Replace a member's programme groups; teen groups only for teens, adult groups only for adults."""
    wanted = {g for g in groups if g.for_teens == member.is_teen}
    before = sorted(ProgrammeMembership.objects.filter(user=member).values_list("group__name", flat=True))
    ProgrammeMembership.objects.filter(user=member).exclude(group__in=wanted).delete()
    ProgrammeMembership.objects.bulk_create(
        [ProgrammeMembership(user=member, group=g) for g in wanted], ignore_conflicts=True
    )
    after = sorted(g.name for g in wanted)
    # Saving the same groups again is a no-op: record_audit writes no row when nothing changed.
    record_audit(
        actor=actor,
        action=AuditAction.SET_GROUPS,
        target=member,
        reason=", ".join(after),
        changes={"programme_groups": (before, after)},
    )
    announce_access_changed(member.pk)


@transaction.atomic
def set_year_of_birth(*, member: User, year_of_birth: int, actor: User, groups=(), reason: str = "") -> bool:
    """Correct a member's year of birth: a staff action (members cannot change their own), audited.

    Crossing the teen/adult line changes which spaces and people the member may see, so their programme groups
    are reset to those of `groups` that fit the new side, and open connections are re-checked at once.
    Returns whether the member crossed the line. An unchanged year writes nothing.
    """
    old_year = member.year_of_birth
    if old_year == year_of_birth:
        return False
    was_teen = member.is_teen
    member.year_of_birth = year_of_birth
    member.save(update_fields=["year_of_birth"])
    crossed = member.is_teen != was_teen
    change = f"year of birth {old_year} → {year_of_birth}"
    if crossed:
        change += "; now in teen spaces" if member.is_teen else "; now in adult spaces"
        wanted = {g for g in groups if g.for_teens == member.is_teen}
        ProgrammeMembership.objects.filter(user=member).exclude(group__in=wanted).delete()
        ProgrammeMembership.objects.bulk_create(
            [ProgrammeMembership(user=member, group=g) for g in wanted], ignore_conflicts=True
        )
        change += " (groups: " + (", ".join(sorted(g.name for g in wanted)) or "none") + ")"
    record_audit(
        actor=actor,
        action=AuditAction.SET_YEAR_OF_BIRTH,
        target=member,
        reason=f"{change}. {reason}".strip(),
        changes={"year_of_birth": (old_year, year_of_birth)},
    )
    if crossed:
        announce_access_changed(member.pk)
    return crossed


@transaction.atomic
def set_role(*, member: User, role: str, actor: User) -> None:
    """Make someone a member, moderator or staff (each role includes being a member)."""
    names = {
        Role.MEMBER: [Role.MEMBER],
        Role.MODERATOR: [Role.MEMBER, Role.MODERATOR],
        Role.STAFF: [Role.MEMBER, Role.MODERATOR, Role.STAFF],
    }[role]
    held = set(member.groups.values_list("name", flat=True))
    old_role = next((r for r in (Role.STAFF, Role.MODERATOR, Role.MEMBER) if r in held), "")
    member.groups.set(Group.objects.filter(name__in=names))
    member.__dict__.pop("role_names", None)
    record_audit(
        actor=actor, action=AuditAction.SET_ROLE, target=member, reason=role, changes={"role": (old_role, role)}
    )
    announce_access_changed(member.pk)


@transaction.atomic
def deactivate_member(*, member: User, actor: User, reason: str) -> None:
    """Turn an account off; its sessions end at once (the auth backend refuses inactive users)."""
    member.is_active = False
    member.save(update_fields=["is_active"])
    record_audit(actor=actor, action=AuditAction.DEACTIVATE, target=member, reason=reason)
    announce_access_changed(member.pk)


@transaction.atomic
def update_member_settings(*, member: User, actor: User, groups, role: str, teen_cleared: bool) -> None:
    """Staff's one form for a member: programme groups, role, and teen clearance (privileged roles only)."""
    set_programme_groups(member=member, groups=groups, actor=actor)
    set_role(member=member, role=role, actor=actor)
    cleared = teen_cleared and role != Role.MEMBER
    if cleared != member.teen_cleared:
        was_cleared = member.teen_cleared
        member.teen_cleared = cleared
        member.save(update_fields=["teen_cleared"])
        record_audit(
            actor=actor,
            action=AuditAction.TEEN_CLEARANCE,
            target=member,
            reason="granted" if cleared else "removed",
            changes={"teen_cleared": (was_cleared, cleared)},
        )
        announce_access_changed(member.pk)


def set_member_restriction(*, member: User, restriction: str, until, read_only_until) -> None:
    """Mirror the sanctions in force onto the account (moderation's sanction services call this in their own
    audited transaction): the strongest one and its end, and the end of being read-only. Open pages and sockets
    follow at once."""
    fields = {"restriction": restriction, "restricted_until": until, "read_only_until": read_only_until}
    if all(getattr(member, name) == value for name, value in fields.items()):
        return
    for name, value in fields.items():
        setattr(member, name, value)
    member.save(update_fields=list(fields))
    announce_access_changed(member.pk)


# --- blocking ------------------------------------------------------------------------------------


class BlockError(Exception):
    """A block that cannot be made; the message is shown to the member."""


def block_member(*, blocker: User, blocked: User) -> bool:
    """`blocker` stops seeing `blocked`, and the other way round (DESIGN: access rules). True if newly blocked.

    Staff and moderators cannot be blocked: a member must still be able to hear from the people who keep the
    community safe. Blocking twice is no error (a double click, a retry)."""
    from .models import Block

    if blocker.pk == blocked.pk:
        raise BlockError("You can't block yourself.")
    if blocked.has_moderator_role:
        raise BlockError(
            "Moderators and clinic staff can't be blocked. If one of them worries you, contact the clinic."
        )
    _, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        announce_access_changed(blocker.pk, blocked.pk)
    return created


def unblock_member(*, blocker: User, blocked: User) -> bool:
    """Lift a block `blocker` made. True if there was one."""
    from .models import Block

    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:
        announce_access_changed(blocker.pk, blocked.pk)
    return bool(deleted)


# --- the member's own space (/me/) ---------------------------------------------------------------


class OwnSpaceError(Exception):
    """A change to one's own account that cannot be made; the message is shown to the member."""


def name_change_wait(*, member: User):
    """None when the member may change their display name now; else when they next may (the rate limit)."""
    from .models import NAME_CHANGE_WINDOW_DAYS, NAME_CHANGES_ALLOWED, NameChange

    since = timezone.now() - timezone.timedelta(days=NAME_CHANGE_WINDOW_DAYS)
    recent = list(
        NameChange.objects.filter(user=member, changed_at__gt=since).values_list("changed_at", flat=True)[
            :NAME_CHANGES_ALLOWED
        ]
    )
    if len(recent) < NAME_CHANGES_ALLOWED:
        return None
    # Newest first: the oldest of the last few changes leaves the window first.
    return recent[-1] + timezone.timedelta(days=NAME_CHANGE_WINDOW_DAYS)


@transaction.atomic
def change_display_name(*, member: User, display_name: str) -> bool:
    """Give the member a new display name (already checked by the sign-up rules: members.forms). At most
    NAME_CHANGES_ALLOWED changes in NAME_CHANGE_WINDOW_DAYS; past that, OwnSpaceError says when. True if changed.

    The member's row is locked first, so that two changes sent at once cannot both slip under the limit.
    """
    from .models import NameChange

    locked = User.objects.select_for_update().get(pk=member.pk)
    if locked.display_name == display_name:
        return False
    wait = name_change_wait(member=member)
    if wait is not None:
        raise OwnSpaceError(
            "You've changed your display name several times lately, so it stays as it is for now. "
            f"You can change it again from {date_format(timezone.localtime(wait), 'j F')}."
        )
    member.display_name = display_name
    member.save(update_fields=["display_name"])
    NameChange.objects.create(user=member)
    return True


def update_profile(*, member: User, bio: str) -> None:
    if member.bio != bio:
        member.bio = bio
        member.save(update_fields=["bio"])


def update_own_settings(*, member: User, show_presence: bool, mention_policy: str, show_milestones: bool) -> None:
    """The member's privacy choices (their own; no audit row). Being seen in chat changes what open rooms show,
    so sockets are told to look again."""
    fields = {"show_presence": show_presence, "mention_policy": mention_policy, "show_milestones": show_milestones}
    changed = [name for name, value in fields.items() if getattr(member, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(member, name, fields[name])
    member.save(update_fields=changed)
    if "show_presence" in changed:
        announce_access_changed(member.pk)


def set_milestone_start(*, member: User, start) -> None:
    """Start (or move, or with None stop) the member's private counter. Nothing is announced about it: a new
    date only means that milestones count from there."""
    if member.milestone_start == start:
        return
    member.milestone_start = start
    member.milestone_announced_days = 0
    member.save(update_fields=["milestone_start", "milestone_announced_days"])


def mark_milestone_announced(*, member: User, days: int) -> None:
    """Remember the milestone the announcer posted (forum.milestones), so that it is posted once."""
    member.milestone_announced_days = days
    member.save(update_fields=["milestone_announced_days"])


def request_data_export(*, member: User):
    """Queue a fresh copy of the member's data (members.account_data.build_data_export). One at a time: while
    one is being prepared, that one is returned."""
    from . import account_data
    from .models import DataExport

    pending = DataExport.objects.filter(
        user=member, state=DataExport.State.PENDING, created_at__gt=timezone.now() - timezone.timedelta(hours=1)
    ).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(user=member)
    tasks.enqueue_after_commit(account_data.build_data_export, export_id=export.pk)
    return export


@transaction.atomic
def erase_account(*, member: User, remove_content: bool) -> None:
    """Erase the member at their request: their posts and messages removed, or kept signed "Former member";
    either way their email, display name, bio and milestones are gone, their words quoted by others are taken
    out, and they are signed out everywhere (members.account_data). The audit log keeps the event with the
    account's id only."""
    from . import account_data

    if member.is_superuser:
        raise OwnSpaceError(
            "A site administrator's account can't be erased here. Please ask another administrator to take "
            "your role away first."
        )
    account_id = member.pk
    account_data.erase_everything(member, remove_content=remove_content)
    record_audit(
        actor=member,
        action=AuditAction.ERASE_ACCOUNT,
        target=member,
        reason="posts and messages removed" if remove_content else "posts and messages kept, signed Former member",
    )
    announce_access_changed(account_id)

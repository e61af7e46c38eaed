"""State changes for accounts, invitations, approvals and programme groups."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from moderation.services import record_audit

from .models import ConsentRecord, Invitation, ProgrammeGroup, ProgrammeMembership, Role, User
from .signals import announce_access_changed


class InvitationError(Exception):
    """An invitation code that cannot be used; the message is shown to the person signing up."""


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


@transaction.atomic
def create_invitation(
    *, actor: User, email: str = "", groups=(), note: str = "", days: int | None = None, send: bool = True
) -> Invitation:
    """Create a one-time code; if bound to an email address, send it there."""
    invitation = Invitation(created_by=actor, email=email.strip(), note=note)
    if days:
        invitation.expires_at = timezone.now() + timezone.timedelta(days=days)
    invitation.save()
    invitation.groups.set(groups)
    record_audit(actor=actor, action="invite", target=invitation, reason=note)
    if send and invitation.email:
        transaction.on_commit(lambda: send_invitation_email(invitation=invitation))
    return invitation


def send_invitation_email(*, invitation: Invitation) -> None:
    # Discreet: neither subject nor body names a clinic programme or treatment.
    body = render_to_string(
        "members/email/invitation.txt",
        {"invitation": invitation, "signup_url": settings.WAGTAILADMIN_BASE_URL + reverse("account_signup")},
    )
    send_mail("Your invitation", body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    Invitation.objects.filter(pk=invitation.pk).update(last_sent_at=timezone.now())


@transaction.atomic
def resend_invitation(*, invitation: Invitation, actor: User) -> None:
    """Send the code again and give it a fresh expiry."""
    invitation.expires_at = timezone.now() + timezone.timedelta(days=settings.COMMUNITY_INVITATION_DAYS)
    invitation.save(update_fields=["expires_at"])
    record_audit(actor=actor, action="resend_invitation", target=invitation, reason="")
    transaction.on_commit(lambda: send_invitation_email(invitation=invitation))


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User, reason: str = "") -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_audit(actor=actor, action="revoke_invitation", target=invitation, reason=reason)


@transaction.atomic
def register_applicant(*, user: User, display_name: str, year_of_birth: int, invitation: Invitation | None) -> User:
    """Finish a sign-up: record consent, redeem the invitation (which pre-approves), or queue for approval.

    The member is let in once their email address is verified as well.
    """
    now = timezone.now()
    user.display_name = display_name
    user.year_of_birth = year_of_birth
    fields = ["display_name", "year_of_birth"]
    if invitation is not None:
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
        # Lock the row so that two sign-ups racing on one code cannot both redeem it.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state != "open":
            raise InvitationError("This invitation code has just been used. Ask the clinic team for a new one.")
        locked.used_at = now
        locked.used_by = user
        locked.save(update_fields=["used_at", "used_by"])
        groups = [g for g in locked.groups.all() if g.for_teens == user.is_teen]
        ProgrammeMembership.objects.bulk_create([ProgrammeMembership(user=user, group=g) for g in groups])
    if user.is_teen:
        teen_groups = ProgrammeGroup.objects.filter(for_teens=True)
        ProgrammeMembership.objects.bulk_create(
            [ProgrammeMembership(user=user, group=g) for g in teen_groups], ignore_conflicts=True
        )
    return user


def mark_email_verified(*, user: User) -> None:
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])


@transaction.atomic
def approve_applicant(*, applicant: User, actor: User, reason: str = "") -> None:
    applicant.approved_at = timezone.now()
    applicant.declined_at = None
    applicant.save(update_fields=["approved_at", "declined_at"])
    record_audit(actor=actor, action="approve", target=applicant, reason=reason)


@transaction.atomic
def decline_applicant(*, applicant: User, actor: User, reason: str = "") -> None:
    applicant.declined_at = timezone.now()
    applicant.is_active = False
    applicant.save(update_fields=["declined_at", "is_active"])
    record_audit(actor=actor, action="decline", target=applicant, reason=reason)
    announce_access_changed(applicant.pk)


@transaction.atomic
def set_programme_groups(*, member: User, groups, actor: User) -> None:
    """Replace a member's programme groups; teen groups only for teens, adult groups only for adults."""
    wanted = {g for g in groups if g.for_teens == member.is_teen}
    ProgrammeMembership.objects.filter(user=member).exclude(group__in=wanted).delete()
    ProgrammeMembership.objects.bulk_create(
        [ProgrammeMembership(user=member, group=g) for g in wanted], ignore_conflicts=True
    )
    record_audit(actor=actor, action="set_groups", target=member, reason=", ".join(sorted(g.name for g in wanted)))
    announce_access_changed(member.pk)


@transaction.atomic
def set_role(*, member: User, role: str, actor: User) -> None:
    """Make someone a member, moderator or staff (each role includes being a member)."""
    names = {
        Role.MEMBER: [Role.MEMBER],
        Role.MODERATOR: [Role.MEMBER, Role.MODERATOR],
        Role.STAFF: [Role.MEMBER, Role.MODERATOR, Role.STAFF],
    }[role]
    member.groups.set(Group.objects.filter(name__in=names))
    member.__dict__.pop("role_names", None)
    record_audit(actor=actor, action="set_role", target=member, reason=role)
    announce_access_changed(member.pk)


@transaction.atomic
def deactivate_member(*, member: User, actor: User, reason: str) -> None:
    """Turn an account off; its sessions end at once (the auth backend refuses inactive users)."""
    member.is_active = False
    member.save(update_fields=["is_active"])
    record_audit(actor=actor, action="deactivate", target=member, reason=reason)
    announce_access_changed(member.pk)


@transaction.atomic
def update_member_settings(*, member: User, actor: User, groups, role: str, teen_cleared: bool) -> None:
    """Staff's one form for a member: programme groups, role, and teen clearance (privileged roles only)."""
    set_programme_groups(member=member, groups=groups, actor=actor)
    set_role(member=member, role=role, actor=actor)
    cleared = teen_cleared and role != Role.MEMBER
    if cleared != member.teen_cleared:
        member.teen_cleared = cleared
        member.save(update_fields=["teen_cleared"])
        record_audit(actor=actor, action="teen_clearance", target=member, reason="granted" if cleared else "removed")
        announce_access_changed(member.pk)

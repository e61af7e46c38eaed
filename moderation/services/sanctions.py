"""Warnings, mutes, suspensions and bans; appeals; moderators' notes on members."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit
from members.models import UNTIL_LIFTED, Restriction, User
from members.services import set_member_restriction
from members.text import clean_member_text

from .. import adapters
from ..models import Appeal, MemberNote, ReviewItem, Sanction
from .items import ItemError, clean_reason, tell_member

Kind = Sanction.Kind
_AUDIT = {
    Kind.WARNING: AuditAction.WARN,
    Kind.MUTE: AuditAction.MUTE,
    Kind.SUSPENSION: AuditAction.SUSPEND,
    Kind.BAN: AuditAction.BAN,
}
_RESTRICTION = {Kind.MUTE: Restriction.MUTE, Kind.SUSPENSION: Restriction.SUSPENSION, Kind.BAN: Restriction.BAN}
# Strongest first: the one mirrored on the account.
_STRENGTH = [Kind.BAN, Kind.SUSPENSION, Kind.MUTE]
MAX_DAYS = 365
APPEAL_MAX = 2000
NOTE_MAX = 2000


class SanctionError(ItemError):
    pass


def _check_may_sanction(actor, member: User) -> None:
    if member.pk == actor.pk:
        raise SanctionError("You cannot sanction yourself.")
    if member.has_moderator_role and not actor.is_clinic_staff:
        raise SanctionError("Only clinic staff can sanction a moderator or a staff member.")
    if member.is_superuser:
        raise SanctionError("A site administrator cannot be sanctioned here.")


def _sync_restriction(member: User) -> None:
    """Mirror the sanctions in force onto the account: the strongest one with its latest end, and how long the
    member stays read-only (the latest end of any of them), so each end takes effect by itself."""
    now = timezone.now()
    in_force = [
        s for s in member.sanctions.filter(lifted_at__isnull=True).exclude(kind=Kind.WARNING) if s.in_force(now)
    ]
    if not in_force:
        set_member_restriction(member=member, restriction="", until=None, read_only_until=None)
        return
    read_only_until = max(s.ends_at or UNTIL_LIFTED for s in in_force)
    strongest = next(kind for kind in _STRENGTH if any(s.kind == kind for s in in_force))
    ends = [s.ends_at for s in in_force if s.kind == strongest]
    until = None if any(e is None for e in ends) else max(ends)
    set_member_restriction(
        member=member, restriction=_RESTRICTION[strongest], until=until, read_only_until=read_only_until
    )


def _describe(sanction: Sanction) -> str:
    if sanction.kind == Kind.WARNING:
        return "A moderator has sent you a warning."
    until = (
        # In the clinic's zone, named: the notice is written during the moderator's request, not the member's.
        f" until {timezone.localtime(sanction.ends_at, timezone.get_default_timezone()):%-d %B %Y, %H:%M}"
        f" ({timezone.get_default_timezone().key.replace('_', ' ')} time)"
        if sanction.ends_at
        else " until further notice"
    )
    what = {Kind.MUTE: "can read but not post", Kind.SUSPENSION: "are suspended", Kind.BAN: "are banned"}[sanction.kind]
    return f"You {what}{until}."


@transaction.atomic
def issue_sanction(
    *,
    member: User,
    kind: str,
    actor,
    reason: str,
    days: int | None = None,
    hours: int | None = None,
    item: ReviewItem | None = None,
) -> Sanction:
    """Warn, mute, suspend or ban a member. Applies at once: the next request of every open page and every open
    chat socket (members.signals). The member is told what, why and until when; they may appeal once."""
    if kind not in Kind.values:
        raise SanctionError("Choose a kind of sanction.")
    reason = clean_reason(reason)
    _check_may_sanction(actor, member)
    now = timezone.now()
    ends_at = None
    if kind in (Kind.MUTE, Kind.SUSPENSION):
        length = timedelta(days=days or 0, hours=hours or 0)
        if length <= timedelta(0) or length > timedelta(days=MAX_DAYS):
            raise SanctionError(f"Choose how long, from an hour up to {MAX_DAYS} days.")
        ends_at = now + length
    sanction = Sanction.objects.create(
        member=member, kind=kind, reason=reason, starts_at=now, ends_at=ends_at, issued_by=actor, item=item
    )
    record_audit(
        actor=actor,
        action=_AUDIT[kind],
        target=member,
        reason=reason,
        changes={"sanction": ("", f"{kind} until {ends_at.isoformat() if ends_at else 'lifted'}")}
        if kind != Kind.WARNING
        else None,
    )
    if kind != Kind.WARNING:
        _sync_restriction(member)
    tell_member(member, kind="sanction", text=f"{_describe(sanction)} Reason: {reason}")
    return sanction


@transaction.atomic
def lift_sanction(*, sanction: Sanction, actor, reason: str) -> Sanction:
    reason = clean_reason(reason)
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.lifted_at is not None:
        raise SanctionError("This has already been lifted.")
    sanction.lifted_at = timezone.now()
    sanction.lifted_by = actor
    sanction.save(update_fields=["lifted_at", "lifted_by"])
    record_audit(
        actor=actor,
        action=AuditAction.LIFT_SANCTION,
        target=sanction.member,
        reason=reason,
        changes={"sanction": (sanction.kind, "lifted")},
    )
    _sync_restriction(sanction.member)
    tell_member(
        sanction.member,
        kind="sanction_lifted",
        text=f"A moderator lifted the {sanction.get_kind_display().lower()} on your account.",
    )
    return sanction


# --- appeals ---------------------------------------------------------------------------------------------------


def appealable_items(member: User):
    """Decisions about the member's own content they may ask to be looked at again."""
    return ReviewItem.objects.filter(
        target_author=member, status=ReviewItem.Status.RESOLVED, resolution__in=[adapters.HIDE, adapters.REMOVE]
    )


@transaction.atomic
def submit_appeal(*, member: User, message: str, sanction: Sanction | None = None, item: ReviewItem | None = None):
    """One appeal per sanction or removal, with the member's message; it joins the appeals queue."""
    message = clean_member_text(message or "").strip()
    if not message:
        raise SanctionError("Please say in a few words why you would like this looked at again.")
    if len(message) > APPEAL_MAX:
        raise SanctionError(f"Please keep it to {APPEAL_MAX} characters or fewer.")
    if (sanction is None) == (item is None):
        raise SanctionError("Choose what you are appealing.")
    if sanction is not None and sanction.member_id != member.pk:
        raise SanctionError("We could not find that.")
    if item is not None and not appealable_items(member).filter(pk=item.pk).exists():
        raise SanctionError("We could not find that.")
    already = "You have already appealed this; a moderator will let you know what they decide."
    earlier = Appeal.objects.filter(sanction=sanction) if sanction is not None else Appeal.objects.filter(item=item)
    if earlier.exists():
        raise SanctionError(already)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(member=member, sanction=sanction, item=item, message=message)
            record_audit(
                actor=member,
                action=AuditAction.SEND_APPEAL,
                target=item if item is not None else sanction.member,
                reason=f"Against: {item.resolution if item is not None else sanction.get_kind_display()}",
            )
            return appeal
    except IntegrityError:  # the same appeal sent twice at once
        raise SanctionError(already) from None


@transaction.atomic
def decide_appeal(*, appeal: Appeal, actor, grant: bool, note: str) -> Appeal:
    """Grant (lift the sanction, or restore the content) or decline an appeal; the member hears the decision."""
    note = clean_reason(note)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise SanctionError("This appeal has already been decided.")
    if appeal.member_id == actor.pk:
        raise SanctionError("You cannot decide your own appeal.")
    if grant:
        if appeal.sanction is not None and appeal.sanction.lifted_at is None:
            lift_sanction(sanction=appeal.sanction, actor=actor, reason=f"Appeal granted: {note}")
        if appeal.item is not None:
            adapter = adapters.get_adapter(appeal.item.kind)
            target = adapter.get(appeal.item.target_id)
            if target is not None and adapter.state(target) != adapters.VISIBLE:
                adapter.act(adapters.RESTORE, target, actor=actor, reason=f"Appeal granted: {note}")
    appeal.status = Appeal.Status.GRANTED if grant else Appeal.Status.DECLINED
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.decision_note = note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_audit(
        actor=actor,
        action=AuditAction.GRANT_APPEAL if grant else AuditAction.DECLINE_APPEAL,
        target=appeal.member,
        reason=note,
    )
    outcome = "granted: it has been put right" if grant else "looked at again, and the decision stands"
    tell_member(appeal.member, kind="appeal_decided", text=f"Your appeal was {outcome}. The moderator's note: {note}")
    return appeal


@transaction.atomic
def add_member_note(*, member: User, author, body: str) -> MemberNote:
    """A moderator's private note about a member (never shown to them). Audited without its text."""
    body = clean_member_text(body or "").strip()
    if not body:
        raise SanctionError("The note is empty.")
    if len(body) > NOTE_MAX:
        raise SanctionError(f"Please keep the note to {NOTE_MAX} characters or fewer.")
    note = MemberNote.objects.create(member=member, author=author, body=body)
    record_audit(actor=author, action=AuditAction.ADD_MEMBER_NOTE, target=member, reason="")
    return note

"""Reach out now: a member asks for support, on-duty peer supporters and moderators are alerted, and the first to
answer opens a private conversation with them. Also who volunteers as a peer supporter, and their shifts."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit
from members.tasks import enqueue_after_commit
from notifications.services import notify

from .. import selectors
from ..models import SupporterShift, SupportRequest
from .errors import AlreadyAnswered, ConnectionsError

ALREADY_ANSWERED = "Someone is already with them. Thank you for being ready to help."
NO_LONGER_OPEN = "This request is no longer open: they said they are all right, or it was a while ago."


# --- volunteers ----------------------------------------------------------------------------------


def _forget_roles(user) -> None:
    user.__dict__.pop("role_names", None)  # cached per object (members.models.User.role_names)


@transaction.atomic
def grant_peer_supporter(*, member, actor, reason: str = "") -> bool:
    """Let `member` volunteer as a peer supporter (go on duty on /support/). Audited. False if they already were."""
    group = selectors.peer_supporter_group()
    if member.groups.filter(pk=group.pk).exists():
        return False
    member.groups.add(group)
    _forget_roles(member)
    record_audit(
        actor=actor,
        action=AuditAction.GRANT_PEER_SUPPORTER,
        target=member,
        reason=reason,
        changes={"peer_supporter": [False, True]},
    )
    return True


@transaction.atomic
def revoke_peer_supporter(*, member, actor, reason: str = "") -> bool:
    """Take the peer-supporter role away (ending any shift). Audited. False if they did not have it."""
    group = selectors.peer_supporter_group()
    if not member.groups.filter(pk=group.pk).exists():
        return False
    member.groups.remove(group)
    _forget_roles(member)
    SupporterShift.objects.filter(supporter=member, ended_at__isnull=True).update(ended_at=timezone.now())
    record_audit(
        actor=actor,
        action=AuditAction.REVOKE_PEER_SUPPORTER,
        target=member,
        reason=reason,
        changes={"peer_supporter": [True, False]},
    )
    return True


@transaction.atomic
def set_on_duty(*, supporter, on_duty: bool) -> bool:
    """Start or end `supporter`'s shift. True if that changed anything (pressing twice is no error)."""
    if not on_duty:
        return bool(
            SupporterShift.objects.filter(supporter=supporter, ended_at__isnull=True).update(ended_at=timezone.now())
        )
    if selectors.is_on_duty(supporter):
        return False
    try:
        with transaction.atomic():
            SupporterShift.objects.create(supporter=supporter)
    except IntegrityError:
        return False  # another tab started it a moment ago
    return True


# --- requests ------------------------------------------------------------------------------------


@transaction.atomic
def request_support(*, member) -> SupportRequest:
    """ "I need support now". One open request at a time: asking again returns the open one, alerting nobody twice.

    The alerts leave after commit, as a task (connections.tasks.alert_support_responders): on-duty peer supporters
    on the member's side of the age line and the moderators who can reach them, in the app and (per their email
    settings, discreetly) by email."""
    existing = selectors.open_support_request(member)
    if existing is not None:
        return existing
    support_request = SupportRequest.objects.create(member=member, for_teen=member.is_teen)
    from ..tasks import alert_support_responders  # local: the task module imports services

    enqueue_after_commit(alert_support_responders, support_request_id=support_request.pk)
    return support_request


@transaction.atomic
def answer_support_request(*, support_request: SupportRequest, supporter) -> SupportRequest:
    """Claim the request for `supporter`: the first to answer wins (a conditional update, so two supporters
    pressing at once cannot both win; the second gets AlreadyAnswered). Opens the private conversation between
    them and records how long the member waited."""
    now = timezone.now()
    claimed = (
        SupportRequest.objects.filter(pk=support_request.pk)
        .filter(selectors.open_q(now))
        .update(answered_at=now, answered_by=supporter)
    )
    if not claimed:
        fresh = SupportRequest.objects.get(pk=support_request.pk)
        raise AlreadyAnswered(ALREADY_ANSWERED if fresh.answered_at else NO_LONGER_OPEN)
    from .conversations import start_conversation  # local: conversations imports the buddies services

    room = start_conversation(member=supporter, other=support_request.member)
    SupportRequest.objects.filter(pk=support_request.pk).update(room=room)
    support_request.refresh_from_db()
    notify(
        recipient=support_request.member,
        kind="connections_support_answered",
        text="A supporter is here for you",
        url=room.get_absolute_url(),
    )
    return support_request


@transaction.atomic
def close_support_request(*, support_request: SupportRequest, member) -> bool:
    """The member says they are all right now: the request leaves supporters' lists. True if it was open."""
    if support_request.member_id != member.pk:
        raise ConnectionsError("This is not your request.")
    return bool(
        SupportRequest.objects.filter(pk=support_request.pk).filter(selectors.open_q()).update(closed_at=timezone.now())
    )


def support_url() -> str:
    return reverse("support:home")

"""Accountability buddies: asking, answering, ending quietly, and "thinking of you" nudges.

Quiet by design: declining tells the asker nothing (their request stays "pending" until it fades after 30 days),
and ending a buddyship sends no notice; the buddy simply leaves the other's lists.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify

from .. import selectors
from ..models import BuddyRequest, Buddyship, Nudge
from .errors import ConnectionsError

# One nudge per buddy in this window.
NUDGE_EVERY = timedelta(hours=12)


def _buddies_url() -> str:
    return reverse("connections:buddies")


def _start_buddyship(a, b) -> Buddyship:
    low, high = sorted([a, b], key=lambda u: u.pk)
    existing = selectors.active_buddyship(low, high)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Buddyship.objects.create(member_a=low, member_b=high)
    except IntegrityError:
        return selectors.active_buddyship(low, high)


@transaction.atomic
def ask_buddy(*, asker, member) -> BuddyRequest | Buddyship:
    """Ask `member` to be `asker`'s accountability buddy (permissions.check_ask_buddy ran first).

    If `member` had already asked `asker`, this answers yes to that instead and they are buddies at once.
    Asking again while a request is live changes nothing (ConnectionsError says it is pending)."""
    if asker.is_teen != member.is_teen:
        # The permission check said so already; this keeps the line even for a caller that forgot it.
        raise ConnectionsError("Buddies are always both teens or both adults.")
    if selectors.are_buddies(asker, member):
        raise ConnectionsError(f"You and {member.display_name} are already buddies.")
    theirs = selectors.requests_received(asker).filter(from_member=member).first()
    if theirs is not None:
        return accept_buddy_request(buddy_request=theirs, member=asker)
    if selectors.open_request_between(asker, member) is not None:
        raise ConnectionsError(f"You have already asked {member.display_name}; your request is pending.")
    # A request that faded (30 days) must not stand in the way of a new one.
    BuddyRequest.objects.filter(from_member=asker, to_member=member, state=BuddyRequest.State.PENDING).update(
        state=BuddyRequest.State.EXPIRED
    )
    request = BuddyRequest.objects.create(from_member=asker, to_member=member)
    notify(
        recipient=member,
        kind="connections_buddy_request",
        text="A member asked you to be accountability buddies",
        url=_buddies_url(),
        actor=asker,
    )
    return request


@transaction.atomic
def accept_buddy_request(*, buddy_request: BuddyRequest, member) -> Buddyship:
    """`member` (the one asked) says yes. The asker hears that it was accepted."""
    updated = BuddyRequest.objects.filter(
        pk=buddy_request.pk, to_member=member, state=BuddyRequest.State.PENDING
    ).update(state=BuddyRequest.State.ACCEPTED, responded_at=timezone.now())
    if not updated:
        raise ConnectionsError("This request was already answered.")
    buddyship = _start_buddyship(buddy_request.from_member, member)
    notify(
        recipient=buddy_request.from_member,
        kind="connections_buddy_accepted",
        text="Your buddy request was accepted",
        url=_buddies_url(),
        actor=member,
    )
    return buddyship


@transaction.atomic
def decline_buddy_request(*, buddy_request: BuddyRequest, member) -> None:
    """`member` says no thank you. Nobody is told; to the asker the request still reads "pending"."""
    BuddyRequest.objects.filter(pk=buddy_request.pk, to_member=member, state=BuddyRequest.State.PENDING).update(
        state=BuddyRequest.State.DECLINED, responded_at=timezone.now()
    )


@transaction.atomic
def end_buddyship(*, member, other) -> bool:
    """End a buddyship quietly: no notice; shared goals are no longer shown to the other. If a private
    conversation stood only on the buddyship, it is closed too. True if there was one to end."""
    buddyship = selectors.active_buddyship(member, other)
    if buddyship is None:
        return False
    buddyship.ended_at = timezone.now()
    buddyship.save(update_fields=["ended_at"])
    from .conversations import close_conversation_if_unfounded  # local: conversations imports this module

    close_conversation_if_unfounded(member=member, other=other)
    return True


@transaction.atomic
def send_nudge(*, sender, recipient) -> Nudge:
    """A "thinking of you" to a buddy, at most one per buddy every NUDGE_EVERY (ConnectionsError otherwise,
    saying when the next one can go). The notice names no one: the buddy sees who on their buddies page."""
    # The pair's buddyship row is the lock: two nudges sent at the same moment cannot both pass the check.
    buddyship = selectors.active_buddyship(sender, recipient)
    if buddyship is not None:
        Buddyship.objects.select_for_update().filter(pk=buddyship.pk).first()
    last = selectors.last_nudge(sender, recipient)
    now = timezone.now()
    if last is not None and now - last.created_at < NUDGE_EVERY:
        wait = last.created_at + NUDGE_EVERY - now
        hours = max(1, round(wait.total_seconds() / 3600))
        raise ConnectionsError(
            f"You sent {recipient.display_name} a nudge not long ago. You can send another in about "
            f"{hours} hour{'s' if hours != 1 else ''}."
        )
    nudge = Nudge.objects.create(sender=sender, recipient=recipient, created_at=now)
    notify(
        recipient=recipient,
        kind="connections_nudge",
        text="A buddy is thinking of you",
        url=_buddies_url(),
        actor=sender,
    )
    return nudge

"""Review items: opened by reports and screening, claimed and decided by moderators.

A decision (dismiss, hide, remove, approve) closes the item once; further tools (content warning, lock,
unlock, move) may be used on the target whether the item is open or not. Every action goes through the
target's adapter, which calls its own app's audited service; the item's own changes are audited here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit
from members.tasks import enqueue_after_commit
from members.text import clean_member_text
from notifications.services import notify

from .. import adapters
from ..models import Flag, ReviewItem

REASON_MAX = 1000

DISMISS = "dismiss"
APPROVE = "approve"
# Decisions close the item; each maps to what happens to the target (None: nothing).
DECISIONS = {
    DISMISS: None,
    adapters.HIDE: adapters.HIDE,
    adapters.REMOVE: adapters.REMOVE,
    APPROVE: adapters.RESTORE,
}
DECISION_LABELS = {
    DISMISS: "Dismiss: nothing wrong here",
    APPROVE: "Approve: publish it",
    adapters.HIDE: "Hide it (kept for review and appeal)",
    adapters.REMOVE: "Remove it (the author sees your reason)",
}
# Tools that act on the target without deciding the item.
TOOLS = (adapters.CONTENT_WARNING, adapters.LOCK, adapters.UNLOCK, adapters.MOVE)


class ItemError(ValidationError):
    """A moderator's request that cannot be done as asked; the message says why, for the moderator."""


def clean_reason(reason: str) -> str:
    reason = clean_member_text(reason or "").strip()
    if not reason:
        raise ItemError("Please give a reason: it goes in the audit log, and the member sees it where it is theirs.")
    if len(reason) > REASON_MAX:
        raise ItemError(f"Please keep the reason to {REASON_MAX} characters or fewer.")
    return reason


def tell_member(member, *, kind: str, text: str) -> None:
    """A moderation notice to a member: no actor (never who acted or reported), leading to their standing page,
    where the whole of it is."""
    notify(recipient=member, kind=kind, text=text, url=reverse("moderation_member:standing"))


# --- opening items (intake) ------------------------------------------------------------------------------------


def open_item_for(
    *,
    adapter,
    target,
    source: str,
    urgent: bool = False,
    snapshot: str | None = None,
    screening_note: str = "",
    hidden_pending_review: bool = False,
) -> ReviewItem:
    """The target's open item, created if there is none, with this source's facts added. Call inside the
    transaction that stores the report or the content. Two at once end in one item (the database keeps one
    open item per target). A newly urgent item alerts on-call staff after commit."""
    now = timezone.now()
    lookup = {"kind": adapter.kind, "target_id": target.pk, "status": ReviewItem.Status.OPEN}
    item = ReviewItem.objects.select_for_update().filter(**lookup).first()
    if item is None:
        author = adapter.author(target)
        try:
            with transaction.atomic():
                item = ReviewItem.objects.create(
                    kind=adapter.kind,
                    target_id=target.pk,
                    target_author=author,
                    in_teen_space=adapter.in_teen_space(target),
                    source=source,
                    urgent=urgent,
                    snapshot=adapter.text(target) if snapshot is None else snapshot,
                    screening_note=screening_note,
                    hidden_pending_review=hidden_pending_review,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            item = ReviewItem.objects.select_for_update().get(**lookup)
        else:
            if urgent:
                schedule_on_call_alert(item)
            return item
    became_urgent = urgent and not item.urgent
    item.urgent = item.urgent or urgent
    item.hidden_pending_review = item.hidden_pending_review or hidden_pending_review
    if screening_note and screening_note not in item.screening_note:
        item.screening_note = "\n".join(filter(None, [item.screening_note, screening_note]))
    if source == ReviewItem.Source.CRISIS:
        item.source = source
    item.updated_at = now
    item.save(update_fields=["urgent", "hidden_pending_review", "screening_note", "source", "updated_at"])
    if became_urgent:
        schedule_on_call_alert(item)
    return item


def schedule_on_call_alert(item: ReviewItem) -> None:
    """Email on-call staff once the item is stored: no text, no names, only a link to the item."""
    if settings.COMMUNITY_ONCALL_EMAILS:
        from ..tasks import alert_on_call

        enqueue_after_commit(alert_on_call, item_id=item.pk)


# --- moderators ----------------------------------------------------------------------------------------------


def _lock_item(item: ReviewItem) -> ReviewItem:
    return ReviewItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def claim_item(*, item: ReviewItem, actor, claim: bool = True) -> ReviewItem:
    """Take an open item (so others know someone is on it), or let it go. Claiming another's item takes it over."""
    item = _lock_item(item)
    if not item.is_open:
        raise ItemError("This item is already closed.")
    new_owner = actor if claim else None
    if item.claimed_by_id == (new_owner.pk if new_owner else None):
        return item
    old = item.claimed_by.display_name if item.claimed_by else ""
    item.claimed_by = new_owner
    item.claimed_at = timezone.now() if claim else None
    item.save(update_fields=["claimed_by", "claimed_at"])
    record_audit(
        actor=actor,
        action=AuditAction.CLAIM_ITEM,
        target=item,
        reason="claimed" if claim else "released",
        changes={"claimed_by": (old, new_owner.display_name if new_owner else "")},
    )
    return item


def _tell_reporters(item: ReviewItem) -> None:
    """Each reporter learns, once, that a moderator looked: never what was done, never to whom."""
    now = timezone.now()
    flags = list(item.flags.filter(reporter__isnull=False, reporter_told_at__isnull=True).select_related("reporter"))
    told = set()
    for flag in flags:
        if flag.reporter_id in told:
            continue
        told.add(flag.reporter_id)
        tell_member(
            flag.reporter,
            kind="report_reviewed",
            text="A moderator has looked at something you reported. Thank you for looking out for others here.",
        )
    item.flags.filter(pk__in=[f.pk for f in flags]).update(reporter_told_at=now, status=_flag_status(item))


def _flag_status(item: ReviewItem) -> str:
    return Flag.Status.DISMISSED if item.status == ReviewItem.Status.DISMISSED else Flag.Status.RESOLVED


def _tell_author(item: ReviewItem, *, decision: str, reason: str, adapter) -> None:
    author = item.target_author
    if author is None or decision not in (adapters.HIDE, adapters.REMOVE):
        return
    what = adapter.label.lower()
    verb = "hid" if decision == adapters.HIDE else "removed"
    tell_member(author, kind="content_moderated", text=f"A moderator {verb} your {what}. Their reason: {reason}")


@transaction.atomic
def decide_item(*, item: ReviewItem, actor, decision: str, reason: str) -> ReviewItem:
    """Close an open item with a decision and carry it out on the target (through its adapter).

    Dismissing an item whose target was hidden or held pending review puts it back. Raises ItemError for a
    missing reason, an unknown decision, an item already closed, or a target already in that state.
    """
    if decision not in DECISIONS:
        raise ItemError("Choose what to do.")
    reason = clean_reason(reason)
    item = _lock_item(item)
    if not item.is_open:
        who = item.resolved_by.display_name if item.resolved_by else "a moderator"
        raise ItemError(f"This item was already closed by {who}; nothing was changed.")
    adapter = adapters.get_adapter(item.kind)
    target = adapter.get(item.target_id)
    effect = DECISIONS[decision]
    if decision == DISMISS and item.hidden_pending_review and target is not None:
        effect = adapters.RESTORE if adapter.state(target) in (adapters.HIDDEN, adapters.HELD) else None
    if effect is not None:
        if target is None:
            raise ItemError("This no longer exists; dismiss the item instead.")
        if effect not in adapter.actions:
            raise ItemError(f"A {adapter.label.lower()} cannot be changed that way.")
        _check_effect_changes_something(adapter, target, effect)
        adapter.act(effect, target, actor=actor, reason=reason)
    _close(item, actor=actor, decision=decision, reason=reason)
    if decision == DISMISS:
        record_audit(actor=actor, action=AuditAction.DISMISS_ITEM, target=item, reason=reason)
    _tell_reporters(item)
    _tell_author(item, decision=decision, reason=reason, adapter=adapter)
    return item


def _close(item: ReviewItem, *, actor, decision: str, reason: str) -> None:
    """Record the decision that closes an item (a dismissal, or what was done to its target)."""
    now = timezone.now()
    item.status = ReviewItem.Status.DISMISSED if decision == DISMISS else ReviewItem.Status.RESOLVED
    item.resolution = decision
    item.resolution_reason = reason
    item.resolved_by = actor
    item.resolved_at = now
    item.updated_at = now
    item.save(update_fields=["status", "resolution", "resolution_reason", "resolved_by", "resolved_at", "updated_at"])


_STATE_AFTER = {
    adapters.HIDE: adapters.HIDDEN,
    adapters.REMOVE: adapters.REMOVED,
    adapters.RESTORE: adapters.VISIBLE,
}


def _check_effect_changes_something(adapter, target, effect: str) -> None:
    state = adapter.state(target)
    if _STATE_AFTER.get(effect) == state:
        raise ItemError(f"This is already {state}; nothing was changed.")
    if effect == adapters.HIDE and state == adapters.REMOVED:
        raise ItemError("This has already been removed; restore it first if it should only be hidden.")


def _check_options(action: str, options: dict) -> None:
    """What a tool needs besides its reason, the same from the queue and from the page."""
    if action == adapters.CONTENT_WARNING and not (options.get("warning") or "").strip():
        raise ItemError("Please write the content warning members will see.")
    if action == adapters.MOVE and not options.get("category_id"):
        raise ItemError("Choose where to move the topic.")


@transaction.atomic
def use_tool(*, item: ReviewItem, actor, tool: str, reason: str, **options) -> None:
    """A content warning, lock, unlock or move on the item's target; the item stays as it is."""
    if tool not in TOOLS:
        raise ItemError("Choose what to do.")
    reason = clean_reason(reason)
    adapter = adapters.get_adapter(item.kind)
    if tool not in adapter.actions:
        raise ItemError(f"That is not something a {adapter.label.lower()} has.")
    target = adapter.get(item.target_id)
    if target is None:
        raise ItemError("This no longer exists.")
    _check_options(tool, options)
    adapter.act(tool, target, actor=actor, reason=reason, **options)


def act_on_target(*, kind: str, target, actor, action: str, reason: str, **options) -> None:
    """A moderator acting from the page where the content is (forum and chat moderator tools): the same
    actions as the queue. An open item about the target is decided with it, so the queue stays true."""
    adapter = adapters.get_adapter(kind)
    reason = clean_reason(reason)
    if action not in adapter.actions:
        raise ItemError(f"That is not something a {adapter.label.lower()} has.")
    with transaction.atomic():
        item = (
            ReviewItem.objects.select_for_update()
            .filter(kind=kind, target_id=target.pk, status=ReviewItem.Status.OPEN)
            .first()
        )
        decision = {adapters.HIDE: adapters.HIDE, adapters.REMOVE: adapters.REMOVE, adapters.RESTORE: APPROVE}.get(
            action
        )
        if item is not None and decision is not None:
            decide_item(item=item, actor=actor, decision=decision, reason=reason)
            return
        if action in _STATE_AFTER:
            _check_effect_changes_something(adapter, target, action)
        _check_options(action, options)
        adapter.act(action, target, actor=actor, reason=reason, **options)
        if action in (adapters.HIDE, adapters.REMOVE):
            # No item to decide: the author still hears of it, through a closed item that records the decision.
            item = open_item_for(adapter=adapter, target=target, source=ReviewItem.Source.MODERATOR)
            _close(item, actor=actor, decision=action, reason=reason)
            _tell_author(item, decision=action, reason=reason, adapter=adapter)

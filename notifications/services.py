"""In-app notifications, and the emails and live bell updates that follow them. Other apps call these; this app
calls none of them.

A notice may name its `target` (the post, message ... it is about). Then the target's app decides, through the
hooks it registered (notifications.registry), whether the recipient may see it: when the notice is made (a
mention in a topic the recipient cannot see is not sent) and again each time it is shown. No notice passes
between two members where one blocked the other (a recipient filter registered by members).

Writing stays in the caller's transaction and costs a fixed number of queries however many recipients there
are. What follows leaves after commit: each recipient's open pages are told to recount their bell (live), and
emails are worked out and sent by tasks (tasks.fan_out_emails), never by the request.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import live, registry, tasks
from .email import enqueue_after_commit
from .kinds import ALL, Frequency, KindGroup, group_for_kind
from .models import EmailPreference, Notification
from .selectors import preferences_for

# Recipients per email fan-out task: one task's work stays short, and one failure touches few members.
FAN_OUT_CHUNK = 500
# Members remembered on a grouped notice to count each once; past it, each new reaction counts.
GROUP_MEMBERS_KEPT = 200
TEXT_MAX = 300


def _target_fields(target) -> dict:
    if target is None:
        return {}
    return {"target_type": registry.target_key(target), "target_id": target.pk}


def _allowed(*, recipients, actor, target, make) -> list[Notification]:
    """New, unsaved notices (from `make(recipient)`) for those recipients who may get one: not the actor, nobody
    a registered filter drops, nobody who may not see the target. A fixed number of queries for the batch."""
    seen: set[int] = set()
    unique = []
    for recipient in recipients:
        if recipient.pk in seen or (actor is not None and recipient.pk == actor.pk):
            continue
        seen.add(recipient.pk)
        unique.append(recipient)
    if actor is not None and unique:
        dropped = registry.recipients_to_drop(actor.pk, [r.pk for r in unique])
        unique = [r for r in unique if r.pk not in dropped]
    rows = [make(recipient) for recipient in unique]
    if target is not None and rows:
        rows = registry.recipients_who_may_see(registry.target_key(target), target.pk, rows)
    return rows


def _after_write(*, recipient_ids: list[int], kind: str) -> None:
    """After commit: recount the recipients' bells, and hand the emails to a task (chunked)."""
    if not recipient_ids:
        return
    live.ping_bells_after_commit(recipient_ids)
    if group_for_kind(kind) is None:
        return  # shown in the app only
    for start in range(0, len(recipient_ids), FAN_OUT_CHUNK):
        enqueue_after_commit(
            tasks.fan_out_emails, recipient_ids=recipient_ids[start : start + FAN_OUT_CHUNK], kind=kind
        )


def notify(*, recipient, kind: str, text: str, url: str = "", actor=None, target=None) -> Notification | None:
    """Tell one member something. Nobody is notified of their own action, nor of what they may not see, nor by
    a member either of them blocked. Returns the notice, or None when none was made."""
    rows = _allowed(
        recipients=[recipient],
        actor=actor,
        target=target,
        make=lambda r: Notification(
            recipient=r, actor=actor, kind=kind, text=text[:TEXT_MAX], url=url, **_target_fields(target)
        ),
    )
    if not rows:
        return None
    notice = rows[0]
    notice.save()
    _after_write(recipient_ids=[notice.recipient_id], kind=kind)
    return notice


def notify_many(*, recipients, kind: str, text: str, url: str = "", actor=None, target=None) -> int:
    """Tell several members the same thing (as `notify`), in a fixed number of queries. Returns how many."""
    rows = _allowed(
        recipients=list(recipients),
        actor=actor,
        target=target,
        make=lambda r: Notification(
            recipient=r, actor=actor, kind=kind, text=text[:TEXT_MAX], url=url, **_target_fields(target)
        ),
    )
    Notification.objects.bulk_create(rows)
    _after_write(recipient_ids=[n.recipient_id for n in rows], kind=kind)
    return len(rows)


def notify_reaction(*, recipient, actor, target, url: str = "", kind: str = "forum_reaction") -> Notification | None:
    """Count `actor` on the recipient's one unread notice about reactions to `target`, or start one.

    "3 members sent support to your post": one notice per target while unread, counting members (each once,
    whatever they pressed), never naming them. Once read, the next reaction starts a new notice. Taking a
    reaction back does not lower the count: the notice is about support that was sent.
    """
    key = f"{kind}:{registry.target_key(target)}:{target.pk}"[:120]
    if not _allowed(recipients=[recipient], actor=actor, target=None, make=lambda r: r):
        return None
    with transaction.atomic():
        notice = _unread_grouped(recipient, key)
        if notice is None:
            notice = Notification(
                recipient=recipient,
                actor=actor,
                kind=kind,
                text=registry.grouped_text(1),
                url=url,
                group_key=key,
                counted_ids=[actor.pk],
                **_target_fields(target),
            )
            if not registry.recipients_who_may_see(notice.target_type, notice.target_id, [notice]):
                return None
            try:
                with transaction.atomic():
                    notice.save()
            except IntegrityError:
                # Another reaction made it a moment ago: count on that one instead.
                notice = _unread_grouped(recipient, key)
                if notice is None:
                    raise
                _count_in(notice, actor)
        else:
            if actor.pk in notice.counted_ids:
                return notice  # a second reaction from the same member: nothing new to tell
            _count_in(notice, actor)
    _after_write(recipient_ids=[recipient.pk], kind=kind)
    return notice


def _unread_grouped(recipient, key: str) -> Notification | None:
    return Notification.objects.select_for_update().filter(recipient=recipient, group_key=key, read_at=None).first()


def _count_in(notice: Notification, actor) -> None:
    if actor.pk in notice.counted_ids:
        return
    notice.count += 1
    if len(notice.counted_ids) < GROUP_MEMBERS_KEPT:
        notice.counted_ids = [*notice.counted_ids, actor.pk]
    notice.actor = actor
    # New activity: it moves to the top, and an email (if the member wants them) may tell of it again.
    notice.created_at = timezone.now()
    notice.emailed_at = None
    notice.save(update_fields=["count", "counted_ids", "actor", "created_at", "emailed_at"])


def mark_all_read(*, recipient) -> int:
    count = Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        live.ping_bells_after_commit([recipient.pk])
    return count


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        live.ping_bells_after_commit([notification.recipient_id])


# --- email preferences ------------------------------------------------------------------------------------------


def set_email_preferences(*, user, choices: dict[str, str]) -> dict[str, str]:
    """Set how often `user` is emailed about each group named in `choices` ({group: frequency}); groups left out
    keep theirs. Anything unknown is refused whole (ValidationError), nothing written. Returns all of them now."""
    unknown_groups = sorted(set(choices) - set(KindGroup.values))
    if unknown_groups:
        raise ValidationError(f"There is no kind of email called {', '.join(unknown_groups)}.")
    bad = sorted(group for group, frequency in choices.items() if frequency not in Frequency.values)
    if bad:
        raise ValidationError("Please choose how often to be emailed from the options given.")
    now = timezone.now()
    EmailPreference.objects.bulk_create(
        [EmailPreference(user=user, group=group, frequency=freq, updated_at=now) for group, freq in choices.items()],
        update_conflicts=True,
        unique_fields=["user", "group"],
        update_fields=["frequency", "updated_at"],
    )
    return preferences_for(user)


def unsubscribe(*, user, group: str) -> list[str]:
    """Stop emails about `group` (or every group: kinds.ALL) for `user`. Returns the groups turned off."""
    groups = list(KindGroup.values) if group == ALL else [group]
    set_email_preferences(user=user, choices=dict.fromkeys(groups, Frequency.NEVER))
    return groups

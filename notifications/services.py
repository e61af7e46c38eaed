"""In-app notifications. Other apps call these; this app calls none of them.

A notice may name its `target` (the post, message ... it is about). Then the target's app decides, through the
resolver it registered (notifications.registry), whether the recipient may see it: when the notice is made (a
mention in a topic the recipient cannot see is not sent) and again each time it is shown.
"""

from django.utils import timezone

from . import registry
from .models import Notification


def _target_fields(target) -> dict:
    if target is None:
        return {}
    return {"target_type": registry.target_key(target), "target_id": target.pk}


def _visible_now(notice: Notification) -> bool:
    return registry.resolve(notice.recipient, [notice])[0] is not None


def notify(*, recipient, kind: str, text: str, url: str = "", actor=None, target=None) -> Notification | None:
    """Tell one member something. Nobody is notified of their own action, nor of what they may not see."""
    if actor is not None and actor.pk == recipient.pk:
        return None
    notice = Notification(
        recipient=recipient, actor=actor, kind=kind, text=text[:300], url=url, **_target_fields(target)
    )
    if not _visible_now(notice):
        return None
    notice.save()
    return notice


def notify_many(*, recipients, kind: str, text: str, url: str = "", actor=None, target=None) -> int:
    rows = [
        Notification(recipient=r, actor=actor, kind=kind, text=text[:300], url=url, **_target_fields(target))
        for r in recipients
        if actor is None or r.pk != actor.pk
    ]
    rows = [notice for notice in rows if _visible_now(notice)]
    Notification.objects.bulk_create(rows)
    return len(rows)


def mark_all_read(*, recipient) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])

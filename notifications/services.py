"""In-app notifications. Other apps call these; this app calls none of them."""

from django.utils import timezone

from .models import Notification


def notify(*, recipient, kind: str, text: str, url: str = "", actor=None) -> Notification | None:
    """Tell one member something. Nobody is notified of their own action."""
    if actor is not None and actor.pk == recipient.pk:
        return None
    return Notification.objects.create(recipient=recipient, actor=actor, kind=kind, text=text[:300], url=url)


def notify_many(*, recipients, kind: str, text: str, url: str = "", actor=None) -> int:
    rows = [
        Notification(recipient=r, actor=actor, kind=kind, text=text[:300], url=url)
        for r in recipients
        if actor is None or r.pk != actor.pk
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def mark_all_read(*, recipient) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])

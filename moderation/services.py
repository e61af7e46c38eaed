"""Moderation state changes. The review queue and sanctions come in a later issue."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import AuditEntry, Flag


def record_audit(*, actor, action: str, target, reason: str = "") -> AuditEntry:
    """Append one audit row. Call it inside the privileged service's own transaction."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        reason=reason or "",
    )


class AlreadyFlagged(Exception):
    pass


def flag_content(*, reporter, target, target_author, snapshot: str, reason: str, note: str = "") -> Flag:
    """Store a report with a snapshot of the content; the reported member is never told who reported."""
    if reason not in Flag.Reason.values:
        raise ValueError(f"Unknown reason {reason!r}.")
    try:
        with transaction.atomic():
            return Flag.objects.create(
                reporter=reporter,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                target_author=target_author,
                snapshot=snapshot,
                reason=reason,
                note=(note or "")[:1000],
            )
    except IntegrityError as exc:
        raise AlreadyFlagged("You have already reported this; the moderators will look at it.") from exc

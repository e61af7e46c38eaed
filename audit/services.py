"""Writing the audit log. Privileged services in every app call `record_audit` inside their own transaction."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditAction, AuditEntry


def record_audit(*, actor, action: str, target, reason: str = "", changes: dict | None = None) -> AuditEntry | None:
    """Append one audit row. Call it inside the privileged service's own transaction.

    `action` must be one of `AuditAction` (ValueError otherwise: an unknown name is a bug, not a new kind of
    row). `changes` is {"field": [old, new], ...}; values must be JSON-friendly (names, numbers), not objects.
    Given and empty, nothing changed: no row is written and None is returned. `reason` is the human reason.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to audit.models.AuditAction.")
    if changes is not None:
        changes = {name: [old, new] for name, (old, new) in changes.items() if old != new}
        if not changes:
            return None
    return AuditEntry.objects.create(
        actor=actor,
        actor_id_kept=actor.pk if actor is not None else None,
        action=AuditAction(action),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        reason=reason or "",
        changes=changes or {},
    )

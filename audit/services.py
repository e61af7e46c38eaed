"""Writing the audit log. Privileged services in every app call `record_audit` inside their own transaction."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


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

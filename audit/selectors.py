"""Reading the audit log (the page at /moderation/audit/ and its CSV export)."""

import datetime

from django.db.models import Q, QuerySet

from .models import AuditEntry


def audit_entries(
    *,
    action: str = "",
    actor_name: str = "",
    target_type_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    hidden: Q | None = None,
) -> QuerySet[AuditEntry]:
    """Entries, newest first, filtered. `hidden` is a Q for rows this viewer must not see (the caller knows why).

    The actor and target type are joined in the same query, so a page costs the same however many rows it shows.
    """
    entries = AuditEntry.objects.select_related("actor", "target_type").order_by("-created_at", "-id")
    if action:
        entries = entries.filter(action=action)
    if actor_name:
        entries = entries.filter(actor__display_name__icontains=actor_name)
    if target_type_id:
        entries = entries.filter(target_type_id=target_type_id)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if hidden is not None:
        entries = entries.exclude(hidden)
    return entries


def target_types_in_log():
    """The kinds of thing the log has rows about, for the filter (one query)."""
    from django.contrib.contenttypes.models import ContentType

    used = AuditEntry.objects.filter(target_type__isnull=False).values("target_type_id").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")

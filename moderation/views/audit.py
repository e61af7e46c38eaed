"""The audit log for moderators and staff: filters, pages and a CSV of what is shown."""

import csv
import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.shortcuts import render

from audit import selectors as audit_selectors

from .. import adapters
from ..forms import AuditFilterForm
from ..permissions import team_page
from .common import team_context

AUDIT_PER_PAGE = 50
_CSV_RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _audit_hidden_for(viewer) -> Q | None:
    """Rows a moderator not cleared for teen spaces must not see: those about a teen member, a teen category,
    topic, post, room or message, or a review item in a teen space (each app registers which of its rows are
    teen, moderation.adapters.register_teen_scope). One subquery per model, whatever the page."""
    if viewer.teen_cleared:
        return None
    hidden = Q(pk__in=[])
    for model, teen_pks in adapters.teen_scopes().items():
        as_text = teen_pks().annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        hidden |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=as_text)
    return hidden


def _audit_rows(request):
    form = AuditFilterForm(request.GET or None, target_types=audit_selectors.target_types_in_log())
    filters = {}
    if form.is_bound:
        form.is_valid()  # an invalid field is shown on the form and left out; the other filters still apply
        filters = form.filters()
    entries = audit_selectors.audit_entries(**filters, hidden=_audit_hidden_for(request.user))
    return form, entries


@team_page
def audit_log(request):
    form, entries = _audit_rows(request)
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "moderation/audit_log.html", team_context(request, context))


def _csv_cell(value) -> str:
    # Display names and reasons are typed by people: a cell starting with = + - @ would run as a formula in a
    # spreadsheet, so it is prefixed with an apostrophe.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_RISKY_STARTS) else text


class _Echo:
    def write(self, value):
        return value


@team_page
def audit_log_csv(request):
    _form, entries = _audit_rows(request)
    writer = csv.writer(_Echo())
    header = [
        "time (UTC)",
        "actor",
        "actor account id",
        "action",
        "action name",
        "target kind",
        "target id",
        "target",
        "reason",
        "changes",
    ]

    def rows():
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _csv_cell(value)
                    for value in (
                        entry.created_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
                        entry.actor_label,
                        entry.actor_id_kept,
                        entry.action,
                        entry.get_action_display(),
                        entry.target_type.model if entry.target_type else "",
                        entry.target_id,
                        entry.target_repr,
                        entry.reason,
                        json.dumps(entry.changes, ensure_ascii=False, sort_keys=True) if entry.changes else "",
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response

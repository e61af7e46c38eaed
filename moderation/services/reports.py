"""Members report posts, messages and members: one rule for all three (moderation.adapters)."""

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit
from members.text import clean_member_text

from .. import adapters
from ..models import Flag, ReviewItem
from .items import open_item_for

NOTE_MAX = 1000


class ReportError(Exception):
    """A report that cannot be taken; `str()` is the kind words shown to the member."""


class ReportNotFound(ReportError):
    """The target does not exist or the reporter may not see it (shown as a 404: existence stays hidden)."""


class AlreadyFlagged(ReportError):
    pass


class TooManyReports(ReportError):
    pass


def _rate_key(user_id: int) -> str:
    return f"moderation:reports:{user_id}:{int(timezone.now().timestamp()) // 3600}"


def _take_report_allowance(reporter) -> None:
    key = _rate_key(reporter.pk)
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > settings.MODERATION_REPORTS_PER_HOUR:
        raise TooManyReports(
            "Thank you for looking out for others. You have sent several reports in a short time, so please "
            "wait a while before sending another; the moderators have the ones you sent. If someone is in "
            "danger right now, call or text 988, or 911."
        )


def _give_back_allowance(reporter) -> None:
    try:
        cache.decr(_rate_key(reporter.pk))
    except ValueError:
        pass


def load_reportable(*, reporter, kind: str, target_id: int):
    """(adapter, target) for a member about to report it; ReportNotFound when they may not see it."""
    try:
        adapter = adapters.get_adapter(kind)
    except adapters.UnknownKind:
        raise ReportNotFound("We could not find that.") from None
    target = adapter.get(target_id)
    if target is None or not adapter.can_report(reporter, target):
        raise ReportNotFound("We could not find that.")
    return adapter, target


def report(*, reporter, kind: str, target_id: int, reason: str, note: str = "") -> Flag:
    """Store a member's report with a snapshot of the target as it is now, gathered into the target's open
    review item. A report that someone may be in crisis makes the item urgent and alerts on-call staff once
    (open_item_for does, when the item opens urgent or becomes so); enough
    reports from established members hide the target until a moderator looks.

    Raises ReportNotFound, AlreadyFlagged, TooManyReports or ReportError (own content, unknown reason).
    """
    if reason not in Flag.Reason.values:
        raise ReportError("Please choose what the concern is.")
    # A muted member may still report (members.User.is_read_only): it is how someone tells the moderators they
    # are being harmed, and the rate limit keeps it from becoming a way round the mute.
    adapter, target = load_reportable(reporter=reporter, kind=kind, target_id=target_id)
    author = adapter.author(target)
    if author is not None and author.pk == reporter.pk:
        raise ReportError(
            "This is your own, so there is nothing to report: you can edit or remove it yourself."
            if kind != "member"
            else "You cannot report yourself. If you are struggling, the support lines on this page are there for you."
        )
    note = clean_member_text(note or "").strip()
    if len(note) > NOTE_MAX:
        raise ReportError(f"Please keep the note to {NOTE_MAX} characters or fewer.")
    _take_report_allowance(reporter)
    try:
        with transaction.atomic():
            item = open_item_for(
                adapter=adapter,
                target=target,
                source=ReviewItem.Source.REPORT,
                urgent=reason == Flag.Reason.CRISIS,
            )
            flag = Flag.objects.create(
                reporter=reporter,
                target_type_id=_content_type_id(target),
                target_id=target.pk,
                target_author=author,
                snapshot=adapter.text(target),
                reason=reason,
                note=note,
                item=item,
            )
            # The log tells a decision's whole story, starting with the report (seen by the team, never the author).
            record_audit(actor=reporter, action=AuditAction.REPORT, target=item, reason=Flag.Reason(reason).label)
            _maybe_auto_hide(item=item, adapter=adapter, target=target)
    except IntegrityError:
        _give_back_allowance(reporter)
        raise AlreadyFlagged("You have already reported this; the moderators will look at it.") from None
    return flag


def _content_type_id(target) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(target).pk


def _maybe_auto_hide(*, item: ReviewItem, adapter, target) -> None:
    """Hide the target until review once enough members past the tenure threshold have reported it."""
    if item.hidden_pending_review or adapters.HIDE not in adapter.actions:
        return
    if adapter.state(target) != adapters.VISIBLE:
        return
    established = timezone.now() - timezone.timedelta(days=settings.MODERATION_AUTO_HIDE_TENURE_DAYS)
    reporters = (
        item.flags.filter(reporter__approved_at__lte=established, status=Flag.Status.OPEN)
        .values("reporter")
        .distinct()
        .count()
    )
    if reporters < settings.MODERATION_AUTO_HIDE_REPORTS:
        return
    reason = "Hidden after reports from several members, until a moderator looks at it."
    adapter.act(adapters.HIDE, target, actor=None, reason=reason)
    item.hidden_pending_review = True
    item.updated_at = timezone.now()
    item.save(update_fields=["hidden_pending_review", "updated_at"])
    record_audit(actor=None, action=AuditAction.AUTO_HIDE, target=item, reason=reason)

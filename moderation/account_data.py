"""Moderation's part of a member's data export and of their account's erasure (members.account_data).

Imported once from ModerationConfig.ready(), which registers it. Export: the reports and appeals the member
wrote (never what was reported: that may be someone else's words). Erasure: the moderators' records stay (review
items, reports, sanctions, appeals, notes: see the README on what is kept), but without the member's name, and,
when they chose to remove their posts and messages, without the snapshots of those either.
"""

from django.db.models import Q

from members.account_data import REDACTED_NAME, register_account_data, without_name

from .models import Appeal, Flag, MemberNote, ReviewItem, Sanction

REMOVED_SNAPSHOT = "[Removed when the member closed their account.]"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_member_data(user) -> dict:
    return {
        "reports_you_sent": [
            {"sent_at": _iso(f.created_at), "reason": f.get_reason_display(), "note": f.note}
            for f in Flag.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
        "appeals_you_sent": [
            {"sent_at": _iso(a.created_at), "message": a.message, "status": a.get_status_display()}
            for a in Appeal.objects.filter(member=user).order_by("created_at", "pk")
        ],
    }


# Every text field in moderation's records that may hold a member's name: {model: [fields]}.
_TEXTS = {
    ReviewItem: ["snapshot", "screening_note", "resolution_reason"],
    Flag: ["snapshot", "note"],
    Sanction: ["reason"],
    Appeal: ["message", "decision_note"],
    MemberNote: ["body"],
}


def _without_name_everywhere(name: str) -> None:
    for model, fields in _TEXTS.items():
        named = Q()
        for field in fields:
            named |= Q(**{f"{field}__icontains": name})
        for row in model.objects.filter(named):
            changed = []
            for field in fields:
                text = getattr(row, field)
                redacted = without_name(text, name, REDACTED_NAME)
                if redacted != text:
                    setattr(row, field, redacted)
                    changed.append(field)
            if changed:
                row.save(update_fields=changed)


def erase_member_data(user, remove_content: bool) -> None:
    if remove_content:
        # Snapshots of what they wrote go with it; the records of what was decided stay.
        ReviewItem.objects.filter(target_author=user).exclude(kind="member").update(snapshot=REMOVED_SNAPSHOT)
        Flag.objects.filter(target_author=user).exclude(target_type__model="user").update(snapshot=REMOVED_SNAPSHOT)
    _without_name_everywhere(user.display_name)


register_account_data("moderation", export=export_member_data, erase=erase_member_data)

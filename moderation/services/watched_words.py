"""Watched words: what screening looks for, managed by staff."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit
from members.text import clean_member_text

from .. import screening
from ..models import WatchedWord

# --- Watched words (screening) ------------------------------------------------------------------------------


class WatchedWordAudit:
    """The audit action names for changes to the watched words, in one place."""

    ADD = AuditAction.ADD_WATCHED_WORD
    CHANGE = AuditAction.CHANGE_WATCHED_WORD
    DEACTIVATE = AuditAction.DEACTIVATE_WATCHED_WORD
    REACTIVATE = AuditAction.REACTIVATE_WATCHED_WORD
    REMOVE = AuditAction.REMOVE_WATCHED_WORD


_WATCHED_WORD_FIELDS = ("kind", "pattern", "action", "note", "label", "is_active")
_WATCHED_WORD_TEXTS = {"note": ("reason shown to the writer", 300), "label": ("note for the team", 120)}


def _clean_side_text(name: str, value: str) -> str:
    value = clean_member_text(value).strip()
    what, limit = _WATCHED_WORD_TEXTS[name]
    if len(value) > limit:
        raise ValidationError(f"Please keep the {what} to {limit} characters or fewer.", code=name)
    return value


def _clean_watched_word(*, kind: str, pattern: str, action: str, exclude_pk: int | None = None) -> str:
    if action not in WatchedWord.Action.values:
        raise ValidationError("Choose what should happen when this matches.", code="action")
    pattern = screening.validate_watched_word(kind=kind, pattern=clean_member_text(pattern))
    # Two spellings that read the same once normalised ("don't give up" / "dont give up") are one entry.
    wanted = screening.normalise(pattern) if kind == WatchedWord.Kind.PHRASE else pattern
    same_kind = WatchedWord.objects.filter(kind=kind).exclude(pk=exclude_pk).values_list("pattern", flat=True)
    for existing in same_kind:
        if (screening.normalise(existing) if kind == WatchedWord.Kind.PHRASE else existing) == wanted:
            raise ValidationError(f"“{existing}” is already on the list.", code="duplicate")
    return pattern


def add_watched_word(*, actor, kind: str, pattern: str, action: str, note: str = "", label: str = ""):
    """Add a phrase or pattern to screening; every server process uses it from its next screening call.

    Raises ValidationError (with a message for staff) for an invalid, slow, too broad or duplicate pattern.
    """
    pattern = _clean_watched_word(kind=kind, pattern=pattern, action=action)
    note, label = _clean_side_text("note", note), _clean_side_text("label", label)
    with transaction.atomic():
        word = WatchedWord.objects.create(
            kind=kind, pattern=pattern, action=action, note=note, label=label, created_by=actor
        )
        record_audit(actor=actor, action=WatchedWordAudit.ADD, target=word, reason=f"{action}: {pattern}")
        screening.announce_change()
    return word


def update_watched_word(*, word, actor, **changes):
    """Change some of kind, pattern, action, note, label and is_active. A change that changes nothing is not
    saved or audited. The audit row says what changed, old and new."""
    unknown = set(changes) - set(_WATCHED_WORD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown watched-word fields: {', '.join(sorted(unknown))}.")
    for name in _WATCHED_WORD_TEXTS:
        if name in changes:
            changes[name] = _clean_side_text(name, changes[name])
    if "is_active" in changes and not isinstance(changes["is_active"], bool):
        raise ValidationError("Active must be yes or no.", code="is_active")
    kind = changes.get("kind", word.kind)
    pattern = changes.get("pattern", word.pattern)
    action = changes.get("action", word.action)
    if (kind, pattern, action) != (word.kind, word.pattern, word.action):
        changes["pattern"] = _clean_watched_word(kind=kind, pattern=pattern, action=action, exclude_pk=word.pk)
    changed = {name: (getattr(word, name), value) for name, value in changes.items() if getattr(word, name) != value}
    if not changed:
        return word
    if set(changed) == {"is_active"}:
        audit_action = WatchedWordAudit.REACTIVATE if changed["is_active"][1] else WatchedWordAudit.DEACTIVATE
    else:
        audit_action = WatchedWordAudit.CHANGE
    with transaction.atomic():
        for name, (_old, new) in changed.items():
            setattr(word, name, new)
        word.updated_at = timezone.now()
        word.save(update_fields=[*changed, "updated_at"])
        summary = "; ".join(f"{name}: {old!r} → {new!r}" for name, (old, new) in changed.items())
        record_audit(actor=actor, action=audit_action, target=word, reason=summary, changes=changed)
        screening.announce_change()
    return word


def set_watched_word_active(*, word, actor, active: bool):
    """Switch an entry off (kept, with its history) or on again."""
    return update_watched_word(word=word, actor=actor, is_active=active)


def remove_watched_word(*, word, actor, reason: str = "") -> None:
    """Delete an entry for good (deactivating keeps it; prefer that). The audit row keeps what it was."""
    with transaction.atomic():
        record_audit(
            actor=actor,
            action=WatchedWordAudit.REMOVE,
            target=word,
            reason=f"{word.action}: {word.pattern}" + (f". {reason}" if reason else ""),
        )
        word.delete()
        screening.announce_change()

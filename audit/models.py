"""The append-only audit log: the lowest app. Every app writes its privileged actions here; this app imports none."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    pass


class AuditAction(models.TextChoices):
    """Every action the log knows, in one typed set: a typo in a service is an error, not a new kind of row.

    The stored values are the names rows were written with before this set existed, so old rows keep reading.
    """

    # members
    INVITE = "invite", "Invitation created"
    RESEND_INVITATION = "resend_invitation", "Invitation sent again"
    REVOKE_INVITATION = "revoke_invitation", "Invitation revoked"
    APPROVE = "approve", "Applicant approved"
    DECLINE = "decline", "Applicant declined"
    SET_GROUPS = "set_groups", "Programme groups changed"
    SET_ROLE = "set_role", "Role changed"
    DEACTIVATE = "deactivate", "Account turned off"
    TEEN_CLEARANCE = "teen_clearance", "Teen clearance changed"
    SET_YEAR_OF_BIRTH = "set_year_of_birth", "Year of birth corrected"
    ERASE_ACCOUNT = "members.erase_account", "Account erased at the member's request"
    # forum
    HIDE_POST = "hide_post", "Post hidden"
    REMOVE_POST = "remove_post", "Post removed"
    RESTORE_POST = "restore_post", "Post restored"
    LOCK_TOPIC = "lock_topic", "Topic locked"
    UNLOCK_TOPIC = "unlock_topic", "Topic unlocked"
    PIN_TOPIC = "pin_topic", "Topic pinned"
    UNPIN_TOPIC = "unpin_topic", "Topic unpinned"
    MOVE_TOPIC = "move_topic", "Topic moved"
    CREATE_CATEGORY = "create_category", "Category created"
    UPDATE_CATEGORY = "update_category", "Category changed"
    # chat
    CHAT_REMOVE_MESSAGE = "chat.remove_message", "Chat message removed"
    CHAT_HIDE_MESSAGE = "chat.hide_message", "Chat message hidden"
    CHAT_RESTORE_MESSAGE = "chat.restore_message", "Chat message restored"
    CHAT_MUTE = "chat.mute", "Member muted in a room"
    CHAT_UNMUTE = "chat.unmute", "Mute lifted"
    CHAT_CREATE_ROOM = "chat.create_room", "Room created"
    CHAT_UPDATE_ROOM = "chat.update_room", "Room changed"
    CHAT_REVEAL_PRIVATE = "chat.reveal_private", "Private messages shown to a moderator"
    # moderation: watched words
    ADD_WATCHED_WORD = "moderation.add_watched_word", "Watched word added"
    CHANGE_WATCHED_WORD = "moderation.change_watched_word", "Watched word changed"
    DEACTIVATE_WATCHED_WORD = "moderation.deactivate_watched_word", "Watched word switched off"
    REACTIVATE_WATCHED_WORD = "moderation.reactivate_watched_word", "Watched word switched on"
    REMOVE_WATCHED_WORD = "moderation.remove_watched_word", "Watched word deleted"
    # moderation: the review queue, sanctions, appeals, notes
    REPORT = "moderation.report", "Reported by a member"
    SEND_APPEAL = "moderation.appeal", "Appeal sent"
    CLAIM_ITEM = "moderation.claim", "Review item claimed"
    DISMISS_ITEM = "moderation.dismiss", "Review item dismissed"
    AUTO_HIDE = "moderation.auto_hide", "Hidden after several reports"
    HOLD_FOR_REVIEW = "moderation.hold", "Held for review"
    CONTENT_WARNING = "moderation.content_warning", "Content warning added"
    WARN = "moderation.warn", "Member warned"
    MUTE = "moderation.mute", "Member muted"
    SUSPEND = "moderation.suspend", "Member suspended"
    BAN = "moderation.ban", "Member banned"
    LIFT_SANCTION = "moderation.lift_sanction", "Sanction lifted"
    GRANT_APPEAL = "moderation.grant_appeal", "Appeal granted"
    DECLINE_APPEAL = "moderation.decline_appeal", "Appeal declined"
    ADD_MEMBER_NOTE = "moderation.add_note", "Note about a member added"
    # connections
    GRANT_PEER_SUPPORTER = "connections.grant_supporter", "Peer supporter role given"
    REVOKE_PEER_SUPPORTER = "connections.revoke_supporter", "Peer supporter role taken away"


class AuditEntry(models.Model):
    """One privileged action. Rows are written once and never changed or deleted (the database refuses too:
    see migrations/0004_append_only_triggers.py)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The actor's account id, kept when the account is erased (the foreign key above is then set to NULL, the
    # one change the database allows), so the event still says which account acted.
    actor_id_kept = models.BigIntegerField(null=True, blank=True, editable=False)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    # What changed: {"field": [old, new], ...}; empty when the action changes no single field (an invitation).
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def save(self, *args, **kwargs):
        # Append-only is a property of the data, so it is enforced here rather than in every caller.
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def change_items(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for showing what changed."""
        items = (self.changes or {}).items()
        return [(name, *pair) for name, pair in items if isinstance(pair, list) and len(pair) == 2]

    @property
    def actor_label(self) -> str:
        """Who acted, in words; an erased account is named by its id only."""
        if self.actor is not None:
            return str(self.actor)
        if self.actor_id_kept is not None:
            return f"Removed account #{self.actor_id_kept}"
        return "The system"


class AuditRedaction(models.Model):
    """A word the audit log may replace with "[former member]" in its reasons: the display name of an account
    being erased at its owner's request (members.account_data). The append-only triggers allow that one change
    to a reason only for a word listed here (audit migration 0007); the erasure adds its rows and deletes them
    again inside its own transaction, so no name is left behind in this table."""

    word = models.CharField(max_length=100)

"""Chat messages as reviewable things for moderation's queue, reports and appeals (moderation.adapters).

Registered in ChatConfig.ready(). Moderation never imports chat: it reaches messages only through this
adapter, whose actions call chat's own audited services (which also tell open sockets).

A message in a private conversation is reviewed like any other, but a moderator sees only what the report
shows: the message and a few around it, never the conversation, and each time that is shown to a moderator it
is written to the audit log (AuditAction.CHAT_REVEAL_PRIVATE).
"""

from audit.models import AuditAction
from audit.services import record_audit
from members.audience import Audience
from moderation import adapters

from . import permissions, services
from .models import Message

_STATES = {
    Message.State.VISIBLE: adapters.VISIBLE,
    Message.State.HELD: adapters.HELD,
    Message.State.HIDDEN: adapters.HIDDEN,
    Message.State.REMOVED: adapters.REMOVED,
}
CONTEXT_SIZE = 3


class MessageAdapter:
    kind = "message"
    label = "Chat message"
    model = Message
    actions: tuple[str, ...] = (adapters.HIDE, adapters.REMOVE, adapters.RESTORE)

    def _messages(self):
        return Message.objects.select_related("room", "author")

    def get(self, target_id):
        return self._messages().filter(pk=target_id).first()

    def get_many(self, ids):
        return {m.pk: m for m in self._messages().filter(pk__in=list(ids))}

    def author(self, obj):
        return obj.author

    def text(self, obj) -> str:
        return obj.body

    def state(self, obj) -> str:
        return _STATES[obj.state]

    def url(self, obj) -> str:
        if obj.room.is_private:
            return ""  # moderators do not open private conversations; the item page shows what they may see
        return f"{obj.room.get_absolute_url()}#m-{obj.pk}"

    def where(self, obj) -> str:
        if obj.room.is_private:
            return "A private conversation"
        return f"Chat room “{obj.room.name}”"

    def in_teen_space(self, obj) -> bool:
        return obj.room.audience == Audience.TEENS

    def can_report(self, user, obj) -> bool:
        # What a member can see: a visible message in a room they may enter.
        return obj.is_visible and permissions.can_enter_room(user, obj.room)

    def context(self, obj, *, viewer=None) -> list[adapters.ContextLine]:
        """Up to three messages before and after it in its room, in every state (moderators see what was there).

        In a private conversation that window is all a moderator sees of it, and showing it to `viewer` (the
        moderator on the item page) writes an audit row each time."""
        if obj.room.is_private and viewer is not None:
            record_audit(
                actor=viewer,
                action=AuditAction.CHAT_REVEAL_PRIVATE,
                target=obj,
                reason=f"Shown with up to {CONTEXT_SIZE} messages before and after it, for review",
            )
        around = Message.objects.filter(room_id=obj.room_id).select_related("author")
        before = list(around.filter(seq__lt=obj.seq).order_by("-seq")[:CONTEXT_SIZE])
        after = list(around.filter(seq__gt=obj.seq).order_by("seq")[:CONTEXT_SIZE])
        rows = [*reversed(before), obj, *after]
        return [
            adapters.ContextLine(
                author_name=m.author.display_name,
                text=m.body,
                created_at=m.created_at,
                is_target=m.pk == obj.pk,
                state=_STATES[m.state],
            )
            for m in rows
        ]

    def act(self, name, obj, *, actor, reason, **options):
        if name == adapters.HIDE:
            services.hide_message(message=obj, actor=actor, reason=reason)
        elif name == adapters.REMOVE:
            services.remove_message(message=obj, actor=actor, reason=reason)
        elif name == adapters.RESTORE:
            services.restore_message(message=obj, actor=actor, reason=reason)
        else:
            raise adapters.UnknownKind(name)

    def move_choices(self, obj, user):
        return []

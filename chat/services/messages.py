"""Messages: posting, editing, and the states moderators and authors move them through. Each stores first and
broadcasts after commit (chat.fanout.broadcast uses on_commit)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit
from members.tasks import enqueue_after_commit
from members.text import clean_member_text
from moderation.models import Flag, ReviewItem
from moderation.services import TextBlocked, after_publish, report, screen_writing

from .. import fanout, live, protocol, selectors, tasks
from ..mentions import render_message
from ..models import Message, ReadMarker, Room
from ..protocol import ChatError


@dataclass
class Posted:
    message: Message
    crisis_html: str | None = None
    # A resend of a message already stored (same client_id): nothing new was stored or broadcast.
    repeat: bool = False
    # The broadcast (None when nothing was broadcast). `published` tells whether it reached the channel layer
    # (None: not yet, inside an outer transaction or until a socket publishes it, fanout.Outbox). When it did
    # not, the sender is answered directly; the others catch up on the heartbeat.
    publication: fanout.Publication | None = None
    # Screening held it for review: stored, shown to its author only, not broadcast.
    held: bool = False

    @property
    def published(self) -> bool | None:
        return self.publication.published if self.publication is not None else None


@dataclass
class Edited:
    """What an edit did. Reads as the message itself too (`edited.html`), for callers that only want that."""

    message: Message
    crisis_html: str | None = None
    held: bool = False

    def __getattr__(self, name):
        return getattr(self.message, name)


def _screen(*, author, body: str):
    """moderation's screening, in chat's words: a `block` match is refused with the entry's reason."""
    try:
        # Chat has no "first posts" hold: a new member's first messages are a conversation, not a publication.
        return screen_writing(author=author, text=body, first_posts=False)
    except TextBlocked as blocked:
        raise ChatError("blocked", str(blocked)) from None


def _crisis_html(decision) -> str | None:
    return render_to_string("chat/crisis_resources.html") if decision.crisis else None


def _clean_body(body: str) -> str:
    body = clean_member_text(body).strip()
    if not body:
        raise ChatError("invalid", "Please write something first.")
    if len(body) > protocol.MAX_BODY:
        raise ChatError(
            "too_long", f"Messages can be up to {protocol.MAX_BODY:,} characters; this one has {len(body):,}."
        )
    return body


def _check_pace(*, user, room: Room, kind: str = "send", taken: list | None = None) -> None:
    """Flood control and slow mode. Edits count too (each is broadcast like a message); `kind` keeps an edit's
    slow-mode turn apart from a message's. `taken` collects what this call counted ("flood", "turn"), so that a
    send found to be a resend can give it back."""
    limited = live.check_flood(user)
    if taken is not None:
        taken.append("flood")
    if limited:
        raise ChatError(
            "rate_limited",
            "You are sending messages very quickly. Please take a breath and try again shortly.",
            retry_after=limited.retry_after,
        )
    if not user.is_moderator:
        limited = live.check_slow_mode(user, room, kind)
        if limited:
            raise ChatError(
                "slow_mode",
                f"This room is in slow mode: one message every {room.slow_mode_seconds} seconds.",
                retry_after=limited.retry_after,
            )
        if taken is not None and room.slow_mode_seconds:
            taken.append("turn")


def _advance_read_marker(*, user, room: Room, seq: int) -> None:
    """Move the marker forward to `seq` (never back), creating it if need be: one upsert on the unique (user, room)
    (SQLite and PostgreSQL both have ON CONFLICT). Written out, like _next_seq: it runs with every message sent,
    and built by the ORM (an update, then get_or_create) it cost a fifth of a `send`'s CPU."""
    meta, quote = ReadMarker._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    user_col, room_col, seq_col = (quote(meta.get_field(name).column) for name in ("user", "room", "last_read_seq"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({user_col}, {room_col}, {seq_col}) VALUES (%s, %s, %s) "
            f"ON CONFLICT ({user_col}, {room_col}) DO UPDATE SET {seq_col} = excluded.{seq_col} "
            f"WHERE {table}.{seq_col} < excluded.{seq_col}",
            [user.pk, room.pk, seq],
        )


def _tell_mentioned(message: Message) -> None:
    """Mention notices leave the request: a task after commit (chat.tasks), given the message's id only. Queued
    before the broadcast's own after-commit publish, so that a notice exists by the time the room sees the
    message."""
    if not message.room.is_private and "@" in message.body:
        enqueue_after_commit(tasks.notify_chat_mentions, message_id=message.pk)


def _next_seq(room: Room) -> int:
    """Bump the room's counter and read it back in one statement (both SQLite and PostgreSQL have RETURNING;
    the ORM's update() returns only a row count). The row stays locked until the transaction ends."""
    table, pk = Room._meta.db_table, Room._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET last_seq = last_seq + 1 WHERE {quote(pk)} = %s RETURNING last_seq", [room.pk]
        )
        return cursor.fetchone()[0]


def _resent(*, room: Room, author, client_id: str, taken: list) -> Posted | None:
    """The message already stored under this client_id, as a repeat, giving back what this send counted against
    the pace limits (a resend is not a new message); None when there is none."""
    stored = selectors.sent_message(room=room, author=author, client_id=client_id)
    if stored is None:
        return None
    if "flood" in taken:
        live.uncount_flood(author)
    if "turn" in taken:
        live.forget_slow_mode(author, room)
    return Posted(message=stored, repeat=True)


def post_message(*, room: Room, author, body: str, client_id: str = "") -> Posted:
    """Store a message with the room's next seq and broadcast it after commit.

    The seq comes from an UPDATE of the room row inside the storing transaction: the row lock serialises
    concurrent writers (PostgreSQL row lock, SQLite database lock), so seqs have no gaps or duplicates even
    with several server processes, and a rolled-back message gives its number back.

    Idempotent per `client_id`: a page resends what it saw no answer for, and a repeat returns the message
    already stored (`Posted.repeat`), with nothing stored, broadcast or counted against the pace limits.
    Resends are rare, so they are not looked up before each send: the unique (room, author, client_id)
    constraint finds them when the insert fails, and a refusal (pace, screening) looks before answering.

    Mentions are notified by a task after commit (not for a held message: when a moderator approves it).
    """
    client_id = (client_id or "")[: protocol.MAX_CLIENT_ID]
    taken: list[str] = []
    try:
        body = _clean_body(body)
        _check_pace(user=author, room=room, taken=taken)
    except ChatError:
        repeat = _resent(room=room, author=author, client_id=client_id, taken=taken)
        if repeat is not None:
            return repeat
        raise
    try:
        decision = _screen(author=author, body=body)
    except ChatError:
        repeat = _resent(room=room, author=author, client_id=client_id, taken=taken)
        if repeat is not None:
            return repeat
        live.forget_slow_mode(author, room)  # nothing was stored: the refused text does not cost a turn
        raise
    held = decision.hold
    rendered = render_message(body, room)
    publication = None
    try:
        with transaction.atomic():
            seq = _next_seq(room)
            message = Message.objects.create(
                room=room,
                seq=seq,
                author=author,
                body=body,
                html=rendered.html,
                client_id=client_id,
                state=Message.State.HELD if held else Message.State.VISIBLE,
            )
            _advance_read_marker(user=author, room=room, seq=seq)
            # Crisis language opens an urgent review item (on-call staff are emailed after commit); a hold or
            # flag entry queues the message. Same transaction: no message without its item.
            after_publish(kind="message", target=message, decision=decision)
            if rendered.mentioned and not held:
                _tell_mentioned(message)
            if not held:
                publication = fanout.broadcast(
                    room.pk, protocol.message_frame(message, author_name=author.display_name), author_id=author.pk
                )
    except IntegrityError:
        # A resend, or the same send arriving twice at once (two sockets, two processes): stored before.
        repeat = _resent(room=room, author=author, client_id=client_id, taken=taken)
        if repeat is None:
            live.forget_slow_mode(author, room)
            raise
        return repeat
    except Exception:
        live.forget_slow_mode(author, room)
        raise
    room.last_seq = seq
    live.forget_typing(author, room)
    return Posted(
        message=message,
        crisis_html=_crisis_html(decision),
        publication=publication,
        held=held,
    )


def edit_message(*, message: Message, actor, body: str) -> Edited:
    """Replace the text of one's own message; everyone in the room sees the new text.

    The new text is screened like a new message: a `block` match is refused, a `hold` match takes the message
    out of the room until a moderator looks (others see it removed), crisis language shows the writer help.
    """
    body = _clean_body(body)
    _check_pace(user=actor, room=message.room, kind="edit")
    try:
        decision = _screen(author=actor, body=body)
    except ChatError:
        live.forget_slow_mode(actor, message.room, "edit")
        raise
    rendered = render_message(body, message.room)
    now = timezone.now()
    try:
        with transaction.atomic():
            message.body = body
            message.html = rendered.html
            message.edited_at = now
            message.changed_at = now
            fields = ["body", "html", "edited_at", "changed_at"]
            if decision.hold:
                message.state = Message.State.HELD
                fields.append("state")
            message.save(update_fields=fields)
            after_publish(kind="message", target=message, decision=decision)
            if decision.hold:
                fanout.broadcast(message.room_id, protocol.removed_frame(message))
            else:
                fanout.broadcast(message.room_id, protocol.edited_frame(message), author_id=message.author_id)
    except Exception:
        live.forget_slow_mode(actor, message.room, "edit")
        raise
    return Edited(message=message, crisis_html=_crisis_html(decision), held=decision.hold)


def _audit_message(*, actor, action: str, message: Message, reason: str, old_state: str) -> None:
    record_audit(
        actor=actor, action=action, target=message, reason=reason, changes={"state": (old_state, message.state)}
    )


def remove_message(*, message: Message, actor, reason: str = "") -> Message:
    """Take a message away for everyone at once. The row stays (for review and appeal); removals by anyone but
    the author (moderators, through moderation's services) are audited. `actor` None: the system."""
    now = timezone.now()
    with transaction.atomic():
        old_state = message.state
        message.state = Message.State.REMOVED
        message.removed_at = now
        message.removed_by = actor
        message.changed_at = now
        message.save(update_fields=["state", "removed_at", "removed_by", "changed_at"])
        if actor is None or actor.pk != message.author_id:
            _audit_message(
                actor=actor, action=AuditAction.CHAT_REMOVE_MESSAGE, message=message, reason=reason, old_state=old_state
            )
        fanout.broadcast(message.room_id, protocol.removed_frame(message))
    return message


def hide_message(*, message: Message, actor, reason: str) -> Message:
    """Hide a message until a moderator decides (moderation's queue, or several members' reports with
    `actor` None). Members see it go as if removed; audited."""
    now = timezone.now()
    with transaction.atomic():
        old_state = message.state
        message.state = Message.State.HIDDEN
        message.changed_at = now
        message.save(update_fields=["state", "changed_at"])
        _audit_message(
            actor=actor, action=AuditAction.CHAT_HIDE_MESSAGE, message=message, reason=reason, old_state=old_state
        )
        fanout.broadcast(message.room_id, protocol.removed_frame(message))
    return message


def restore_message(*, message: Message, actor, reason: str) -> Message:
    """Put a held, hidden or removed message back in the room (a moderator's decision). Open sockets get the
    `message` frame again, in its old place (its seq), so pages show it without a reload. Audited.

    Approving a held message is when the members it mentions hear of it (they were not told while it waited)."""
    now = timezone.now()
    with transaction.atomic():
        old_state = message.state
        message.state = Message.State.VISIBLE
        message.removed_at = None
        message.removed_by = None
        message.changed_at = now
        message.save(update_fields=["state", "removed_at", "removed_by", "changed_at"])
        _audit_message(
            actor=actor, action=AuditAction.CHAT_RESTORE_MESSAGE, message=message, reason=reason, old_state=old_state
        )
        if old_state == Message.State.HELD:
            _tell_mentioned(message)
        fanout.broadcast(message.room_id, protocol.message_frame(message), author_id=message.author_id)
    return message


def flag_message(*, message: Message, reporter, reason: str, note: str = "") -> Flag:
    """Store a report for the moderators with the message as it is now (moderation.services.report). Raises
    ReportError and its kinds (ReportNotFound, AlreadyFlagged, TooManyReports)."""
    return report(reporter=reporter, kind="message", target_id=message.pk, reason=reason, note=note)


def mark_read(*, user, room: Room, seq: int) -> None:
    """Move the member's read marker forward (never back, never past the room's last message)."""
    seq = min(seq, selectors.current_seq(room))
    if seq > 0:
        _advance_read_marker(user=user, room=room, seq=seq)


def purge_expired_messages(*, now: datetime | None = None) -> int:
    """Delete messages older than their room's retention period. Messages with an open flag or an open review
    item (held, crisis, screened) wait for review."""
    now = now or timezone.now()
    message_type = ContentType.objects.get_for_model(Message)
    under_review = Flag.objects.filter(target_type=message_type, status=Flag.Status.OPEN).values("target_id")
    in_queue = ReviewItem.objects.filter(kind="message", status=ReviewItem.Status.OPEN).values("target_id")
    deleted = 0
    for room in Room.objects.filter(retention_days__isnull=False):
        cutoff = now - timedelta(days=room.retention_days)
        with transaction.atomic():
            expired = Message.objects.filter(room=room, created_at__lt=cutoff)
            count, _ = expired.exclude(pk__in=under_review).exclude(pk__in=in_queue).delete()
        deleted += count
    return deleted

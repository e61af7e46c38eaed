"""Chat work that leaves the request: telling mentioned members, after the message is committed.

Tasks take ids only (task arguments are JSON, and the message may have changed by the time one runs: it is read
afresh, and a message no longer visible notifies nobody).
"""

from django_tasks import task

from members.blocking import ids_blocked_between
from members.mentions import mentions_that_notify
from notifications.models import Notification
from notifications.registry import target_key
from notifications.services import notify_many

from .mentions import render_message
from .models import Message

MENTION_KIND = "chat_mention"


def mentionable(*, author, users) -> list:
    """Of the members a message mentions, those who hear of it: the members' one rule (not the author; a member
    who lets nobody mention them hears only from moderators: members.mentions.mentions_that_notify), and nobody
    in a block with the author, either way."""
    users = mentions_that_notify(author=author, users=users)
    blocked = ids_blocked_between(author.pk, [user.pk for user in users])
    return [user for user in users if user.pk not in blocked]


@task()
def notify_chat_mentions(message_id: int) -> int:
    """Notify the members mentioned in a visible chat message; returns how many were told.

    Run once the message is visible: after it is posted, or when a moderator approves a held one. Mentions are
    read again from the text as it is now, for the room's audience now; a member already told about this
    message is not told twice (a retried task, a message approved after an edit).
    """
    message = (
        Message.objects.filter(pk=message_id, state=Message.State.VISIBLE).select_related("room", "author").first()
    )
    if message is None or message.room.is_private:
        return 0
    users = mentionable(author=message.author, users=render_message(message.body, message.room).mentioned)
    if not users:
        return 0
    told = set(
        Notification.objects.filter(
            kind=MENTION_KIND, target_type=target_key(message), target_id=message.pk, recipient__in=users
        ).values_list("recipient_id", flat=True)
    )
    users = [user for user in users if user.pk not in told]
    room = message.room
    return notify_many(
        recipients=users,
        kind=MENTION_KIND,
        text=f"{message.author.display_name} mentioned you in the {room.name} chat room",
        url=f"{room.get_absolute_url()}#m-{message.pk}",
        actor=message.author,
        target=message,
    )

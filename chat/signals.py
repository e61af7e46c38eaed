"""Open chat sockets follow decisions made elsewhere, at once and in every server process.

A socket checks its member and room when it connects; these receivers make it check again whenever something
changes who may be in a room (members.signals.member_access_changed: groups, role, teen clearance, the age
line, deactivation, a sanction, sign-out, a block; a session ended from allauth's sessions page), through the
channel layer's per-member group, so that a socket held by another process hears it too. Room audience changes
are announced by chat.services.save_room to the room.

A block between the two members of a private conversation also ends that conversation at once.
"""

import hashlib

from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete
from django.dispatch import receiver

from members.signals import member_access_changed

from . import fanout

RECHECK_EVENT = "chat.recheck"
SIGNED_OUT_EVENT = "chat.signed_out"


def session_fingerprint(session_key: str | None) -> str:
    """A session named on the channel layer (Redis) by a hash: the key itself would sign anyone in."""
    return hashlib.sha256((session_key or "").encode()).hexdigest()


@receiver(member_access_changed)
def _recheck_member_sockets(sender, user_ids, **kwargs):
    for user_id in user_ids:
        fanout.send_to_user(user_id, {"type": RECHECK_EVENT})


@receiver(member_access_changed)
def _end_blocked_private_rooms(sender, user_ids, **kwargs):
    # Sent after the block is committed (members.signals.announce_access_changed): the block is there to see.
    from .services import end_blocked_private_rooms  # services import the models; signals load with the app

    end_blocked_private_rooms(user_ids=user_ids)


def _session_ended(user_id: int, session_key: str) -> None:
    fanout.send_to_user(user_id, {"type": SIGNED_OUT_EVENT, "session": session_fingerprint(session_key)})


@receiver(user_logged_out)
def _close_signed_out_sockets(sender, request, user, **kwargs):
    # The re-check above may run before the session is flushed (logout() sends its signal first), so the sockets
    # of the very session that signed out are told by name. Other sessions of the member keep their sockets.
    session = getattr(request, "session", None)
    if user is not None and session is not None and session.session_key:
        _session_ended(user.pk, session.session_key)


@receiver(post_delete, sender=UserSession)
def _close_ended_session_sockets(sender, instance, **kwargs):
    # "Sign out other sessions" (allauth's sessions page, and after a password change) deletes the sessions
    # without a sign-out signal.
    if instance.user_id and instance.session_key:
        _session_ended(instance.user_id, instance.session_key)

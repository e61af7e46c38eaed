"""Short-lived chat state kept in Django's cache, never in the database.

Flood control, slow mode, the open-socket count, presence and the typing throttle must hold across server
processes, so they live in the cache (Redis when REDIS_URL is set, local memory for one process). None of
this writes a database row; a keystroke costs at most one cache call.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# Flood control: (messages, seconds) for members in their first 30 days, then for everyone else.
NEW_MEMBER_DAYS = 30
FLOOD_LIMIT_NEW = (20, 30)
FLOOD_LIMIT = (40, 30)
MAX_SOCKETS_PER_MEMBER = 5
# Frames that cost the server more than a cache call, per member: (frames, seconds). A page needs a few of each
# per minute (catch_up on every hello and gap, then one per page of CATCH_UP_LIMIT); a script asking a hundred
# times a second made every member's chat slow (issue 8.5). CHAT_FRAME_LIMITS in settings overrides entries.
FRAME_LIMITS = {
    "catch_up": (10, 10),
    "history": (10, 10),
    "edit": (10, 30),
    "delete": (10, 30),
    "flag": (5, 60),
    "read": (60, 60),
}
TYPING_EVERY_SECONDS = 3
# Socket and presence entries forget a process that died without saying goodbye after these.
SOCKET_TTL = 10 * 60
PRESENCE_STALE_SECONDS = 15 * 60


@dataclass
class Limited:
    retry_after: int


def _limits() -> tuple[tuple[int, int], tuple[int, int]]:
    custom = getattr(settings, "CHAT_FLOOD_LIMITS", None)
    return custom if custom else (FLOOD_LIMIT_NEW, FLOOD_LIMIT)


def flood_limit_for(user) -> tuple[int, int]:
    new, settled = _limits()
    is_new = (timezone.now() - user.date_joined).days < NEW_MEMBER_DAYS
    return new if is_new else settled


def _count_in_window(key_prefix: str, window: int) -> tuple[int, int]:
    """Count one event in a window that opens with the member's first event; returns (count so far, seconds
    until the window closes).

    Anchored at the first event rather than at the clock: a clock-aligned window lets a burst that straddles
    its edge count twice (40 just before the edge, 40 more just after).
    """
    now = time.time()
    start_key, count_key = f"{key_prefix}:start", f"{key_prefix}:n"
    cache.add(start_key, now, timeout=window)
    cache.add(count_key, 0, timeout=window)
    try:
        count = cache.incr(count_key)
    except ValueError:  # the window closed between add and incr
        cache.set(count_key, 1, timeout=window)
        count = 1
    start = cache.get(start_key) or now
    return count, max(1, int(start + window - now + 0.999))


def check_flood(user) -> Limited | None:
    limit, window = flood_limit_for(user)
    count, retry_after = _count_in_window(f"chat:flood:{user.pk}", window)
    return Limited(retry_after) if count > limit else None


def uncount_flood(user) -> None:
    """Take back one message counted by check_flood (it was a resend of one already stored)."""
    try:
        cache.decr(f"chat:flood:{user.pk}:n")
    except ValueError:  # the window closed meanwhile: nothing to take back
        pass


def check_frame_rate(user, kind: str) -> Limited | None:
    """Count one `kind` frame (catch_up, history, edit, ...) for this member; Limited when past FRAME_LIMITS."""
    limits = {**FRAME_LIMITS, **getattr(settings, "CHAT_FRAME_LIMITS", {})}
    if kind not in limits:
        return None
    limit, window = limits[kind]
    count, retry_after = _count_in_window(f"chat:rate:{kind}:{user.pk}", window)
    return Limited(retry_after) if count > limit else None


def _slow_key(user, room, kind: str) -> str:
    # Edits have a turn of their own: fixing a typo right after sending must not cost the next message's turn.
    return f"chat:slow:{room.pk}:{user.pk}" if kind == "send" else f"chat:slow-{kind}:{room.pk}:{user.pk}"


def check_slow_mode(user, room, kind: str = "send") -> Limited | None:
    """At most one message (and one edit) per `slow_mode_seconds` per member in this room."""
    seconds = room.slow_mode_seconds
    if not seconds:
        return None
    key = _slow_key(user, room, kind)
    free_at = time.time() + seconds
    if cache.add(key, free_at, timeout=seconds):
        return None
    previous = cache.get(key) or free_at
    return Limited(max(1, int(previous - time.time() + 0.999)))


def forget_slow_mode(user, room, kind: str = "send") -> None:
    """A message refused for another reason should not cost the member their slow-mode turn."""
    cache.delete(_slow_key(user, room, kind))


def allow_typing(user, room) -> bool:
    return cache.add(f"chat:typing:{room.pk}:{user.pk}", 1, timeout=TYPING_EVERY_SECONDS)


def forget_typing(user, room) -> None:
    """After a member's message lands, their next keystrokes count as a new "typing"."""
    cache.delete(f"chat:typing:{room.pk}:{user.pk}")


def _live_sockets(user, now: float) -> dict[str, float]:
    entries = cache.get(_sockets_key(user))
    # Anything of another shape (a plain counter an older release kept under this key) counts as no sockets,
    # rather than locking the member out of chat until it expires.
    if not isinstance(entries, dict):
        return {}
    return {sid: expires for sid, expires in entries.items() if expires > now}


def open_socket(user, socket_id: str) -> bool:
    """Count a new socket for this member; False (and not counted) when they already have the most allowed.

    Each socket is an entry with an expiry rather than a plain counter, so that sockets of a process that died
    without saying goodbye stop counting after SOCKET_TTL (the page renews its entry with a `read` every few
    minutes) instead of locking the member out after a few crashes or deploys.
    """
    now = time.time()
    with _CacheLock(f"chat:sockets-lock:{user.pk}"):
        entries = _live_sockets(user, now)
        if len(entries) >= MAX_SOCKETS_PER_MEMBER:
            return False
        entries[socket_id] = now + SOCKET_TTL
        cache.set(_sockets_key(user), entries, timeout=SOCKET_TTL)
    return True


def touch_socket(user, socket_id: str) -> None:
    now = time.time()
    if _live_sockets(user, now).get(socket_id, 0) - now > SOCKET_TTL * 2 / 3:
        return  # renewed recently
    with _CacheLock(f"chat:sockets-lock:{user.pk}"):
        entries = _live_sockets(user, now)
        entries[socket_id] = now + SOCKET_TTL
        cache.set(_sockets_key(user), entries, timeout=SOCKET_TTL)


def close_socket(user, socket_id: str) -> None:
    now = time.time()
    with _CacheLock(f"chat:sockets-lock:{user.pk}"):
        entries = _live_sockets(user, now)
        entries.pop(socket_id, None)
        cache.set(_sockets_key(user), entries, timeout=SOCKET_TTL)


def _sockets_key(user) -> str:
    return f"chat:sockets:{user.pk}"


class _CacheLock:
    """A short mutual exclusion across processes for read-modify-write of one cache entry (cache.add is atomic
    on both backends). A stuck lock expires by itself; past the wait, a rare lost update beats a stuck room."""

    def __init__(self, key: str):
        self.key = key

    def __enter__(self):
        deadline = time.monotonic() + 2
        while not cache.add(self.key, 1, timeout=2):
            if time.monotonic() > deadline:
                break
            time.sleep(0.005)
        return self

    def __exit__(self, *exc):
        cache.delete(self.key)


# --- presence ---------------------------------------------------------------------------------------
# One roster per room: {user id: (name, open sockets, last seen)}. Updates are read-modify-write under a
# _CacheLock, to stay correct across processes.


def _roster_key(room_id: int) -> str:
    return f"chat:presence:{room_id}"


def _fresh(roster: dict, now: float) -> dict:
    return {uid: entry for uid, entry in roster.items() if now - entry[2] < PRESENCE_STALE_SECONDS}


def presence_join(room_id: int, user_id: int, name: str) -> None:
    now = time.time()
    with _CacheLock(f"chat:presence-lock:{room_id}"):
        roster = _fresh(cache.get(_roster_key(room_id)) or {}, now)
        _, sockets, _ = roster.get(user_id, (name, 0, now))
        roster[user_id] = (name, sockets + 1, now)
        cache.set(_roster_key(room_id), roster, timeout=PRESENCE_STALE_SECONDS)


def presence_leave(room_id: int, user_id: int) -> None:
    now = time.time()
    with _CacheLock(f"chat:presence-lock:{room_id}"):
        roster = _fresh(cache.get(_roster_key(room_id)) or {}, now)
        if user_id in roster:
            name, sockets, seen = roster[user_id]
            if sockets <= 1:
                del roster[user_id]
            else:
                roster[user_id] = (name, sockets - 1, seen)
        cache.set(_roster_key(room_id), roster, timeout=PRESENCE_STALE_SECONDS)


def presence_touch(room_id: int, user_id: int) -> None:
    """Keep a quiet but open socket's member listed (the page sends a `read` every few minutes)."""
    now = time.time()
    roster = cache.get(_roster_key(room_id)) or {}
    entry = roster.get(user_id)
    if entry is None or now - entry[2] < PRESENCE_STALE_SECONDS / 3:
        return
    with _CacheLock(f"chat:presence-lock:{room_id}"):
        roster = _fresh(cache.get(_roster_key(room_id)) or {}, now)
        if user_id in roster:
            name, sockets, _ = roster[user_id]
            roster[user_id] = (name, sockets, now)
            cache.set(_roster_key(room_id), roster, timeout=PRESENCE_STALE_SECONDS)


def presence_members(room_id: int) -> list[dict]:
    roster = _fresh(cache.get(_roster_key(room_id)) or {}, time.time())
    members = [{"id": uid, "name": entry[0]} for uid, entry in roster.items()]
    return sorted(members, key=lambda m: m["name"].lower())

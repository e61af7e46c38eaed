"""Blocking, read side: who is hidden from whom. Every app that shows members' words asks here.

A block works both ways (DESIGN: neither sees the other's posts or messages, no mentions or notices between
them), so each read below takes both directions. `hidden_member_ids` is the one query a page or socket runs once
and reuses for every row it shows.
"""

from django.db.models import Q

from .models import Block


def hidden_member_ids(user) -> frozenset[int]:
    """Ids of the members `user` blocked or was blocked by (one query; empty for anonymous users)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    pairs = Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list("blocker_id", "blocked_id")
    return frozenset(a if b == user.pk else b for a, b in pairs)


def blocked_by_me_ids(user) -> frozenset[int]:
    """Ids of the members `user` chose to block (their list on /me/, the "unblock" button)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))


def is_blocked_between(a_id: int, b_id: int) -> bool:
    """Whether either of the two members blocked the other."""
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


def ids_blocked_between(user_id: int, others) -> frozenset[int]:
    """Of the member ids `others`, those with a block either way with `user_id` (one query): for fan-out that
    must leave them out."""
    others = list(others)
    if not others:
        return frozenset()
    pairs = Block.objects.filter(
        Q(blocker_id=user_id, blocked_id__in=others) | Q(blocked_id=user_id, blocker_id__in=others)
    ).values_list("blocker_id", "blocked_id")
    return frozenset(a if b == user_id else b for a, b in pairs)

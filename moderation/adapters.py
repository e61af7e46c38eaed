"""How moderation shows and acts on other apps' content without importing them (DESIGN.md, "The parts").

Each feature app registers, in its AppConfig.ready(), one adapter per kind of reviewable thing:

    register(PostAdapter())          # forum/moderation.py
    register(MessageAdapter())       # chat/moderation.py

An adapter answers questions about one target (by id) and carries out actions on it through its own app's
services, which write their own audit rows. Moderation's queue, reports and appeals only ever talk to these
objects, the way each Discourse reviewable type brings its own actions.

Contract (every method takes the acting or reading user where it matters; none may raise for a missing
target except `get`, which returns None):

- kind: a short stable key stored on review items ("post", "message", "member").
- label: words for moderators ("Forum post").
- get(target_id) -> the object, or None when it no longer exists.
- get_many(ids) -> {id: object}, in a fixed number of queries (the queue shows many items).
- author(obj) -> the member who wrote it (for a member: the member).
- text(obj) -> the current text, as plain text (what a snapshot stores).
- state(obj) -> one of "visible", "held", "hidden", "removed".
- url(obj) -> where the thing is seen in place.
- where(obj) -> a few words of where it is ("Topic “Sleep” in Coping"), for moderators.
- in_teen_space(obj) -> whether it lives in (or is) a teen space: only teen-cleared moderators see it.
- can_report(user, obj) -> whether a member may see it (and so report it): a report of what one cannot see is
  refused as not found.
- context(obj) -> a short list of ContextLine around it (the posts or messages before and after). An adapter
  may take `viewer` too, `context(obj, *, viewer=None)`: the moderator it is shown to (chat audits each showing
  of a private conversation's messages). Call it through `context_for`, which passes `viewer` where taken.
- actions -> the names of the actions this kind supports, from ACTIONS below.
- act(name, obj, *, actor, reason, **options) -> carries out one action through the owning app's service
  (which audits it). Options: `category_id` for "move", `warning` for "content_warning".
- move_choices(obj, user) -> [(id, name)] where a topic may be moved ("move" only).
- offered(obj) (optional) -> the actions that make sense for this target now (a locked topic offers "unlock",
  not "lock"); without it, all of `actions`.
"""

import inspect
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

# The actions an adapter may offer. The queue shows, for each item, those its adapter lists.
HIDE = "hide"
REMOVE = "remove"
RESTORE = "restore"
CONTENT_WARNING = "content_warning"
LOCK = "lock"
UNLOCK = "unlock"
MOVE = "move"
ACTIONS = {
    HIDE: "Hide (kept for review)",
    REMOVE: "Remove (the author sees the reason)",
    RESTORE: "Restore",
    CONTENT_WARNING: "Add a content warning",
    LOCK: "Lock the topic",
    UNLOCK: "Unlock the topic",
    MOVE: "Move the topic",
}

VISIBLE, HELD, HIDDEN, REMOVED = "visible", "held", "hidden", "removed"


@dataclass(frozen=True)
class ContextLine:
    author_name: str
    text: str
    created_at: datetime | None
    is_target: bool = False
    state: str = VISIBLE


class Adapter(Protocol):
    kind: str
    label: str
    actions: tuple[str, ...]

    def get(self, target_id: int) -> Any | None: ...
    def get_many(self, ids) -> dict[int, Any]: ...
    def author(self, obj): ...
    def text(self, obj) -> str: ...
    def state(self, obj) -> str: ...
    def url(self, obj) -> str: ...
    def where(self, obj) -> str: ...
    def in_teen_space(self, obj) -> bool: ...
    def can_report(self, user, obj) -> bool: ...
    def context(self, obj) -> list[ContextLine]: ...
    def act(self, name: str, obj, *, actor, reason: str, **options) -> None: ...
    def move_choices(self, obj, user) -> list[tuple[int, str]]: ...


class UnknownKind(LookupError):
    pass


_adapters: dict[str, Adapter] = {}


def register(adapter: Adapter) -> None:
    """Called from an AppConfig.ready(); registering a kind again replaces it (autoreload)."""
    unknown = set(adapter.actions) - set(ACTIONS)
    if unknown:
        raise ValueError(f"{adapter.kind}: unknown actions {sorted(unknown)}")
    _adapters[adapter.kind] = adapter


def get_adapter(kind: str) -> Adapter:
    try:
        return _adapters[kind]
    except KeyError:
        raise UnknownKind(kind) from None


# Audit rows name their target by model and id; which of those targets live in teen spaces only the owning app
# knows. Each app registers, per model, a function returning a queryset of the primary keys in teen spaces
# (`Post.objects.filter(topic__category__audience="teens").values("pk")`), so the audit log can leave those rows
# out for moderators not cleared for teen spaces, in one query whatever the page.
_teen_scopes: dict[type, Any] = {}


def register_teen_scope(model: type, teen_pks) -> None:
    """`teen_pks()` -> a values("pk") queryset of `model` rows that are in (or are) teen spaces."""
    _teen_scopes[model] = teen_pks


def teen_scopes() -> dict[type, Any]:
    return dict(_teen_scopes)


def offered_actions(adapter: Adapter, obj) -> tuple[str, ...]:
    """The actions a moderator is offered on `obj` now (see `offered` in the contract above)."""
    if obj is None:
        return ()
    offered = getattr(adapter, "offered", None)
    return tuple(offered(obj)) if offered is not None else tuple(adapter.actions)


def context_for(adapter: Adapter, obj, *, viewer) -> list[ContextLine]:
    """`adapter.context(obj)`, telling it who will see the lines when it asks (see `context` above)."""
    if "viewer" in inspect.signature(adapter.context).parameters:
        return adapter.context(obj, viewer=viewer)
    return adapter.context(obj)


def kinds() -> list[tuple[str, str]]:
    """(kind, label) of every registered adapter, for filters."""
    return sorted((a.kind, a.label) for a in _adapters.values())

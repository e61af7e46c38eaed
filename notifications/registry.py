"""How a notice about another app's object is shown: that app decides, at read time, for this reader.

This app imports no other (DESIGN.md), yet a notice must never show what its reader may no longer see: a topic
that was hidden, removed or moved out of the reader's audience, a chat message that was taken down. So each app
whose objects notices point at registers a resolver at start-up (its AppConfig.ready), keyed by the target's
"<app_label>.<model_name>":

    register_resolver("forum.post", resolve_post_notices)

A resolver takes the reader and a list of their notices that all point at that kind of object, and returns, in
the same order, what to show for each (`Shown`) or None when the reader may not see it now. It must run a fixed
number of queries for the whole list, never one per notice: the bell and the list page call it on every load.

Two more hooks keep fan-out (notify_many) at a fixed number of queries however many recipients it has:

- `register_visibility_check("forum.post", fn)`: fn(target_id, recipients) returns the ids of those recipients
  who may see that one target now, in a fixed number of queries. Without one, a new notice about that type is
  checked with the resolver once per recipient.
- `register_recipient_filter(fn)`: fn(actor_id, recipient_ids) returns the ids to leave out because of the
  actor (members registers blocks, either way: no notice passes between two members where one blocked the
  other). Every notice with an actor passes every filter, one call per batch.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Notification


@dataclass(frozen=True)
class Shown:
    text: str
    url: str


Resolver = Callable[[Any, Sequence[Notification]], Sequence[Shown | None]]
VisibilityCheck = Callable[[int, Sequence[Any]], Iterable[int]]
RecipientFilter = Callable[[int, Sequence[int]], Iterable[int]]

_resolvers: dict[str, Resolver] = {}
_visibility_checks: dict[str, VisibilityCheck] = {}
# Keyed by the function's dotted name: registering again on autoreload replaces, never doubles, a filter.
_recipient_filters: dict[str, RecipientFilter] = {}


def target_key(obj) -> str:
    """The `target_type` stored for a model instance."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def register_resolver(target_type: str, resolver: Resolver) -> None:
    """Called from an AppConfig.ready(); registering the same type again replaces the resolver (autoreload)."""
    _resolvers[target_type] = resolver


def register_visibility_check(target_type: str, check: VisibilityCheck) -> None:
    """Called from an AppConfig.ready(): check(target_id, recipients) -> ids of the recipients who may see it."""
    _visibility_checks[target_type] = check


def register_recipient_filter(recipient_filter: RecipientFilter) -> None:
    """Called from an AppConfig.ready(): recipient_filter(actor_id, recipient_ids) -> recipient ids to drop."""
    _recipient_filters[f"{recipient_filter.__module__}.{recipient_filter.__qualname__}"] = recipient_filter


def recipients_to_drop(actor_id: int, recipient_ids: Sequence[int]) -> set[int]:
    """Ids among `recipient_ids` that no notice from `actor_id` may reach (each filter once for the batch)."""
    dropped: set[int] = set()
    if not recipient_ids:
        return dropped
    for recipient_filter in _recipient_filters.values():
        dropped.update(recipient_filter(actor_id, list(recipient_ids)))
    return dropped


def recipients_who_may_see(target_type: str, target_id: int, notices: Sequence[Notification]) -> list[Notification]:
    """Of new notices about one target, each to its own recipient, those whose recipient may see it now.

    One call of the target type's visibility check for the batch; without one, the resolver once per notice
    (correct, but not constant: an app fanning out to many should register a check).
    """
    check = _visibility_checks.get(target_type)
    if check is not None:
        allowed = set(check(target_id, [n.recipient for n in notices]))
        return [n for n in notices if n.recipient_id in allowed]
    return [n for n in notices if resolve(n.recipient, [n])[0] is not None]


def grouped_text(count: int) -> str:
    """How a grouped notice reads: a count of members, never their names."""
    if count <= 1:
        return "A member sent support to your post"
    return f"{count} members sent support to your post"


def resolve(reader, notices: Sequence[Notification]) -> list[Shown | None]:
    """What `reader` may see of each notice now, in order; None for the ones to leave out.

    A notice without a target says nothing that can be taken back, and is shown as stored. A notice whose type
    has no resolver is left out: when in doubt, show nothing.
    """
    shown: list[Shown | None] = [None] * len(notices)
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, notice in enumerate(notices):
        if notice.target_type and notice.target_id is not None:
            by_type[notice.target_type].append(i)
        else:
            text = grouped_text(notice.count) if notice.group_key else notice.text
            shown[i] = Shown(text=text, url=notice.url)
    for target_type, positions in by_type.items():
        resolver = _resolvers.get(target_type)
        if resolver is None:
            continue
        answers = list(resolver(reader, [notices[i] for i in positions]))
        for i, answer in zip(positions, answers, strict=True):
            if answer is not None and notices[i].group_key:
                # The target's app decides whether and where; the count decides the words.
                answer = Shown(text=grouped_text(notices[i].count), url=answer.url)
            shown[i] = answer
    return shown

"""How a notice about another app's object is shown: that app decides, at read time, for this reader.

This app imports no other (DESIGN.md), yet a notice must never show what its reader may no longer see: a topic
that was hidden, removed or moved out of the reader's audience, a chat message that was taken down. So each app
whose objects notices point at registers a resolver at start-up (its AppConfig.ready), keyed by the target's
"<app_label>.<model_name>":

    register_resolver("forum.post", resolve_post_notices)

A resolver takes the reader and a list of their notices that all point at that kind of object, and returns, in
the same order, what to show for each (`Shown`) or None when the reader may not see it now. It must run a fixed
number of queries for the whole list, never one per notice: the bell and the list page call it on every load.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Notification


@dataclass(frozen=True)
class Shown:
    text: str
    url: str


Resolver = Callable[[Any, Sequence[Notification]], Sequence[Shown | None]]

_resolvers: dict[str, Resolver] = {}


def target_key(obj) -> str:
    """The `target_type` stored for a model instance."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def register_resolver(target_type: str, resolver: Resolver) -> None:
    """Called from an AppConfig.ready(); registering the same type again replaces the resolver (autoreload)."""
    _resolvers[target_type] = resolver


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
            shown[i] = Shown(text=notice.text, url=notice.url)
    for target_type, positions in by_type.items():
        resolver = _resolvers.get(target_type)
        if resolver is None:
            continue
        answers = list(resolver(reader, [notices[i] for i in positions]))
        for i, answer in zip(positions, answers, strict=True):
            shown[i] = answer
    return shown

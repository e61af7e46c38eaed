"""Reads for the moderation pages. Every list a moderator sees goes through `items_for` / `appeals_for`, which
leave out teen items and teen members' appeals for moderators not cleared for teen spaces."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from members.models import ADULT_AGE, User, clinic_year

from . import adapters
from .models import Appeal, Flag, MemberNote, ReviewItem, Sanction
from .services import appealable_items

SHOW_OPEN, SHOW_MINE, SHOW_RESOLVED = "open", "mine", "resolved"
QUEUE_SHOWS = [(SHOW_OPEN, "Open"), (SHOW_MINE, "Claimed by me"), (SHOW_RESOLVED, "Resolved")]
APPEAL_SHOWS = [("open", "Waiting"), ("decided", "Decided")]


def _teen_members_q(prefix: str = "") -> Q:
    # Matches User.is_teen (age < ADULT_AGE, age = this year - year of birth) in the database.
    return Q(**{f"{prefix}year_of_birth__gt": clinic_year() - ADULT_AGE})


# --- review items ---------------------------------------------------------------------------------------------


def items_for(user) -> QuerySet[ReviewItem]:
    """Every review item this moderator may see."""
    items = ReviewItem.objects.all()
    if not user.teen_cleared:
        items = items.filter(in_teen_space=False)
    return items


def open_count(user) -> int:
    return items_for(user).filter(status=ReviewItem.Status.OPEN).count()


def queue_items(user, *, show: str = SHOW_OPEN, reason: str = "", kind: str = "") -> QuerySet[ReviewItem]:
    """The queue: urgent first, then oldest first (resolved: most recently decided first)."""
    items = items_for(user).select_related("target_author", "claimed_by", "resolved_by")
    items = items.prefetch_related(Prefetch("flags", queryset=Flag.objects.order_by("created_at", "id")))
    if show == SHOW_RESOLVED:
        items = items.exclude(status=ReviewItem.Status.OPEN).order_by("-resolved_at", "-id")
    else:
        items = items.filter(status=ReviewItem.Status.OPEN).order_by("-urgent", "created_at", "id")
        if show == SHOW_MINE:
            items = items.filter(claimed_by=user)
    if reason:
        items = items.filter(Exists(Flag.objects.filter(item=OuterRef("pk"), reason=reason)))
    if kind:
        items = items.filter(kind=kind)
    return items


@dataclass
class ItemRow:
    """An item with its target loaded through the target's adapter (None: gone, or an unknown kind)."""

    item: ReviewItem
    adapter: Any = None
    target: Any = None
    reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.adapter.label if self.adapter else self.item.kind

    @property
    def where(self) -> str:
        return self.adapter.where(self.target) if self.target is not None else ""

    @property
    def state(self) -> str:
        return self.adapter.state(self.target) if self.target is not None else "gone"

    @property
    def url(self) -> str:
        return self.adapter.url(self.target) if self.target is not None else ""

    @property
    def report_count(self) -> int:
        return sum(count for _label, count in self.reasons)


def _reasons(item: ReviewItem) -> list[tuple[str, int]]:
    counts = Counter(flag.get_reason_display() for flag in item.flags.all())
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def with_targets(items) -> list[ItemRow]:
    """Rows for a page of items, loading targets with one `get_many` per kind (not one query per item)."""
    items = list(items)
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for item in items:
        ids_by_kind[item.kind].add(item.target_id)
    loaded: dict[str, tuple[Any, dict]] = {}
    for kind, ids in ids_by_kind.items():
        try:
            adapter = adapters.get_adapter(kind)
        except adapters.UnknownKind:
            continue
        loaded[kind] = (adapter, adapter.get_many(ids))
    rows = []
    for item in items:
        adapter, targets = loaded.get(item.kind, (None, {}))
        rows.append(ItemRow(item=item, adapter=adapter, target=targets.get(item.target_id), reasons=_reasons(item)))
    return rows


def item_row(item: ReviewItem) -> ItemRow:
    return with_targets([item])[0]


def author_history(user, member: User, *, exclude: ReviewItem | None = None, limit: int = 10) -> list[ItemRow]:
    """The member's other review items (newest first), as this moderator may see them."""
    items = items_for(user).filter(target_author=member).prefetch_related("flags").order_by("-created_at", "-id")
    if exclude is not None:
        items = items.exclude(pk=exclude.pk)
    return with_targets(items[:limit])


def sanctions_of(member: User) -> QuerySet[Sanction]:
    return member.sanctions.select_related("issued_by", "lifted_by", "appeal")


def notes_on(member: User) -> QuerySet[MemberNote]:
    return MemberNote.objects.filter(member=member).select_related("author")


# --- appeals --------------------------------------------------------------------------------------------------


def appeals_for(user) -> QuerySet[Appeal]:
    """Every appeal this moderator may see: not a teen member's, nor about a teen item, unless cleared."""
    appeals = Appeal.objects.select_related("member", "sanction", "item", "decided_by")
    if not user.teen_cleared:
        appeals = appeals.exclude(_teen_members_q("member__")).exclude(item__in_teen_space=True)
    return appeals


def open_appeal_count(user) -> int:
    return appeals_for(user).filter(status=Appeal.Status.OPEN).count()


def appeal_list(user, *, show: str = "open") -> QuerySet[Appeal]:
    appeals = appeals_for(user)
    if show == "decided":
        return appeals.exclude(status=Appeal.Status.OPEN).order_by("-decided_at", "-id")
    return appeals.filter(status=Appeal.Status.OPEN).order_by("created_at", "id")


# --- a member's own standing ----------------------------------------------------------------------------------


def _appeal_of(obj) -> Appeal | None:
    try:
        return obj.appeal
    except Appeal.DoesNotExist:
        return None


@dataclass
class StandingEntry:
    """A sanction or a decision about the member's content, as the member sees it."""

    sanction: Sanction | None = None
    item: ReviewItem | None = None
    appeal: Appeal | None = None
    label: str = ""

    @property
    def in_force(self) -> bool:
        return self.sanction is not None and self.sanction.in_force()

    @property
    def can_appeal(self) -> bool:
        if self.appeal is not None:
            return False
        if self.item is not None:
            return True
        s = self.sanction
        return s.lifted_at is None and (s.kind == Sanction.Kind.WARNING or s.in_force())


@dataclass
class Standing:
    in_force: list[StandingEntry]
    past: list[StandingEntry]
    decisions: list[StandingEntry]

    @property
    def is_clear(self) -> bool:
        return not (self.in_force or self.past or self.decisions)

    @property
    def appeals(self) -> list[Appeal]:
        return [e.appeal for e in (*self.in_force, *self.past, *self.decisions) if e.appeal is not None]


def standing_for(member: User) -> Standing:
    """What the member's own account page shows: sanctions in force and past, decisions on their content,
    and their appeals. Never who reported them, nor which moderator acted."""
    now = timezone.now()
    in_force, past = [], []
    for sanction in member.sanctions.select_related("appeal"):
        entry = StandingEntry(sanction=sanction, appeal=_appeal_of(sanction))
        (in_force if sanction.in_force(now) else past).append(entry)
    decisions = []
    for item in appealable_items(member).select_related("appeal").order_by("-resolved_at", "-id"):
        try:
            label = adapters.get_adapter(item.kind).label
        except adapters.UnknownKind:
            label = "Content"
        decisions.append(StandingEntry(item=item, appeal=_appeal_of(item), label=label))
    return Standing(in_force=in_force, past=past, decisions=decisions)

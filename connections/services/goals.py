"""Personal goals and check-ins on them. Private unless shared with chosen buddies; progress is counted, never a
streak, so a missed day is nothing anyone sees."""

from django.db import transaction
from django.utils import timezone

from members.text import clean_member_text

from .. import selectors
from ..models import GOAL_TITLE_MAX, NOTE_MAX, Goal, GoalCheckIn
from .errors import ConnectionsError


def _clean_title(title: str) -> str:
    title = " ".join(clean_member_text(title).split())
    if not title:
        raise ConnectionsError("Please write your goal in a few words, for example “go to three meetings this week”.")
    if len(title) > GOAL_TITLE_MAX:
        raise ConnectionsError(f"Goals can be up to {GOAL_TITLE_MAX} characters; this one has {len(title)}.")
    return title


def _clean_note(note: str) -> str:
    note = clean_member_text(note).strip()
    if len(note) > NOTE_MAX:
        raise ConnectionsError(f"Notes can be up to {NOTE_MAX} characters; this one has {len(note)}.")
    return note


def _buddies_only(owner, share_with) -> list:
    chosen = list(share_with or [])
    if not chosen:
        return []
    buddy_ids = set(selectors.buddies_of(owner).filter(pk__in=[u.pk for u in chosen]).values_list("pk", flat=True))
    if any(u.pk not in buddy_ids for u in chosen):
        raise ConnectionsError("A goal can only be shared with your buddies.")
    return chosen


@transaction.atomic
def create_goal(*, owner, title: str, share_with=()) -> Goal:
    """Set a goal; shared with the chosen buddies (who must be buddies now), private when none are chosen."""
    title = _clean_title(title)
    buddies = _buddies_only(owner, share_with)
    goal = Goal.objects.create(owner=owner, title=title)
    if buddies:
        goal.shared_with.set(buddies)
    return goal


@transaction.atomic
def update_goal(*, goal: Goal, owner, title: str, share_with=()) -> Goal:
    """Change a goal's words and whom it is shared with. Buddies who are no longer buddies drop out by themselves
    (the reads ignore them), so only current buddies can be chosen here."""
    title = _clean_title(title)
    buddies = _buddies_only(owner, share_with)
    if title != goal.title:
        goal.title = title
        goal.save(update_fields=["title"])
    goal.shared_with.set(buddies)
    return goal


@transaction.atomic
def archive_goal(*, goal: Goal, owner) -> Goal:
    """Put a goal aside: it leaves the list (and buddies' view) and keeps its check-ins."""
    if goal.archived_at is None:
        goal.archived_at = timezone.now()
        goal.save(update_fields=["archived_at"])
    return goal


@transaction.atomic
def check_in_on_goal(*, goal: Goal, member, status: str, note: str = "") -> GoalCheckIn:
    """Record how a goal went this time: done, partly or not this time, with an optional note."""
    if status not in GoalCheckIn.Status.values:
        raise ConnectionsError("Please choose how it went: done, partly, or not this time.")
    if goal.archived_at is not None:
        raise ConnectionsError("This goal was put aside, so it takes no more check-ins.")
    return GoalCheckIn.objects.create(goal=goal, status=status, note=_clean_note(note))

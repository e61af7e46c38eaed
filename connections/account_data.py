"""connections' part of a member's data export and of their account's erasure (members.account_data).

Imported from ConnectionsConfig.ready(), which registers it. Export: the member's own goals and check-ins, their
moods, and when they asked for support; buddies are counted, not named (their names are theirs). Erasure: all of
it goes (goals, check-ins, moods, requests, nudges, buddyships, shifts), since none of it is anyone else's record;
support requests stay as bare times for the response figures, no longer tied to anything the member wrote.
"""

from django.db.models import Q

from members.account_data import register_account_data

from . import selectors
from .models import BuddyRequest, Buddyship, Goal, GoalCheckIn, MoodEntry, Nudge, SupporterShift, SupportRequest


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_member_data(user) -> dict:
    check_ins = GoalCheckIn.objects.filter(goal__owner=user).order_by("created_at", "pk")
    return {
        "goals": [
            {
                "goal": g.title,
                "set_at": _iso(g.created_at),
                "put_aside_at": _iso(g.archived_at),
                "shared_with_buddies": g.shared_with.count(),
                "check_ins": [
                    {"at": _iso(c.created_at), "how_it_went": c.get_status_display(), "note": c.note}
                    for c in check_ins
                    if c.goal_id == g.pk
                ],
            }
            for g in Goal.objects.filter(owner=user).order_by("created_at", "pk")
        ],
        "moods": [
            {"day": e.day.isoformat(), "mood": e.mood, "in_words": e.get_mood_display()}
            for e in MoodEntry.objects.filter(member=user).order_by("day", "pk")
        ],
        "buddies": selectors.buddies_of(user).count(),
        "support_requests": [
            {"asked_at": _iso(r.created_at), "answered_at": _iso(r.answered_at)}
            for r in SupportRequest.objects.filter(member=user).order_by("created_at", "pk")
        ],
        "peer_supporter": selectors.is_peer_supporter(user),
    }


def erase_member_data(user, remove_content: bool) -> None:
    Goal.objects.filter(owner=user).delete()  # their check-ins with them
    MoodEntry.objects.filter(member=user).delete()
    Nudge.objects.filter(Q(sender=user) | Q(recipient=user)).delete()
    BuddyRequest.objects.filter(Q(from_member=user) | Q(to_member=user)).delete()
    Buddyship.objects.filter(Q(member_a=user) | Q(member_b=user)).delete()
    SupporterShift.objects.filter(supporter=user).delete()
    user.groups.remove(selectors.peer_supporter_group())
    # Goals others shared with this member are no longer shared with anyone gone.
    Goal.shared_with.through.objects.filter(user_id=user.pk).delete()


register_account_data("connections", export=export_member_data, erase=erase_member_data)

"""Member-facing reads of connections. Every read applies who-may-see-whom: a buddy is someone the reader can still
see (same side of the age line, no block either way), and a shared goal is seen only by the buddies chosen for it.
"""

from datetime import datetime, timedelta
from statistics import median

from django.contrib.auth.models import Group
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from members.models import ADULT_AGE, Block, Role, User, clinic_year
from members.selectors import visible_members

from .models import (
    PEER_SUPPORTER_GROUP,
    BuddyRequest,
    Buddyship,
    DailyCheckIn,
    Goal,
    GoalCheckIn,
    MoodEntry,
    Nudge,
    SupporterShift,
    SupportRequest,
)

# A buddy request nobody accepted (pending or declined) fades away after this long; the asker may ask again.
REQUEST_LIFETIME = timedelta(days=30)
# An unanswered support request stays open this long; after that the member is asked to ask again.
SUPPORT_REQUEST_OPEN_FOR = timedelta(hours=2)
CHART_DAYS = 90


# --- who is on which side ------------------------------------------------------------------------


def same_side_q(user) -> Q:
    """Users on `user`'s side of the teen and adult line (by the clinic's calendar, as User.is_teen)."""
    adult_born_by = clinic_year() - ADULT_AGE
    return Q(year_of_birth__gt=adult_born_by) if user.is_teen else Q(year_of_birth__lte=adult_born_by)


def _blocked_with(user) -> Exists:
    return Exists(
        Block.objects.filter(
            Q(blocker_id=user.pk, blocked_id=OuterRef("pk")) | Q(blocked_id=user.pk, blocker_id=OuterRef("pk"))
        )
    )


def reachable_members(user) -> QuerySet[User]:
    """Members `user` can see and who can see them back, with no block between them (not `user` themselves)."""
    return visible_members(user).exclude(pk=user.pk).exclude(_blocked_with(user))


class remembering:
    """`with remembering(user):` answers each reach/buddy question about a pair once inside the block: a page that
    asks the same question from several checks (the profile's buddy buttons ask it four times) pays for it once.
    Only inside the block, so that a service that changes the answer is never fooled by an earlier one."""

    def __init__(self, user):
        self.user = user

    def __enter__(self):
        self.user.__dict__["_connections_answers"] = {}
        return self.user

    def __exit__(self, *exc):
        self.user.__dict__.pop("_connections_answers", None)


def _remembered(user, key, compute):
    answers = user.__dict__.get("_connections_answers")
    if answers is None:
        return compute()
    if key not in answers:
        answers[key] = compute()
    return answers[key]


def can_reach(user, other) -> bool:
    """Both ways visible, no block: teens and adults never reach each other (teen-cleared team members excepted)."""
    if other is None or other.pk == user.pk or not (other.is_active and other.is_approved_member):
        return False
    return _remembered(
        user,
        ("reach", other.pk),
        lambda: (
            reachable_members(user).filter(pk=other.pk).exists() and visible_members(other).filter(pk=user.pk).exists()
        ),
    )


# --- buddies -------------------------------------------------------------------------------------


def _pair_q(user, other_ref) -> Q:
    return Q(member_a_id=user.pk, member_b_id=other_ref) | Q(member_b_id=user.pk, member_a_id=other_ref)


def buddies_of(user) -> QuerySet[User]:
    """The members who are `user`'s buddies now: an active buddyship, same side of the age line, no block."""
    pair = Buddyship.objects.filter(_pair_q(user, OuterRef("pk")), ended_at__isnull=True)
    return reachable_members(user).filter(same_side_q(user)).filter(Exists(pair)).order_by("display_name")


def buddy_for(user, pk: int) -> User | None:
    return buddies_of(user).filter(pk=pk).first()


def are_buddies(user, other) -> bool:
    return _remembered(user, ("buddies", other.pk), lambda: buddies_of(user).filter(pk=other.pk).exists())


def active_buddyship(user, other) -> Buddyship | None:
    return Buddyship.objects.filter(_pair_q(user, other.pk), ended_at__isnull=True).first()


def _live_requests() -> QuerySet[BuddyRequest]:
    return BuddyRequest.objects.filter(created_at__gt=timezone.now() - REQUEST_LIFETIME)


def requests_received(user) -> QuerySet[BuddyRequest]:
    """Requests waiting for `user`'s answer, from members they can still reach."""
    return (
        _live_requests()
        .filter(to_member=user, state=BuddyRequest.State.PENDING, from_member__in=reachable_members(user))
        .select_related("from_member")
        .order_by("created_at")
    )


def request_received(user, pk: int) -> BuddyRequest | None:
    return requests_received(user).filter(pk=pk).first()


def requests_sent(user) -> QuerySet[BuddyRequest]:
    """What `user` asked and has not heard back on. A declined request is among them: to the asker it stays
    "pending" until it fades (declining tells them nothing more)."""
    return (
        _live_requests()
        .filter(
            from_member=user,
            state__in=[BuddyRequest.State.PENDING, BuddyRequest.State.DECLINED],
            to_member__in=reachable_members(user),
        )
        .select_related("to_member")
        .order_by("-created_at")
    )


def open_request_between(asker, member) -> BuddyRequest | None:
    """A live request from `asker` to `member` that still counts (pending, or declined and not yet faded)."""
    return (
        _live_requests()
        .filter(
            from_member=asker,
            to_member=member,
            state__in=[BuddyRequest.State.PENDING, BuddyRequest.State.DECLINED],
        )
        .first()
    )


def buddy_state(user, other) -> str:
    """For the "Ask to be buddies" button: "self", "buddies", "asked", "asked_you", "" (may ask) or "none"."""
    if other.pk == user.pk:
        return "self"
    if are_buddies(user, other):
        return "buddies"
    if open_request_between(user, other) is not None:
        return "asked"
    if requests_received(user).filter(from_member=other).exists():
        return "asked_you"
    return ""


def last_nudge(sender, recipient) -> Nudge | None:
    return Nudge.objects.filter(sender=sender, recipient=recipient).order_by("-created_at").first()


def nudges_received(user, *, limit: int = 10) -> QuerySet[Nudge]:
    """Recent nudges from people who are still `user`'s buddies."""
    return (
        Nudge.objects.filter(recipient=user, sender__in=buddies_of(user))
        .select_related("sender")
        .order_by("-created_at")[:limit]
    )


# --- goals ---------------------------------------------------------------------------------------


def month_start() -> datetime:
    """The start of this month in the reader's zone (the active one)."""
    today = timezone.localdate()
    return timezone.make_aware(datetime(today.year, today.month, 1))


def _with_progress(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    since = month_start()
    in_month = Q(check_ins__created_at__gte=since)
    last = GoalCheckIn.objects.filter(goal=OuterRef("pk")).order_by("-created_at", "-id")
    return goals.annotate(
        month_count=Count("check_ins", filter=in_month),
        month_done=Count("check_ins", filter=in_month & Q(check_ins__status=GoalCheckIn.Status.DONE)),
        month_partly=Count("check_ins", filter=in_month & Q(check_ins__status=GoalCheckIn.Status.PARTLY)),
        last_status=Subquery(last.values("status")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )


def own_goals(user) -> QuerySet[Goal]:
    """`user`'s goals in use, with this month's progress and whom each is shared with (still buddies only)."""
    buddies = buddies_of(user)
    return _with_progress(Goal.objects.filter(owner=user, archived_at__isnull=True)).prefetch_related(
        Prefetch("shared_with", queryset=buddies, to_attr="shared_buddies")
    )


def own_goal(user, pk: int) -> Goal | None:
    return Goal.objects.filter(owner=user, pk=pk).first()


def goals_shared_with(user) -> QuerySet[Goal]:
    """Goals `user`'s buddies shared with them, with progress and the last few check-ins."""
    recent = GoalCheckIn.objects.order_by("-created_at", "-id")
    return (
        _with_progress(Goal.objects.filter(shared_with=user, archived_at__isnull=True, owner__in=buddies_of(user)))
        .select_related("owner")
        .prefetch_related(Prefetch("check_ins", queryset=recent[:3], to_attr="recent_check_ins"))
        .order_by("owner__display_name", "-created_at")
    )


def shared_goals_of(viewer, buddy) -> QuerySet[Goal]:
    return goals_shared_with(viewer).filter(owner=buddy)


def goal_check_ins(goal: Goal, *, limit: int = 30) -> QuerySet[GoalCheckIn]:
    return goal.check_ins.order_by("-created_at", "-id")[:limit]


def can_see_goal(user, goal: Goal) -> bool:
    if goal.owner_id == user.pk:
        return True
    return goals_shared_with(user).filter(pk=goal.pk).exists()


# --- daily check-in and mood ---------------------------------------------------------------------

CHECKIN_CATEGORY_ADULTS = "check-in"
CHECKIN_CATEGORY_TEENS = "teen-check-in"


def clinic_today():
    return timezone.localdate(timezone=timezone.get_default_timezone())


def checkin_category_slug(user) -> str:
    return CHECKIN_CATEGORY_TEENS if user.is_teen else CHECKIN_CATEGORY_ADULTS


def todays_checkin(category) -> DailyCheckIn | None:
    return DailyCheckIn.objects.filter(category=category, day=clinic_today()).select_related("topic").first()


def mood_days(user, *, days: int = CHART_DAYS) -> list[tuple]:
    """(day, average mood) for each day `user` checked in over the last `days` days, oldest first (one query)."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    by_day: dict = {}
    for day, mood in MoodEntry.objects.filter(member=user, day__gte=start, day__lte=today).values_list("day", "mood"):
        by_day.setdefault(day, []).append(mood)
    return [(day, round(sum(moods) / len(moods), 1)) for day, moods in sorted(by_day.items())]


# --- peer support --------------------------------------------------------------------------------


def is_peer_supporter(user) -> bool:
    return user.is_authenticated and PEER_SUPPORTER_GROUP in user.role_names


def is_on_duty(user) -> bool:
    return SupporterShift.objects.filter(supporter=user, ended_at__isnull=True).exists()


def peer_supporters_for_staff(viewer) -> QuerySet[User]:
    """Peer supporters the viewer may see (teens only for teen-cleared staff), with whether each is on duty."""
    on_duty = SupporterShift.objects.filter(supporter=OuterRef("pk"), ended_at__isnull=True)
    return (
        visible_members(viewer)
        .filter(groups__name=PEER_SUPPORTER_GROUP)
        .annotate(on_duty=Exists(on_duty))
        .order_by("display_name")
    )


def peer_supporter_group() -> Group:
    return Group.objects.get_or_create(name=PEER_SUPPORTER_GROUP)[0]


def open_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(answered_at__isnull=True, closed_at__isnull=True, created_at__gt=now - SUPPORT_REQUEST_OPEN_FOR)


def open_support_request(member) -> SupportRequest | None:
    return SupportRequest.objects.filter(open_q(), member=member).first()


def latest_answered_request(member, *, within: timedelta = timedelta(hours=12)) -> SupportRequest | None:
    return (
        SupportRequest.objects.filter(member=member, answered_at__isnull=False, answered_at__gt=timezone.now() - within)
        .select_related("room")
        .first()
    )


def is_open(support_request: SupportRequest) -> bool:
    return SupportRequest.objects.filter(open_q(), pk=support_request.pk).exists()


def support_responders(support_request: SupportRequest) -> list[User]:
    """Who is alerted: on-duty peer supporters and moderators on the member's side of the age line who can reach
    them (answering opens a private conversation, which never crosses the line), never the member themselves."""
    member = support_request.member
    on_duty = SupporterShift.objects.filter(supporter=OuterRef("pk"), ended_at__isnull=True)
    privileged = Q(groups__name__in=[Role.MODERATOR, Role.STAFF]) | Q(is_superuser=True)
    peer_on_duty = Q(groups__name=PEER_SUPPORTER_GROUP) & Exists(on_duty)
    candidates = (
        reachable_members(member)
        .filter(same_side_q(member))
        .filter(peer_on_duty | privileged)
        .annotate(on_duty=Exists(on_duty))
        .distinct()
    )
    # Roles are read on each candidate (a moderator without their second factor acts as a member): a handful of
    # people, in a task, never in the request.
    return [
        user
        for user in candidates
        if user.is_moderator or (user.on_duty and PEER_SUPPORTER_GROUP in user.role_names and not user.is_read_only)
    ]


def waiting_requests_for(user) -> list[SupportRequest]:
    """Open requests `user` may answer (see connections.permissions.check_answer_support)."""
    from .permissions import can_answer_support  # local: permissions read this module

    if not (user.is_moderator or (is_peer_supporter(user) and is_on_duty(user))):
        return []
    rows = SupportRequest.objects.filter(open_q()).exclude(member=user).select_related("member")
    return [r for r in rows.order_by("created_at")[:20] if can_answer_support(user, r)]


def support_requests_by_ids(ids) -> dict[int, SupportRequest]:
    return {r.pk: r for r in SupportRequest.objects.filter(pk__in=ids).select_related("member")}


def response_times(*, days: int = 7) -> dict:
    """How fast support requests of the last `days` days were answered: for the moderation dashboard."""
    since = timezone.now() - timedelta(days=days)
    rows = list(SupportRequest.objects.filter(created_at__gte=since).values_list("created_at", "answered_at"))
    waits = sorted((answered - created) for created, answered in rows if answered is not None)
    return {
        "days": days,
        "asked": len(rows),
        "answered": len(waits),
        "unanswered": len(rows) - len(waits),
        "median": median(waits) if waits else None,
        "slowest": waits[-1] if waits else None,
    }

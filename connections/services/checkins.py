"""The daily check-in: one topic a day in each check-in category, and members' check-ins (a private mood, and a
line posted as a reply through the forum's own services, so that screening and crisis help apply)."""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.models import Category, Post, Topic
from forum.services import ForumError, create_reply, create_topic
from members.models import Role, User
from members.text import clean_member_text
from moderation.services import CLEAR, Decision

from .. import selectors
from ..models import CHECKIN_LINE_MAX, DailyCheckIn, Mood, MoodEntry
from .errors import ConnectionsError

logger = logging.getLogger(__name__)

CHECKIN_BODY = (
    "How are you today? Share a line: how you feel, something that helped, or one thing you plan to do. "
    "A few words are plenty, and reading along is fine too.\n\n"
    "You can also check in from your goals page, where only you see your mood over time."
)


def checkin_title(day: date) -> str:
    """ "Check-in: Tuesday 27 November" """
    return f"Check-in: {day:%A} {day.day} {day:%B}"


def checkin_author() -> User | None:
    """Who opens the daily topics: the account named in COMMUNITY_CHECKIN_AUTHOR_EMAIL if set, otherwise the
    longest-standing active staff member (the first by id). None when there is no such account."""
    email = getattr(settings, "COMMUNITY_CHECKIN_AUTHOR_EMAIL", "")
    active = User.objects.filter(is_active=True, approved_at__isnull=False)
    if email:
        named = active.filter(email__iexact=email).first()
        if named is not None:
            return named
        logger.warning("COMMUNITY_CHECKIN_AUTHOR_EMAIL names no active account; using the first staff member.")
    return active.filter(groups__name=Role.STAFF).order_by("pk").first()


def open_daily_checkin(*, category: Category, day: date | None = None) -> DailyCheckIn | None:
    """Open the day's check-in topic in `category`, once: a second call (another process, a rerun of the command,
    a member's check-in arriving first) returns the one already there. None when no author can be found."""
    day = day or selectors.clinic_today()
    existing = DailyCheckIn.objects.filter(category=category, day=day).select_related("topic").first()
    if existing is not None:
        return existing
    author = checkin_author()
    if author is None:
        logger.warning("No staff account to open the daily check-in; set COMMUNITY_CHECKIN_AUTHOR_EMAIL.")
        return None
    try:
        with transaction.atomic():
            topic = create_topic(
                category=category, author=author, title=checkin_title(day), body=CHECKIN_BODY, hold_first_posts=False
            )
            return DailyCheckIn.objects.create(category=category, day=day, topic=topic)
    except IntegrityError:
        # Opened by someone else between our look and our write: theirs stands, ours was rolled back.
        return DailyCheckIn.objects.select_related("topic").get(category=category, day=day)


def open_daily_checkins(*, day: date | None = None) -> list[DailyCheckIn]:
    """Open today's topic in every check-in category that exists (the command and the task call this)."""
    slugs = [selectors.CHECKIN_CATEGORY_ADULTS, selectors.CHECKIN_CATEGORY_TEENS]
    opened = []
    for category in Category.objects.filter(slug__in=slugs).order_by("pk"):
        checkin = open_daily_checkin(category=category, day=day)
        if checkin is not None:
            opened.append(checkin)
    return opened


@dataclass
class CheckedIn:
    entry: MoodEntry
    post: Post | None
    decision: Decision


def mood_label(mood: int) -> str:
    return Mood(mood).label


@transaction.atomic
def post_checkin(*, member, topic: Topic | None, mood, line: str = "", include_mood: bool = False) -> CheckedIn:
    """Record how `member` feels (1 to 5, private) and, if they wrote a line, post it as a reply in today's
    check-in topic. The number joins the reply only if they chose to include it. All or nothing: a refused line
    stores no mood either."""
    try:
        mood = int(mood)
    except (TypeError, ValueError):
        mood = 0
    if mood not in Mood.values:
        raise ConnectionsError("Please choose how you feel, from 1 (very low) to 5 (very good).")
    line = clean_member_text(line).strip()
    if len(line) > CHECKIN_LINE_MAX:
        raise ConnectionsError(f"A check-in line can be up to {CHECKIN_LINE_MAX} characters; this one has {len(line)}.")
    body = line
    if include_mood:
        feeling = f"Feeling: {mood_label(mood).lower()} ({mood} of 5)"
        body = f"{line}\n\n{feeling}" if line else feeling
    post, decision = None, CLEAR
    if body:
        if topic is None:
            raise ConnectionsError("Today's check-in topic is not open yet. Your mood was not saved; please try later.")
        try:
            post = create_reply(topic=topic, author=member, body=body)
        except ForumError as refused:
            raise ConnectionsError(str(refused)) from None
        decision = post.decision
    entry = MoodEntry.objects.create(member=member, mood=mood, day=timezone.localdate(), post=post)
    return CheckedIn(entry=entry, post=post, decision=decision)

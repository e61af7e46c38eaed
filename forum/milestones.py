"""Recovery milestones, announced in a Celebrations category for the members who asked for it (/me/).

The counter's date is private (members.User.milestone_start): only the member sees it. An announcement says the
milestone and nothing else ("Sam is celebrating 90 days today."), posted as the member in the celebrations
category of their side of the age line. Run once a day (`manage.py announce_milestones`); each milestone is
posted once (User.milestone_announced_days), never for muted or suspended members, never for one who has not
opted in.
"""

import calendar
import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from members.models import User
from members.services import mark_milestone_announced

from . import services
from .models import Category

logger = logging.getLogger(__name__)

ADULT_SLUG = "celebrations"
TEEN_SLUG = "teen-celebrations"
DAY_MILESTONES = (30, 60, 90)


@dataclass(frozen=True)
class Milestone:
    days: int  # since the start date: what is remembered as announced
    words: str  # "90 days", "6 months", "1 year", "3 years"


def _add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 August + 6 months: 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def milestone_on(start: date, today: date) -> Milestone | None:
    """The milestone that falls on `today` for a count from `start`: 30, 60 and 90 days, 6 months, a year, then
    every year; None on any other day."""
    days = (today - start).days
    if days <= 0:
        return None
    if days in DAY_MILESTONES:
        return Milestone(days=days, words=f"{days} days")
    if today == _add_months(start, 6):
        return Milestone(days=days, words="6 months")
    years = today.year - start.year
    if years >= 1 and today == _add_months(start, 12 * years):
        return Milestone(days=days, words="1 year" if years == 1 else f"{years} years")
    return None


def _today_for(member: User) -> date:
    """The member's own calendar day: a milestone falls at their midnight, not the clinic's."""
    zone = timezone.get_default_timezone()
    if member.time_zone:
        try:
            zone = zoneinfo.ZoneInfo(member.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.localdate(timezone=zone)


def announcement_text(member: User, milestone: Milestone) -> tuple[str, str]:
    """Warm, neutral words: the milestone, not what it counts."""
    title = f"{member.display_name} is celebrating {milestone.words} today"
    body = f"{member.display_name} is celebrating {milestone.words} today. Reply to send your good wishes."
    return title, body


def _candidates():
    return User.objects.filter(
        show_milestones=True,
        milestone_start__isnull=False,
        is_active=True,
        approved_at__isnull=False,
        email_verified=True,
    ).order_by("pk")


@dataclass
class Outcome:
    announced: list[str]
    missing_categories: set[str]


def announce_milestones(*, today: date | None = None) -> Outcome:
    """Post today's milestones for every member who opted in. `today` (tests) replaces each member's own date."""
    categories = {c.slug: c for c in Category.objects.filter(slug__in=[ADULT_SLUG, TEEN_SLUG])}
    outcome = Outcome(announced=[], missing_categories=set())
    for member in _candidates().iterator():
        milestone = milestone_on(member.milestone_start, today or _today_for(member))
        if milestone is None or milestone.days <= member.milestone_announced_days:
            continue
        if member.is_read_only:  # muted, suspended or banned: they could not post it themselves either
            continue
        slug = TEEN_SLUG if member.is_teen else ADULT_SLUG
        category = categories.get(slug)
        if category is None:
            outcome.missing_categories.add(slug)
            continue
        title, body = announcement_text(member, milestone)
        try:
            with transaction.atomic():
                # Text we wrote, not the member: the new-member hold is about members' own writing.
                services.create_topic(category=category, author=member, title=title, body=body, hold_first_posts=False)
                mark_milestone_announced(member=member, days=milestone.days)
        except services.ForumError as exc:  # slow mode, a watched word: tomorrow is too late, so say so and go on
            logger.warning("Could not announce a milestone for member %s: %s", member.pk, exc)
            continue
        outcome.announced.append(f"{member.pk}: {milestone.words}")
    return outcome

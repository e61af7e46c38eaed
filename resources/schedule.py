"""Meeting times: a weekly table in the member's own time zone, and the same meetings as an iCalendar file.

Members have no time-zone setting yet, so "their" time zone is the site's (settings.TIME_ZONE) until one exists:
`member_time_zone` reads `user.time_zone` when the field appears. A weekly meeting is converted through its next
occurrence, so that daylight-saving differences between two zones are right for the coming week.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import WEEKDAYS, Meeting, MeetingSchedulePage

WEEKDAY_NAMES = dict(WEEKDAYS)


def member_time_zone(user) -> zoneinfo.ZoneInfo:
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_start(meeting: Meeting, *, now: datetime | None = None) -> datetime:
    """The meeting's next start (aware, in the meeting's own zone); a meeting under way counts as next."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    local_now = (now or timezone.now()).astimezone(zone)
    days_ahead = (meeting.weekday - local_now.weekday()) % 7
    day = local_now.date() + timedelta(days=days_ahead)
    start = datetime.combine(day, meeting.start_time, tzinfo=zone)
    if start + timedelta(minutes=meeting.duration_minutes) < local_now:
        start = datetime.combine(day + timedelta(days=7), meeting.start_time, tzinfo=zone)
    return start


def meetings_visible_to(user, page: MeetingSchedulePage) -> list[Meeting]:
    """Meetings of the member's own programme groups and the open ones; teens see teen meetings only, adults never
    see teen meetings (as with spaces, members.audience)."""
    meetings = list(page.meetings.select_related("programme_group"))
    if not user.is_authenticated:
        return []
    if user.is_moderator:
        return [m for m in meetings if user.teen_cleared or not (m.programme_group and m.programme_group.for_teens)]
    own = set(user.programme_memberships.values_list("group_id", flat=True))

    def visible(meeting: Meeting) -> bool:
        group = meeting.programme_group
        if user.is_teen:
            return group is not None and group.for_teens and group.pk in own
        return group is None or (not group.for_teens and group.pk in own)

    return [m for m in meetings if visible(m)]


@dataclass(frozen=True)
class Row:
    meeting: Meeting
    starts: datetime  # in the member's zone

    @property
    def weekday(self) -> str:
        return WEEKDAY_NAMES[self.starts.weekday()]


def weekly_table_for(user, page: MeetingSchedulePage) -> dict:
    zone = member_time_zone(user)
    rows = sorted(
        (Row(meeting=m, starts=next_start(m).astimezone(zone)) for m in meetings_visible_to(user, page)),
        key=lambda row: (row.starts.weekday(), row.starts.time(), row.meeting.name),
    )
    days = []
    for number, name in WEEKDAYS:
        day_rows = [row for row in rows if row.starts.weekday() == number]
        if day_rows:
            days.append({"name": name, "rows": day_rows})
    return {
        "days": days,
        "time_zone": zone.key,
        "calendar_url": page.url + page.reverse_subpage("calendar"),
        "feed_path": reverse("meetings_feed", args=[feed_token(user)]) if user.is_authenticated else "",
    }


def calendar_for(user, page: MeetingSchedulePage, *, host: str) -> icalendar.Calendar:
    """The meetings this member may see, as weekly repeating events in their own time zones."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.COMMUNITY_NAME}//Meeting schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.COMMUNITY_NAME}: {page.title}")
    stamp = timezone.now()
    for meeting in meetings_visible_to(user, page):
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", meeting.name)
        event.add("dtstart", next_start(meeting))
        event.add("duration", timedelta(minutes=meeting.duration_minutes))
        event.add("rrule", {"freq": "weekly"})
        event.add("location", meeting.place)
        group = meeting.programme_group.name if meeting.programme_group else "All adult members"
        event.add("description", f"{group}. Facilitator: {meeting.facilitator}.")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def calendar_response_for(request, page: MeetingSchedulePage) -> HttpResponse:
    calendar = calendar_for(request.user, page, host=request.get_host().split(":")[0])
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.ics"'
    return response


# --- the subscribable feed -------------------------------------------------------------------------------------
# A calendar app fetches the schedule on its own, without the member's session, so the feed's address carries a
# token: the member's id and a keyed hash of their account that changes when their password does (a leaked
# address stops working once they change it). It admits to nothing but this member's own meetings list.

_FEED_SALT = "resources.meetings-feed"


def _feed_signature(user) -> str:
    return salted_hmac(_FEED_SALT, f"{user.pk}:{user.password}:{user.email}", algorithm="sha256").hexdigest()[:40]


def feed_token(user) -> str:
    return f"{user.pk}-{_feed_signature(user)}"


def member_for_feed_token(token: str):
    """The member a feed address belongs to, if it is still theirs and they are still let in; else None."""
    from members.models import User

    user_id, _, signature = token.partition("-")
    if not user_id.isdigit() or not signature:
        return None
    user = User.objects.filter(pk=int(user_id)).first()
    if user is None or not constant_time_compare(signature, _feed_signature(user)):
        return None
    if not user.is_approved_member or user.is_shut_out:
        return None
    return user

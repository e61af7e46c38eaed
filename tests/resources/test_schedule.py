"""The meeting schedule: a weekly table in the member's time zone (the site's, until members have their own) and
a calendar file that calendar apps read (parsed back here with the same library)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import dateformat

from resources.models import Meeting, MeetingSchedulePage
from resources.schedule import next_start
from tests.factories import UserFactory, programme_group


@pytest.fixture
def schedule(index):
    page = MeetingSchedulePage(title="Meeting schedule", slug="meetings")
    meetings = [
        # A Monday 01:00 London meeting is on Sunday evening in New York (the site's zone in tests).
        ("Early circle", None, 0, time(1, 0), "Europe/London"),
        ("Relapse Prevention skills", "relapse-prevention", 1, time(18, 30), "America/New_York"),
        ("Teen hangout", "teen-group", 5, time(15, 0), "America/New_York"),
        ("Dual Diagnosis peer support", "dual-diagnosis", 2, time(19, 0), "America/New_York"),
    ]
    for order, (name, group, weekday, start, zone) in enumerate(meetings):
        page.meetings.add(
            Meeting(
                sort_order=order,
                name=name,
                programme_group=programme_group(group) if group else None,
                weekday=weekday,
                start_time=start,
                time_zone=zone,
                place="Chat: check-in",
                place_link="/chat/",
                facilitator="Dana (clinic team)",
            )
        )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def rp_member(db):
    return UserFactory(display_name="Robin", programme_groups=[programme_group("relapse-prevention")])


def test_the_table_is_in_the_members_time_zone(schedule, rp_member, client_for):
    html = client_for(rp_member).get(schedule.url).content.decode()
    assert "America/New_York" in html
    # Moved to Sunday evening: the last day of the table (Monday first).
    assert html.index(">Tuesday<") < html.index(">Sunday<") < html.index("Early circle")
    expected = next_start(schedule.meetings.get(name="Early circle")).astimezone(ZoneInfo("America/New_York"))
    assert dateformat.time_format(expected, "g:i a") in html  # "7:00 a.m.", as chat and the forum write times
    assert "Relapse Prevention skills" in html and "Dana (clinic team)" in html


def test_members_see_their_own_groups_meetings_and_teens_only_teen_ones(schedule, rp_member, client_for, teen_client):
    adult = client_for(rp_member).get(schedule.url).content.decode()
    assert "Teen hangout" not in adult and "Dual Diagnosis peer support" not in adult
    teen = teen_client.get(schedule.url).content.decode()
    assert "Teen hangout" in teen
    assert "Early circle" not in teen and "Relapse Prevention skills" not in teen


def test_the_calendar_file_is_valid_and_parses_back(schedule, rp_member, client_for):
    response = client_for(rp_member).get(schedule.url + "calendar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Early circle", "Relapse Prevention skills"}
    early = events["Early circle"]
    start = early.decoded("dtstart")
    assert start.tzinfo is not None and start.astimezone(ZoneInfo("Europe/London")).time() == time(1, 0)
    assert start.astimezone(ZoneInfo("Europe/London")).weekday() == 0
    assert early["rrule"]["FREQ"] == ["WEEKLY"]
    assert early.decoded("duration") == timedelta(minutes=60)
    assert "Dana (clinic team)" in str(early["description"])
    assert {tz["tzid"] for tz in calendar.walk("VTIMEZONE")} >= {"Europe/London", "America/New_York"}


def test_the_calendar_is_members_only(schedule, client):
    response = client.get(schedule.url + "calendar/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_next_start_is_this_week_or_next():
    meeting = Meeting(weekday=0, start_time=time(9, 0), duration_minutes=60, time_zone="America/New_York")
    monday_8 = datetime(2026, 11, 30, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    assert next_start(meeting, now=monday_8) == datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    monday_11 = monday_8.replace(hour=11)
    assert next_start(meeting, now=monday_11).date().isoformat() == "2026-12-07"


def test_a_place_link_must_stay_on_this_site(db):
    from django.core.exceptions import ValidationError

    meeting = Meeting(
        name="x",
        weekday=0,
        start_time=time(9),
        time_zone="America/New_York",
        place="p",
        facilitator="f",
        place_link="https://example.com/",
    )
    with pytest.raises(ValidationError, match="on this site"):
        meeting.clean()


# --- the subscribable feed ---------------------------------------------------------------------------------------


def _feed_path(client, page) -> str:
    import re

    html = client.get(page.url).content.decode()
    return re.search(r'id="feed-address"[^>]*value="https?://[^/]+(/calendar/[^"]+)"', html).group(1)


def test_a_calendar_app_subscribes_without_a_session_and_sees_only_the_members_meetings(
    schedule, rp_member, client_for, client, teen_member
):
    path = _feed_path(client_for(rp_member), schedule)
    response = client.get(path)  # no session: a calendar app
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    names = {str(e["summary"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert names == {"Early circle", "Relapse Prevention skills"}
    # A teen's address lists teen meetings only.
    teen_path = _feed_path(client_for(teen_member), schedule)
    teen_names = {str(e["summary"]) for e in icalendar.Calendar.from_ical(client.get(teen_path).content).walk("VEVENT")}
    assert teen_names == {"Teen hangout"}


def test_a_feed_address_stops_working_after_a_password_change_or_a_suspension(
    schedule, rp_member, client_for, client, moderator
):
    from moderation.services import issue_sanction

    path = _feed_path(client_for(rp_member), schedule)
    assert client.get(path.replace("-", "-0", 1)).status_code == 404  # tampered
    assert client.get("/calendar/999999-abc/meetings.ics").status_code == 404
    issue_sanction(member=rp_member, kind="suspension", actor=moderator, reason="Threats", days=1)
    assert client.get(path).status_code == 404
    rp_member.refresh_from_db()
    rp_member.restriction, rp_member.restricted_until, rp_member.read_only_until = "", None, None
    rp_member.save()
    assert client.get(path).status_code == 200
    rp_member.set_password("a-new-password-2026")
    rp_member.save()
    assert client.get(path).status_code == 404

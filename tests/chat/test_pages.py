"""The chat pages: the room list with unread counts, a room rendered on the server, and the no-JS forms."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from chat import services
from chat.models import Message, ReadMarker, Room, RoomMute
from members.audience import Audience
from moderation.models import Flag
from tests.factories import UserFactory, programme_group

from .factories import RoomFactory

pytestmark = pytest.mark.django_db


def _messages(room, author, count):
    for n in range(count):
        services.post_message(room=room, author=author, body=f"message {n + 1}")


def test_room_list_shows_only_rooms_in_the_members_audience(member_client, room, teen_room, group_room):
    response = member_client.get("/chat/")
    names = [r.name for r in response.context["rooms"]]
    assert names == ["Evening circle"]
    assert b"Teen hangout" not in response.content


def test_teens_see_only_teen_rooms(teen_client, room, teen_room):
    names = [r.name for r in teen_client.get("/chat/").context["rooms"]]
    assert names == ["Teen hangout"]


def test_unread_counts_follow_the_read_marker(member_client, member, member2, room, relaxed_flood):
    _messages(room, member2, 5)
    services.mark_read(user=member, room=room, seq=2)
    response = member_client.get("/chat/")
    assert response.context["rooms"][0].unread == 3
    assert b"3 new" in response.content


def test_own_messages_do_not_count_as_unread(member_client, member, room):
    _messages(room, member, 2)
    assert member_client.get("/chat/").context["rooms"][0].unread == 0


@pytest.mark.parametrize("rooms", [1, 6])
def test_room_list_query_count_does_not_grow_with_rooms(
    member_client, member2, rooms, django_assert_num_queries, relaxed_flood
):
    for n in range(rooms):
        room = RoomFactory(
            audience=Audience.GROUPS if n % 2 else Audience.ADULTS,
            programme_groups=[programme_group("relapse-prevention")] if n % 2 else [],
        )
        _messages(room, member2, 2)
    member_client.get("/chat/")  # warm the session and the caches
    # 4 for the site (session, user, roles, notification badge), then one query for all rooms with their unread
    # counts (the member's programme groups join as a subquery).
    with django_assert_num_queries(5):
        member_client.get("/chat/")


def test_room_page_renders_the_latest_50_messages_without_javascript(member_client, member2, room, relaxed_flood):
    _messages(room, member2, 60)
    response = member_client.get(f"/chat/{room.slug}/")
    shown = response.context["chat_messages"]
    assert [m.seq for m in shown] == list(range(11, 61))
    content = response.content.decode()
    assert "message 60" in content and "message 10<" not in content
    assert 'href="?before=11"' in content  # older messages without JavaScript


def test_older_page_without_javascript(member_client, member2, room, relaxed_flood):
    _messages(room, member2, 60)
    response = member_client.get(f"/chat/{room.slug}/?before=11")
    assert [m.seq for m in response.context["chat_messages"]] == list(range(1, 11))
    assert response.context["has_more"] is False


@pytest.mark.parametrize("count", [3, 30])
def test_room_page_query_count_does_not_grow_with_messages(
    member_client, member2, room, count, django_assert_num_queries, relaxed_flood
):
    _messages(room, member2, count)
    member_client.get(f"/chat/{room.slug}/")
    # 4 for the site, then the room, one page of messages with authors, the read marker (read; moved forward
    # in one upsert), mute and presence choice.
    with django_assert_num_queries(10):
        member_client.get(f"/chat/{room.slug}/")


def test_removed_messages_are_never_shown(member_client, member, room):
    message = services.post_message(room=room, author=member, body="taken back").message
    services.remove_message(message=message, actor=member)
    assert b"taken back" not in member_client.get(f"/chat/{room.slug}/").content


def test_room_outside_the_audience_is_404(member_client, teen_client, room, teen_room, group_room):
    assert member_client.get(f"/chat/{teen_room.slug}/").status_code == 404
    assert member_client.get(f"/chat/{group_room.slug}/").status_code == 404
    assert teen_client.get(f"/chat/{room.slug}/").status_code == 404


def test_viewing_the_room_marks_it_read(member_client, member, member2, room):
    _messages(room, member2, 3)
    member_client.get(f"/chat/{room.slug}/")
    assert ReadMarker.objects.get(user=member, room=room).last_read_seq == 3


def test_posting_without_javascript(member_client, member, room):
    response = member_client.post(f"/chat/{room.slug}/post/", {"body": "Hello from a plain form"})
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#m-{message.pk}")
    assert (message.author, message.seq, message.body) == (member, 1, "Hello from a plain form")


def test_posting_bad_input_without_javascript_stores_nothing(member_client, room):
    for body in ["", "   ", "x" * 4001]:
        response = member_client.post(f"/chat/{room.slug}/post/", {"body": body}, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"])
    assert Message.objects.count() == 0


def test_posting_to_a_closed_scheduled_room_is_refused(member_client, room):
    tomorrow = (timezone.localtime() + timedelta(days=1)).weekday()
    room.schedule_weekdays, room.opens_at, room.closes_at = str(tomorrow), time(19), time(20)
    room.save()
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "read only" in page or "read-only" in page
    assert "opens again" in page
    response = member_client.post(f"/chat/{room.slug}/post/", {"body": "hi"}, follow=True)
    assert "closed right now" in str(list(response.context["messages"])[0])
    assert Message.objects.count() == 0


def test_posting_while_muted_is_refused(member_client, member, moderator, room):
    services.mute_member(room=room, member=member, actor=moderator, minutes=60, reason="x")
    assert b"not write in it until" in member_client.get(f"/chat/{room.slug}/").content
    member_client.post(f"/chat/{room.slug}/post/", {"body": "hi"})
    assert Message.objects.count() == 0


def test_teen_cannot_post_into_an_adult_room(teen_client, room):
    assert teen_client.post(f"/chat/{room.slug}/post/", {"body": "hi"}).status_code == 404
    assert Message.objects.count() == 0


def test_removing_own_message_without_javascript(member_client, member, room):
    message = services.post_message(room=room, author=member, body="oops").message
    member_client.post(f"/chat/{room.slug}/messages/{message.pk}/remove/")
    message.refresh_from_db()
    assert message.state == "removed"
    assert not AuditEntry.objects.filter(action="chat.remove_message").exists()


def test_removing_someone_elses_message_is_forbidden(member_client, member2, room):
    message = services.post_message(room=room, author=member2, body="mine").message
    assert member_client.post(f"/chat/{room.slug}/messages/{message.pk}/remove/").status_code == 403
    message.refresh_from_db()
    assert message.state == "visible"


def test_moderator_removal_without_javascript_is_audited(moderator_client, moderator, member, room):
    message = services.post_message(room=room, author=member, body="unkind").message
    moderator_client.post(f"/chat/{room.slug}/messages/{message.pk}/remove/", {"reason": "Guideline 3"})
    message.refresh_from_db()
    assert message.state == "removed" and message.removed_by == moderator
    assert AuditEntry.objects.get(action="chat.remove_message").reason == "Guideline 3"


def test_flagging_without_javascript(member_client, member, member2, room):
    message = services.post_message(room=room, author=member2, body="worrying").message
    member_client.post(f"/chat/{room.slug}/messages/{message.pk}/flag/", {"reason": "crisis", "note": ""})
    flag = Flag.objects.get()
    assert (flag.reporter, flag.reason, flag.snapshot) == (member, "crisis", "worrying")


def test_flagging_with_a_bad_reason_stores_nothing(member_client, member2, room):
    message = services.post_message(room=room, author=member2, body="hm").message
    member_client.post(f"/chat/{room.slug}/messages/{message.pk}/flag/", {"reason": "boring"})
    assert Flag.objects.count() == 0


def test_moderator_mutes_a_member_with_an_audit_row(moderator_client, moderator, member, room):
    services.post_message(room=room, author=member, body="hello")
    page = moderator_client.get(f"/chat/{room.slug}/")
    assert b"Mute in this room" in page.content
    moderator_client.post(f"/chat/{room.slug}/mute/", {"member": member.pk, "minutes": 60, "reason": "Heated"})
    mute = RoomMute.objects.get()
    assert (mute.member, mute.actor, mute.reason) == (member, moderator, "Heated")
    assert mute.until > timezone.now() + timedelta(minutes=59)
    assert AuditEntry.objects.filter(action="chat.mute", actor=moderator).exists()
    moderator_client.post(f"/chat/{room.slug}/mutes/{mute.pk}/lift/")
    mute.refresh_from_db()
    assert mute.until <= timezone.now()
    assert AuditEntry.objects.filter(action="chat.unmute").exists()


def test_members_cannot_mute(member_client, member2, room):
    services.post_message(room=room, author=member2, body="hello")
    response = member_client.post(f"/chat/{room.slug}/mute/", {"member": member2.pk, "minutes": 60, "reason": "x"})
    assert response.status_code == 403
    assert RoomMute.objects.count() == 0


def test_mute_needs_a_reason(moderator_client, member, room):
    services.post_message(room=room, author=member, body="hello")
    moderator_client.post(f"/chat/{room.slug}/mute/", {"member": member.pk, "minutes": 60, "reason": ""})
    assert RoomMute.objects.count() == 0


def test_presence_is_hidden_until_the_member_chooses(member_client, member, room):
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "You are hidden from others here." in page
    member_client.post("/chat/presence/", {"visible": "on", "room": room.slug})
    member.refresh_from_db()
    assert member.show_presence is True  # the member's one presence setting, also on /me/
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "You are visible to others here." in page
    member_client.post("/chat/presence/", {"room": room.slug})
    member.refresh_from_db()
    assert member.show_presence is False


def test_staff_create_a_scheduled_group_room(staff_client, staff):
    group = programme_group("relapse-prevention")
    response = staff_client.post(
        "/chat/manage/new/",
        {
            "name": "Tuesday check-in",
            "slug": "tuesday-check-in",
            "description": "Weekly",
            "audience": "groups",
            "programme_groups": [group.pk],
            "schedule_weekdays": ["1"],
            "opens_at": "19:00",
            "closes_at": "20:00",
            "slow_mode_seconds": "10",
            "retention_days": "90",
        },
    )
    assert response.status_code == 302
    room = Room.objects.get(slug="tuesday-check-in")
    assert room.weekdays == [1] and room.opens_at == time(19) and room.closes_at == time(20)
    assert list(room.programme_groups.all()) == [group]
    assert (room.slow_mode_seconds, room.retention_days, room.created_by) == (10, 90, staff)
    assert AuditEntry.objects.filter(action="chat.create_room", actor=staff).exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"audience": "groups", "programme_groups": []}, "programme_groups"),
        ({"schedule_weekdays": ["1"], "opens_at": "", "closes_at": ""}, "opens_at"),
        ({"schedule_weekdays": ["1"], "opens_at": "20:00", "closes_at": "19:00"}, "closes_at"),
        ({"slug": "manage"}, "slug"),
        ({"slug": "has spaces"}, "slug"),
    ],
)
def test_room_form_refuses_bad_input(staff_client, change, field):
    data = {"name": "A room", "slug": "a-room", "audience": "adults", "slow_mode_seconds": "0", **change}
    response = staff_client.post("/chat/manage/new/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Room.objects.exists()


def test_a_teen_group_cannot_be_the_audience_of_an_adult_group_room(staff_client):
    data = {
        "name": "Mixed",
        "slug": "mixed",
        "audience": "groups",
        "slow_mode_seconds": "0",
        "programme_groups": [programme_group("teen-group").pk, programme_group("dual-diagnosis").pk],
    }
    response = staff_client.post("/chat/manage/new/", data)
    assert "programme_groups" in response.context["form"].errors
    assert not Room.objects.exists()


def test_staff_edit_a_room(staff_client, room):
    staff_client.post(
        f"/chat/manage/{room.pk}/",
        {"name": "Evening circle", "slug": room.slug, "audience": "adults", "slow_mode_seconds": "15"},
    )
    room.refresh_from_db()
    assert room.slow_mode_seconds == 15
    assert AuditEntry.objects.filter(action="chat.update_room").exists()


def test_members_and_moderators_cannot_manage_rooms(member_client, moderator_client):
    assert member_client.get("/chat/manage/").status_code == 403
    assert (
        moderator_client.post("/chat/manage/new/", {"name": "x", "slug": "x", "audience": "adults"}).status_code == 403
    )
    assert not Room.objects.exists()


def test_moderator_page_lists_recent_authors_only_from_this_room(moderator_client, room, member):
    other = RoomFactory()
    stranger = UserFactory(display_name="Elsewhere")
    services.post_message(room=other, author=stranger, body="hi")
    services.post_message(room=room, author=member, body="hi")
    form = moderator_client.get(f"/chat/{room.slug}/").context["mute_form"]
    assert list(form.fields["member"].queryset) == [member]

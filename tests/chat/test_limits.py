"""Flood control, slow mode, mutes and scheduled hours: refused with a clear error, nothing stored."""

from datetime import datetime, time, timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from audit.models import AuditEntry
from chat import services
from chat.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


async def _count():
    return await database_sync_to_async(Message.objects.count)()


async def test_a_new_member_may_send_20_messages_in_30_seconds(connect, room, member):
    socket = await connect(member, room.slug)
    for n in range(20):
        await socket.send({"type": "send", "body": f"m{n}", "client_id": str(n)})
        assert (await socket.receive_type("message"))["seq"] == n + 1
    await socket.send({"type": "send", "body": "one too many", "client_id": "x"})
    error = await socket.receive_type("error")
    assert error["code"] == "rate_limited"
    assert 1 <= error["retry_after"] <= 30
    assert await _count() == 20


async def test_a_settled_member_may_send_40(connect, room):
    settled = await database_sync_to_async(UserFactory)(date_joined=timezone.now() - timedelta(days=90))
    socket = await connect(settled, room.slug)
    for n in range(40):
        await socket.send({"type": "send", "body": f"m{n}", "client_id": str(n)})
        await socket.receive_type("message")
    await socket.send({"type": "send", "body": "41", "client_id": "x"})
    assert (await socket.receive_type("error"))["code"] == "rate_limited"
    assert await _count() == 40


async def test_flood_control_is_per_member(connect, room, member, member2):
    sam = await connect(member, room.slug)
    for n in range(20):
        await sam.send({"type": "send", "body": f"m{n}", "client_id": str(n)})
        await sam.receive_type("message")
    jordan = await connect(member2, room.slug)
    await jordan.send({"type": "send", "body": "still fine", "client_id": "j"})
    assert (await jordan.receive_type("message"))["seq"] == 21


async def test_slow_mode_refuses_a_second_message_with_retry_after(connect, room, member):
    room.slow_mode_seconds = 30
    await database_sync_to_async(room.save)()
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "first", "client_id": "1"})
    await socket.receive_type("message")
    await socket.send({"type": "send", "body": "second", "client_id": "2"})
    error = await socket.receive_type("error")
    assert error["code"] == "slow_mode" and 25 <= error["retry_after"] <= 30
    assert await _count() == 1


async def test_moderators_are_not_slowed_down(connect, room, moderator):
    room.slow_mode_seconds = 30
    await database_sync_to_async(room.save)()
    socket = await connect(moderator, room.slug)
    for n in range(3):
        await socket.send({"type": "send", "body": f"note {n}", "client_id": str(n)})
        await socket.receive_type("message")
    assert await _count() == 3


async def test_a_refused_message_does_not_use_up_the_slow_mode_turn(connect, room, member):
    room.slow_mode_seconds = 30
    await database_sync_to_async(room.save)()
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "x" * 4001, "client_id": "1"})
    assert (await socket.receive_type("error"))["code"] == "too_long"
    await socket.send({"type": "send", "body": "shorter", "client_id": "2"})
    assert (await socket.receive_type("message"))["seq"] == 1


async def test_a_muted_member_reads_but_cannot_write(connect, room, member, member2, moderator):
    await database_sync_to_async(services.mute_member)(
        room=room, member=member, actor=moderator, minutes=60, reason="Cooling off"
    )
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "let me talk", "client_id": "1"})
    error = await sam.receive_type("error")
    assert error["code"] == "muted" and "until" in error["detail"]
    # It says what it is and that it ends by itself, and promises no contact the page does not offer.
    assert "this room only" in error["detail"] and "ends by itself" in error["detail"]
    assert "contact" not in error["detail"]
    await jordan.send({"type": "send", "body": "hello", "client_id": "2"})
    assert (await sam.receive_type("message"))["author"]["name"] == "Jordan"
    assert await _count() == 1
    entry = await database_sync_to_async(AuditEntry.objects.get)(action="chat.mute")
    assert entry.actor_id == moderator.pk and entry.target_id == str(member.pk)


async def test_a_mute_applies_to_an_already_open_socket_and_ends(connect, room, member, moderator):
    sam = await connect(member, room.slug)
    mute = await database_sync_to_async(services.mute_member)(
        room=room, member=member, actor=moderator, minutes=15, reason="x"
    )
    await sam.send({"type": "send", "body": "hi", "client_id": "1"})
    assert (await sam.receive_type("error"))["code"] == "muted"
    await database_sync_to_async(services.lift_mute)(mute=mute, actor=moderator, reason="talked it through")
    await sam.send({"type": "send", "body": "thanks", "client_id": "2"})
    assert (await sam.receive_type("message"))["seq"] == 1


async def test_a_mute_in_one_room_does_not_reach_another(connect, room, member, moderator):
    from .factories import RoomFactory

    other = await database_sync_to_async(RoomFactory)()
    await database_sync_to_async(services.mute_member)(
        room=other, member=member, actor=moderator, minutes=60, reason="x"
    )
    sam = await connect(member, room.slug)
    await sam.send({"type": "send", "body": "fine here", "client_id": "1"})
    assert (await sam.receive_type("message"))["seq"] == 1


def _closed_schedule(room):
    """A weekly slot that is not now: tomorrow's weekday, one hour."""
    tomorrow = (timezone.localtime() + timedelta(days=1)).weekday()
    room.schedule_weekdays = str(tomorrow)
    room.opens_at = time(19, 0)
    room.closes_at = time(20, 0)
    room.save()


async def test_a_scheduled_room_is_read_only_outside_its_hours(connect, room, member):
    await database_sync_to_async(_closed_schedule)(room)
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "anyone here?", "client_id": "1"})
    error = await socket.receive_type("error")
    assert error["code"] == "forbidden" and "opens again" in error["detail"]
    assert await _count() == 0
    await socket.send({"type": "catch_up", "after_seq": 0})
    assert (await socket.receive_type("caught_up"))["seq"] == 0


async def test_a_scheduled_room_is_open_during_its_hours(connect, room, member):
    now = timezone.localtime()
    room.schedule_weekdays = str(now.weekday())
    room.opens_at = time(0, 0)
    room.closes_at = time(23, 59, 59)
    await database_sync_to_async(room.save)()
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "checking in", "client_id": "1"})
    assert (await socket.receive_type("message"))["seq"] == 1


def test_schedule_arithmetic_in_local_time(db):
    from .factories import RoomFactory

    room = RoomFactory(schedule_weekdays="1", opens_at=time(19, 0), closes_at=time(20, 0))  # Tuesdays 7-8 pm
    tz = timezone.get_current_timezone()
    tuesday_evening = timezone.make_aware(datetime(2026, 12, 1, 19, 30), tz)
    tuesday_late = timezone.make_aware(datetime(2026, 12, 1, 20, 0), tz)
    assert room.is_open_at(tuesday_evening)
    assert not room.is_open_at(tuesday_late)
    assert room.next_opening(tuesday_late) == timezone.make_aware(datetime(2026, 12, 8, 19, 0), tz)
    assert room.schedule_text() == "Open Tuesdays, 7 pm–8 pm"


def test_a_leftover_socket_counter_of_another_shape_does_not_lock_the_member_out(member):
    from django.core.cache import cache

    from chat import live

    cache.set(live._sockets_key(member), 5)  # what an older release kept under this key
    assert live.open_socket(member, "tab-1") is True
    assert set(cache.get(live._sockets_key(member))) == {"tab-1"}


def test_opening_hours_are_the_clinics_whatever_zone_the_member_reads_in(db):
    """A member in Tokyo reads the room while it is Tuesday 7:30 pm at the clinic: it is open for them too."""
    from .factories import RoomFactory

    room = RoomFactory(schedule_weekdays="1", opens_at=time(19, 0), closes_at=time(20, 0))  # Tuesdays 7-8 pm
    clinic = timezone.get_default_timezone()
    tuesday_evening = timezone.make_aware(datetime(2026, 12, 1, 19, 30), clinic)
    with timezone.override("Asia/Tokyo"):
        assert room.is_open_at(tuesday_evening)
        assert room.next_opening(tuesday_evening + timedelta(hours=1)) == timezone.make_aware(
            datetime(2026, 12, 8, 19, 0), clinic
        )
        # The hours say whose clock they are on.
        assert room.schedule_text() == f"Open Tuesdays, 7 pm–8 pm ({clinic.key.replace('_', ' ')} time)"

"""Open sockets follow staff decisions at once (issue 7.3): each change that affects who may be in a room closes
the affected sockets with 4401 (signed out, deactivated) or 4403 (no longer in the room's audience), and only
those; a mute refuses `send` on the open socket at once."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from chat import consumers, live, services
from chat.protocol import CLOSE_NOT_ALLOWED, CLOSE_NOT_SIGNED_IN
from members import services as member_services
from members.audience import Audience
from members.models import ProgrammeGroup, Role
from tests.factories import UserFactory, programme_group, teen_year

from .conftest import ORIGIN, Socket, post

pytestmark = pytest.mark.django_db(transaction=True)


async def _closed_with(socket, timeout: float = 3) -> int:
    return (await socket.receive_type("__closed__", timeout))["code"]


async def _still_open(socket) -> None:
    await socket.send({"type": "catch_up", "after_seq": 0})
    assert (await socket.receive_type("caught_up"))["type"] == "caught_up"


def _open_sockets(user) -> int:
    import time

    return len(live._live_sockets(user, time.time()))


def _save_room(room, staff, **fields):
    groups = fields.pop("programme_groups", list(room.programme_groups.all()))
    values = {"name": room.name, "slug": room.slug, "audience": room.audience, **fields}
    return services.save_room(actor=staff, room=room, fields=values, programme_groups=groups)


async def test_a_room_changed_to_teens_only_closes_adult_sockets_with_4403(connect, room, member, teen_member, staff):
    adult = await connect(member, room.slug)
    team = await connect(staff, room.slug)  # teen-cleared staff may stay
    await database_sync_to_async(_save_room)(room, staff, audience=Audience.TEENS)
    assert await _closed_with(adult) == CLOSE_NOT_ALLOWED
    await _still_open(team)
    # The closed socket gave its slot back, and a teen message never reaches the adult.
    assert await database_sync_to_async(_open_sockets)(member) == 0
    await post(room, teen_member, "just for teens")
    assert (await team.receive_type("message"))["html"] == "<p>just for teens</p>"


async def test_a_room_narrowed_to_other_programme_groups_closes_outsiders(connect, group_room, staff):
    def alum_of(slug):
        return UserFactory(programme_groups=[programme_group(slug)])

    rp_alum = await database_sync_to_async(alum_of)("relapse-prevention")
    other_slug = await database_sync_to_async(
        lambda: ProgrammeGroup.objects.filter(for_teens=False).exclude(slug="relapse-prevention").first().slug
    )()
    other_alum = await database_sync_to_async(alum_of)(other_slug)
    both = await database_sync_to_async(
        lambda: list(ProgrammeGroup.objects.filter(slug__in=["relapse-prevention", other_slug]))
    )()
    await database_sync_to_async(_save_room)(group_room, staff, programme_groups=both)
    rp = await connect(rp_alum, group_room.slug)
    other = await connect(other_alum, group_room.slug)
    only_other = await database_sync_to_async(lambda: list(ProgrammeGroup.objects.filter(slug=other_slug)))()
    await database_sync_to_async(_save_room)(group_room, staff, programme_groups=only_other)
    assert await _closed_with(rp) == CLOSE_NOT_ALLOWED
    await _still_open(other)


async def test_removing_a_member_from_the_rooms_programme_group_closes_their_socket(connect, group_room, room, staff):
    alum = await database_sync_to_async(UserFactory)(programme_groups=[])
    await database_sync_to_async(
        lambda: alum.programme_memberships.create(group=programme_group("relapse-prevention"))
    )()
    in_group_room = await connect(alum, group_room.slug)
    in_open_room = await connect(alum, room.slug)
    await database_sync_to_async(member_services.set_programme_groups)(member=alum, groups=[], actor=staff)
    assert await _closed_with(in_group_room) == CLOSE_NOT_ALLOWED
    await _still_open(in_open_room)  # still an adult member: the all-adults room stays open


async def test_removing_teen_clearance_closes_a_moderators_teen_room_socket(connect, teen_room, room, staff):
    moderator = await database_sync_to_async(UserFactory)(roles=[Role.MEMBER, Role.MODERATOR], teen_cleared=True)
    from tests.factories import enable_totp

    await database_sync_to_async(enable_totp)(moderator)
    teen_side = await connect(moderator, teen_room.slug)
    adult_side = await connect(moderator, room.slug)
    await database_sync_to_async(member_services.update_member_settings)(
        member=moderator, actor=staff, groups=[], role=Role.MODERATOR, teen_cleared=False
    )
    assert await _closed_with(teen_side) == CLOSE_NOT_ALLOWED
    await _still_open(adult_side)


async def test_a_demoted_moderator_can_no_longer_remove_others_messages_on_the_open_socket(
    connect, room, moderator, member2, staff
):
    message = (await post(room, member2, "keep me")).message
    socket = await connect(moderator, room.slug)
    await database_sync_to_async(member_services.set_role)(member=moderator, role=Role.MEMBER, actor=staff)
    await socket.send({"type": "delete", "id": message.pk})
    assert (await socket.receive_type("error"))["code"] == "forbidden"
    await database_sync_to_async(message.refresh_from_db)()
    assert message.is_visible


async def test_crossing_the_age_line_closes_the_adult_room_socket(connect, room, member, staff):
    socket = await connect(member, room.slug)
    await database_sync_to_async(member_services.set_year_of_birth)(
        member=member, year_of_birth=teen_year(), actor=staff, reason="typo at sign-up"
    )
    assert await _closed_with(socket) == CLOSE_NOT_ALLOWED


async def test_deactivation_closes_every_socket_of_that_member_with_4401(connect, room, member, member2, staff):
    from .factories import RoomFactory

    other_room = await database_sync_to_async(RoomFactory)()
    first = await connect(member, room.slug)
    second = await connect(member, other_room.slug)
    bystander = await connect(member2, room.slug)
    await database_sync_to_async(member_services.deactivate_member)(member=member, actor=staff, reason="asked to")
    assert await _closed_with(first) == CLOSE_NOT_SIGNED_IN
    assert await _closed_with(second) == CLOSE_NOT_SIGNED_IN
    await _still_open(bystander)
    assert await database_sync_to_async(_open_sockets)(member) == 0


async def test_a_deactivation_announced_while_the_socket_is_being_set_up_still_closes_it(
    room, member, staff, monkeypatch
):
    """The socket has passed its room check but is not in its room yet when the member is deactivated: the
    announcement waits for the set-up to finish, then closes it (nothing slips between the check and the join)."""
    import asyncio

    from chat import fanout

    from .conftest import open_socket

    join, at_the_door, let_in = fanout.Hub.join, asyncio.Event(), asyncio.Event()

    async def held_join(self, group, consumer):
        if group.startswith(fanout.ROOM_GROUP_PREFIX):
            at_the_door.set()
            await let_in.wait()
        await join(self, group, consumer)

    monkeypatch.setattr(fanout.Hub, "join", held_join)
    socket = await open_socket(member, room.slug, greet=False)
    assert (await socket.receive())["type"] == "hello"  # checked and let in, not yet in the room
    await asyncio.wait_for(at_the_door.wait(), 3)
    await database_sync_to_async(member_services.deactivate_member)(member=member, actor=staff, reason="asked to")
    await asyncio.sleep(0.1)  # the announcement reaches the hub while the socket waits at the door
    let_in.set()
    assert await _closed_with(socket) == CLOSE_NOT_SIGNED_IN
    assert await database_sync_to_async(_open_sockets)(member) == 0


async def test_a_close_announced_while_the_socket_loads_its_member_still_reaches_it_and_no_one_elses_does(
    room, member, member2, monkeypatch
):
    """Before the room check the socket does not know its member yet: it hears every member's announcements
    meanwhile, keeps its own member's and lets the others' go."""
    import asyncio
    import threading

    from asgiref.sync import sync_to_async

    from chat import fanout
    from chat.protocol import CLOSE_SANCTIONED

    from .conftest import open_socket

    find_room = consumers.ChatConsumer._find_room
    checking, go_on = threading.Event(), threading.Event()

    def held_find_room(self, slug):
        checking.set()
        go_on.wait(5)
        return find_room(self, slug)

    monkeypatch.setattr(consumers.ChatConsumer, "_find_room", held_find_room)
    # Announced from another thread (the socket's database thread is busy with the check), as a sanction is.
    announce = sync_to_async(fanout.send_to_user, thread_sensitive=False)
    loop = asyncio.get_running_loop()

    async def open_while_announcing(user_id: int, code: int):
        checking.clear()
        go_on.clear()
        opening = asyncio.ensure_future(open_socket(member, room.slug, greet=False))
        assert await loop.run_in_executor(None, checking.wait, 5)
        await announce(user_id, {"type": "chat.close", "code": code})
        await asyncio.sleep(0.1)
        go_on.set()
        socket = await opening
        assert (await socket.receive())["type"] == "hello"
        return socket

    # Someone else's close: this socket stays.
    socket = await open_while_announcing(member2.pk, CLOSE_NOT_ALLOWED)
    await _still_open(socket)
    await socket.close()
    # Its own member's: it closes.
    socket = await open_while_announcing(member.pk, CLOSE_SANCTIONED)
    assert await _closed_with(socket) == CLOSE_SANCTIONED
    assert await database_sync_to_async(_open_sockets)(member) == 0


def _signed_in_client(user) -> tuple[Client, bytes]:
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}".encode()


async def _socket_with_cookie(cookie: bytes, slug: str) -> Socket:
    from channels.testing import WebsocketCommunicator

    from community.asgi import application

    communicator = WebsocketCommunicator(application, f"/ws/chat/{slug}/", headers=[ORIGIN, (b"cookie", cookie)])
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    socket = Socket(communicator)
    assert (await socket.receive())["type"] == "hello"
    return socket


async def test_signing_out_closes_that_sessions_sockets_with_4401(room, member):
    browser, browser_cookie = await database_sync_to_async(_signed_in_client)(member)
    _, phone_cookie = await database_sync_to_async(_signed_in_client)(member)
    on_browser = await _socket_with_cookie(browser_cookie, room.slug)
    on_phone = await _socket_with_cookie(phone_cookie, room.slug)
    response = await database_sync_to_async(browser.post)("/accounts/logout/")
    assert response.status_code == 302
    assert await _closed_with(on_browser) == CLOSE_NOT_SIGNED_IN
    await _still_open(on_phone)  # signing out on one device leaves the other signed in
    await on_phone.close()


async def test_a_session_that_ends_without_a_signal_is_noticed_on_the_next_frame(room, member, monkeypatch):
    # An expired or deleted session (an admin clearing sessions, say) sends no signal: the periodic re-check finds it.
    monkeypatch.setattr(consumers, "RECHECK_SECONDS", 0)
    _, cookie = await database_sync_to_async(_signed_in_client)(member)
    socket = await _socket_with_cookie(cookie, room.slug)
    await _still_open(socket)
    await database_sync_to_async(
        lambda: Session.objects.filter(expire_date__gt=timezone.now()).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
    )()
    await socket.send({"type": "send", "body": "after my session ended", "client_id": "late"})
    assert await _closed_with(socket) == CLOSE_NOT_SIGNED_IN
    from chat.models import Message

    assert not await database_sync_to_async(Message.objects.filter(client_id="late").exists)()


async def test_a_mute_refuses_send_on_the_open_socket_at_once_but_reading_goes_on(
    connect, room, member, member2, moderator
):
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "before", "client_id": "1"})
    await socket.receive_type("message")
    await database_sync_to_async(services.mute_member)(
        room=room, member=member, actor=moderator, minutes=30, reason="cool down"
    )
    await socket.send({"type": "send", "body": "after", "client_id": "2"})
    error = await socket.receive_type("error")
    assert error["code"] == "muted" and error["request"] == "send"
    await post(room, member2, "others still reach the muted member")
    assert (await socket.receive_type("message"))["html"] == "<p>others still reach the muted member</p>"


async def test_a_change_for_one_member_leaves_others_in_the_room_alone(connect, room, member, member2, staff):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await database_sync_to_async(member_services.deactivate_member)(member=member2, actor=staff, reason="left")
    assert await _closed_with(jordan) == CLOSE_NOT_SIGNED_IN
    await _still_open(sam)


async def test_ending_a_session_from_the_sessions_page_closes_its_sockets(room, member):
    from allauth.usersessions.models import UserSession

    browser, cookie = await database_sync_to_async(_signed_in_client)(member)
    key = browser.cookies["sessionid"].value
    # As allauth records a sign-in (force_login skips the sign-in flow that would).
    await database_sync_to_async(UserSession.objects.create)(
        user=member, session_key=key, ip="127.0.0.1", user_agent="Firefox"
    )
    _, other_cookie = await database_sync_to_async(_signed_in_client)(member)
    socket = await _socket_with_cookie(cookie, room.slug)
    other = await _socket_with_cookie(other_cookie, room.slug)
    await database_sync_to_async(lambda: UserSession.objects.get(session_key=key).end())()
    assert await _closed_with(socket) == CLOSE_NOT_SIGNED_IN
    await _still_open(other)
    await other.close()

"""Private rooms (the connections app's private conversations, on chat's machinery): only their two participants
reach them (404 page, 4403 socket, for moderators too), they never show in room lists or staff pages, catch-up
works as in any room, and they cannot be opened across the teen/adult line or a block, which also ends one."""

import pytest
from channels.db import database_sync_to_async

from chat import permissions, selectors, services
from chat.models import Room
from chat.protocol import CLOSE_NOT_ALLOWED
from members import services as member_services
from tests.factories import UserFactory, teen_year

from .conftest import ORIGIN, Socket, cookie_for, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_room(member, member2):
    return services.open_private_room(members=[member2], opened_by=member)


@pytest.fixture
def casey(db):
    return UserFactory(display_name="Casey")


async def _refused(user, slug) -> int:
    from channels.testing import WebsocketCommunicator

    from community.asgi import application

    cookie = await database_sync_to_async(cookie_for)(user)
    communicator = WebsocketCommunicator(application, f"/ws/chat/{slug}/", headers=[ORIGIN, (b"cookie", cookie)])
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    frame = await Socket(communicator).receive()
    await communicator.disconnect()
    return frame["code"] if frame["type"] == "__closed__" else frame


def test_opening_twice_gives_the_same_room_with_an_unguessable_address(member, member2, private_room):
    again = services.open_private_room(members=[member], opened_by=member2)
    assert again.pk == private_room.pk
    assert private_room.is_private and private_room.name == "Private conversation"
    assert private_room.slug.startswith("p-") and len(private_room.slug) >= 20
    assert sorted(selectors.participant_ids(private_room)) == sorted([member.pk, member2.pk])
    assert Room.objects.filter(kind=Room.Kind.PRIVATE).count() == 1


@pytest.mark.parametrize(
    "who, detail",
    [
        ("self", "A private conversation is between you and one other member."),
        ("teen", "Teen and adult members can't message each other privately."),
        ("three", "A private conversation is between you and one other member."),
    ],
)
def test_refused_kindly_with_nothing_created(member, member2, teen_member, casey, who, detail):
    members = {"self": [member], "teen": [teen_member], "three": [member2, casey]}[who]
    with pytest.raises(services.PrivateRoomError) as refused:
        services.open_private_room(members=members, opened_by=member)
    assert str(refused.value) == detail and refused.value.code == "forbidden"
    assert not Room.objects.filter(kind=Room.Kind.PRIVATE).exists()


@pytest.mark.parametrize("blocker_opens", [True, False])
def test_refused_with_a_block_either_way_without_saying_who_blocked(member, member2, blocker_opens):
    member_services.block_member(blocker=member, blocked=member2)
    opener, other = (member, member2) if blocker_opens else (member2, member)
    with pytest.raises(services.ChatError) as refused:
        services.open_private_room(members=[other], opened_by=opener)
    assert str(refused.value) == "You can't start a private conversation with this member."
    assert not Room.objects.filter(kind=Room.Kind.PRIVATE).exists()


def test_two_teens_may_talk_privately_in_a_teen_audience(teen_member):
    other_teen = UserFactory(display_name="Robin", year_of_birth=teen_year())
    room = services.open_private_room(members=[other_teen], opened_by=teen_member)
    assert room.audience == "teens"
    assert permissions.can_enter_room(other_teen, room)


def test_only_participants_open_the_page_not_moderators_nor_staff(
    client_for, private_room, member, member2, casey, moderator, staff
):
    services.post_message(room=private_room, author=member, body="just between us")
    page = client_for(member2).get(private_room.get_absolute_url())
    assert page.status_code == 200 and "just between us" in page.content.decode()
    assert "Private conversation with Sam" in page.content.decode()
    for outsider in (casey, moderator, staff):
        response = client_for(outsider).get(private_room.get_absolute_url())
        assert response.status_code == 404, outsider
        assert client_for(outsider).post(f"{private_room.get_absolute_url()}post/", {"body": "hi"}).status_code == 404


def test_private_rooms_are_never_listed_nor_on_staff_pages(client_for, room, private_room, member, staff):
    listed = client_for(member).get("/chat/")
    assert [r.slug for r in listed.context["rooms"]] == [room.slug]
    assert private_room.slug not in listed.content.decode()
    assert private_room.slug not in client_for(staff).get("/chat/manage/").content.decode()
    assert client_for(staff).get(f"/chat/manage/{private_room.pk}/").status_code == 404
    assert private_room not in selectors.rooms_for(staff)


def test_private_rooms_for_lists_a_members_conversations_with_unread(
    member, member2, casey, private_room, django_assert_num_queries
):
    with_casey = services.open_private_room(members=[casey], opened_by=member)
    services.post_message(room=private_room, author=member2, body="one")
    services.post_message(room=private_room, author=member2, body="two")
    services.post_message(room=with_casey, author=member, body="mine")
    with django_assert_num_queries(1):
        rooms = list(selectors.private_rooms_for(member))
    assert [(r.pk, r.other_id, r.other_name, r.last_seq, r.unread) for r in rooms] == [
        (with_casey.pk, casey.pk, "Casey", 1, 0),
        (private_room.pk, member2.pk, "Jordan", 2, 2),
    ]
    assert [r.pk for r in selectors.private_rooms_for(casey)] == [with_casey.pk]
    assert selectors.is_private_participant(member2, private_room)
    assert not selectors.is_private_participant(casey, private_room)


def test_a_closed_conversation_can_be_read_but_takes_no_messages(client_for, member, member2, private_room):
    services.post_message(room=private_room, author=member, body="see you")
    services.close_private_room(room=private_room, actor=member)
    services.close_private_room(room=private_room, actor=member2)  # twice: no error
    assert private_room.is_closed
    page = client_for(member2).get(private_room.get_absolute_url()).content.decode()
    assert "see you" in page and "This conversation has ended." in page and "data-ws-path" not in page
    with pytest.raises(permissions.ChatPermissionDenied) as refused:
        permissions.check_post(member2, private_room)
    assert refused.value.code == "closed"
    response = client_for(member2).post(f"{private_room.get_absolute_url()}post/", {"body": "hello?"}, follow=True)
    assert "new messages can&#x27;t be sent" in response.content.decode()
    assert private_room.messages.count() == 1
    # A new conversation between the same two is a new room.
    assert services.open_private_room(members=[member2], opened_by=member).pk != private_room.pk


def test_closing_is_for_private_rooms_only(room, member):
    with pytest.raises(services.PrivateRoomError):
        services.close_private_room(room=room, actor=member)


@pytest.mark.django_db(transaction=True)
async def test_the_socket_refuses_outsiders_and_keeps_catch_up(connect, member, member2, casey, moderator):
    private_room = await database_sync_to_async(services.open_private_room)(members=[member2], opened_by=member)
    for outsider in (casey, moderator):
        assert await _refused(outsider, private_room.slug) == CLOSE_NOT_ALLOWED
    sam = await connect(member, private_room.slug)
    jordan = await connect(member2, private_room.slug)
    await sam.send({"type": "send", "body": "hello you", "client_id": "a"})
    assert (await jordan.receive_type("message"))["html"] == "<p>hello you</p>"
    await post(private_room, member2, "two")
    await post(private_room, member2, "three")
    await sam.drain()
    await sam.send({"type": "catch_up", "after_seq": 1})
    assert [(await sam.receive_type("message"))["seq"] for _ in range(2)] == [2, 3]
    assert (await sam.receive_type("caught_up"))["seq"] == 3


@pytest.mark.django_db(transaction=True)
async def test_closing_closes_open_sockets_and_refuses_new_ones(connect, member, member2):
    private_room = await database_sync_to_async(services.open_private_room)(members=[member2], opened_by=member)
    sam = await connect(member, private_room.slug)
    await database_sync_to_async(services.close_private_room)(room=private_room, actor=member2)
    assert (await sam.receive_type("__closed__"))["code"] == CLOSE_NOT_ALLOWED
    assert await _refused(member, private_room.slug) == CLOSE_NOT_ALLOWED


@pytest.mark.django_db(transaction=True)
async def test_a_block_ends_the_conversation_at_once(connect, room, member, member2):
    private_room = await database_sync_to_async(services.open_private_room)(members=[member2], opened_by=member)
    sam = await connect(member, private_room.slug)
    jordan = await connect(member2, private_room.slug)
    in_public_room = await connect(member2, room.slug)
    await database_sync_to_async(member_services.block_member)(blocker=member2, blocked=member)
    assert (await sam.receive_type("__closed__"))["code"] == CLOSE_NOT_ALLOWED
    assert (await jordan.receive_type("__closed__"))["code"] == CLOSE_NOT_ALLOWED
    await database_sync_to_async(private_room.refresh_from_db)()
    assert private_room.is_closed
    # Their other rooms stay open (told of the block like any socket of theirs).
    assert (await in_public_room.receive_type("hidden_authors"))["authors"][0]["id"] == member.pk
    await in_public_room.send({"type": "catch_up", "after_seq": 0})
    assert (await in_public_room.receive_type("caught_up"))["type"] == "caught_up"


def test_either_participant_may_end_it_and_nobody_else(private_room, member, member2, casey, moderator):
    assert permissions.can_close_private_room(member, private_room)
    assert permissions.can_close_private_room(member2, private_room)
    for outsider in (casey, moderator):
        assert not permissions.can_close_private_room(outsider, private_room)
    services.close_private_room(room=private_room, actor=member2)
    assert not permissions.can_close_private_room(member, private_room)  # already ended


def test_a_moderator_taking_part_has_no_moderator_tools_there(client_for, member, moderator):
    room = services.open_private_room(members=[member], opened_by=moderator)
    message = services.post_message(room=room, author=member, body="between us").message
    client = client_for(moderator)
    page = client.get(room.get_absolute_url()).content.decode()
    assert 'id="moderation"' not in page and "between us" in page
    response = client.post(f"{room.get_absolute_url()}mute/", {"member": member.pk, "minutes": 15, "reason": "x"})
    assert response.status_code == 403
    response = client.post(f"{room.get_absolute_url()}messages/{message.pk}/remove/", {"reason": "x"})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.is_visible

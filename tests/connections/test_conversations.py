"""Private conversations at /messages/: only between buddies (or with the team, or one's supporter), delivered by
chat's private rooms with the same catch-up, reports that show only a window (audited), and blocks that end them."""

import pytest
from channels.db import database_sync_to_async

from audit.models import AuditAction, AuditEntry
from chat import services as chat_services
from chat.models import Message, Room
from connections import services
from members.services import block_member
from moderation.models import ReviewItem
from tests.chat.conftest import connect  # noqa: F401 - the socket fixture
from tests.factories import UserFactory

from .conftest import make_buddies


def _start(client, other):
    return client.post(f"/messages/with/{other.pk}/")


@pytest.mark.django_db
def test_non_buddies_get_404_and_no_room_is_made(member, member2, teen_member, member_client, client_for):
    assert _start(member_client, member2).status_code == 404
    assert _start(member_client, teen_member).status_code == 404
    assert _start(client_for(teen_member), member).status_code == 404
    assert _start(member_client, UserFactory.build(pk=999_999)).status_code == 404
    assert not Room.objects.filter(kind=Room.Kind.PRIVATE).exists()


@pytest.mark.django_db
def test_buddies_open_one_private_room_and_find_it_on_messages(member, member2, member_client, client_for):
    make_buddies(member, member2)
    response = _start(member_client, member2)
    room = Room.objects.get(kind=Room.Kind.PRIVATE)
    assert response.status_code == 302 and response["Location"] == room.get_absolute_url()
    # The same room however often it is opened, from either side.
    assert _start(client_for(member2), member)["Location"] == room.get_absolute_url()
    assert Room.objects.filter(kind=Room.Kind.PRIVATE).count() == 1
    chat_services.post_message(room=room, author=member2, body="Hi Sam")
    chat_services.post_message(room=room, author=member2, body="How was today?")
    page = member_client.get("/messages/").text
    assert "With Jordan" in page and "2 new" in page
    assert member_client.get(room.get_absolute_url()).status_code == 200
    # Nobody else reaches it, not even a moderator.
    assert client_for(UserFactory()).get(room.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_member_and_the_team_may_talk_privately(member, moderator, client_for):
    response = _start(client_for(member), moderator)
    assert response.status_code == 302
    assert _start(client_for(moderator), member).status_code == 302
    assert Room.objects.filter(kind=Room.Kind.PRIVATE).count() == 1


@pytest.mark.django_db
def test_a_block_ends_the_conversation_at_once(member, member2, member_client, django_capture_on_commit_callbacks):
    make_buddies(member, member2)
    room = services.start_conversation(member=member, other=member2)
    with django_capture_on_commit_callbacks(execute=True):
        block_member(blocker=member2, blocked=member)
    room.refresh_from_db()
    assert room.closed_at is not None
    assert _start(member_client, member2).status_code == 404


@pytest.mark.django_db
def test_ending_the_buddyship_closes_a_conversation_that_stood_on_it(member, member2):
    make_buddies(member, member2)
    room = services.start_conversation(member=member, other=member2)
    services.end_buddyship(member=member, other=member2)
    room.refresh_from_db()
    assert room.closed_at is not None


@pytest.mark.django_db
def test_a_report_shows_the_moderator_only_a_window_and_is_audited(member, member2, moderator, client_for):
    make_buddies(member, member2)
    room = services.start_conversation(member=member, other=member2)
    for n in range(1, 11):
        chat_services.post_message(room=room, author=member2 if n % 2 else member, body=f"private line {n}")
    reported = Message.objects.get(room=room, body="private line 5")
    chat_services.flag_message(message=reported, reporter=member, reason="other", note="this worried me")
    item = ReviewItem.objects.get(kind="message", target_id=reported.pk)
    page = client_for(moderator).get(f"/moderation/items/{item.pk}/").text
    shown = {n for n in range(1, 11) if f"private line {n}<" in page or f"private line {n}\n" in page}
    assert 5 in shown
    assert shown <= {2, 3, 4, 5, 6, 7, 8}
    assert "private line 1<" not in page and "private line 10" not in page
    assert AuditEntry.objects.filter(action=AuditAction.CHAT_REVEAL_PRIVATE, actor=moderator).exists()
    # The moderator still cannot open the conversation itself.
    assert client_for(moderator).get(room.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
async def test_a_private_conversation_keeps_catch_up_intact(connect, member, member2):  # noqa: F811
    await database_sync_to_async(make_buddies)(member, member2)
    room = await database_sync_to_async(services.start_conversation)(member=member, other=member2)
    for n in range(1, 4):
        await database_sync_to_async(chat_services.post_message)(room=room, author=member2, body=f"line {n}")
    sam = await connect(member, room.slug)
    assert sam.hello["seq"] == 3
    await sam.send({"type": "catch_up", "after_seq": 1})
    frames = [await sam.receive_type(kind) for kind in ("message", "message", "caught_up")]
    assert [f["seq"] for f in frames[:2]] == [2, 3]
    assert frames[2]["seq"] == 3
    # Live too: what the buddy sends now arrives in order.
    jordan = await connect(member2, room.slug)
    await jordan.send({"type": "send", "body": "still here?", "client_id": "c1"})
    message = await sam.receive_type("message")
    assert message["seq"] == 4 and "still here?" in message["html"]


@pytest.mark.django_db(transaction=True)
async def test_an_outsiders_socket_is_closed_with_4403(member, member2):
    from tests.chat.conftest import open_socket

    await database_sync_to_async(make_buddies)(member, member2)
    room = await database_sync_to_async(services.start_conversation)(member=member, other=member2)
    outsider = await database_sync_to_async(UserFactory)()
    socket = await open_socket(outsider, room.slug, greet=False)
    frame = await socket.receive()
    assert frame == {"type": "__closed__", "code": 4403}


@pytest.mark.django_db
def test_private_messages_are_screened_like_posts(member, member2):
    make_buddies(member, member2)
    room = services.start_conversation(member=member, other=member2)
    posted = chat_services.post_message(room=room, author=member, body="I want to kill myself")
    assert posted.crisis_html  # the writer is met with help
    assert ReviewItem.objects.filter(urgent=True, kind="message").exists()  # a moderator is alerted

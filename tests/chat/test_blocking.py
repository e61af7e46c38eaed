"""A block works both ways in chat: neither member sees the other's messages (shown as one short line in their
place, so that catch-up still counts every seq), typing or presence, on the page and over the socket; a block
made while a socket is open applies at once, on both sides."""

import pytest
from channels.db import database_sync_to_async

from chat import protocol, services
from members import services as member_services
from tests.factories import UserFactory

from .conftest import post, settle

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKED_BY_YOU = "<p>A message from a member you blocked.</p>"
NOT_SHOWN = "<p>A message that isn't shown to you.</p>"


def _block(blocker, blocked):
    return member_services.block_member(blocker=blocker, blocked=blocked)


@pytest.fixture
def casey(db):
    return UserFactory(display_name="Casey")


def _last_presence(frames) -> list[dict]:
    return [f for f in frames if f["type"] == "presence"][-1]["members"]


def _assert_collapsed(frame, *, message, html):
    assert frame["type"] == "message" and frame["collapsed"] is True
    assert frame["id"] == message.pk and frame["seq"] == message.seq
    assert frame["author"] == {"id": None, "name": "Hidden member"}
    assert frame["html"] == html
    assert message.body not in str(frame)


async def test_history_collapses_messages_between_the_two_both_ways(connect, room, member, member2, casey):
    from_jordan = (await post(room, member2, "jordan's words")).message
    from_sam = (await post(room, member, "sam's words")).message
    from_casey = (await post(room, casey, "casey's words")).message
    await database_sync_to_async(_block)(member, member2)

    sam = await connect(member, room.slug)
    await sam.send({"type": "history", "before_seq": 10, "limit": 10})
    shown = (await sam.receive_type("history"))["messages"]
    assert [m["seq"] for m in shown] == [1, 2, 3]  # nothing missing: the seq count is whole
    _assert_collapsed(shown[0], message=from_jordan, html=BLOCKED_BY_YOU)
    assert shown[1]["html"] == "<p>sam's words</p>" and shown[2]["html"] == "<p>casey's words</p>"

    # The member who was blocked sees Sam's message collapsed too, in words that do not say who blocked whom.
    jordan = await connect(member2, room.slug)
    await jordan.send({"type": "history", "before_seq": 10, "limit": 10})
    shown = (await jordan.receive_type("history"))["messages"]
    _assert_collapsed(shown[1], message=from_sam, html=NOT_SHOWN)
    assert shown[0]["html"] == "<p>jordan's words</p>" and shown[2]["id"] == from_casey.pk


async def test_catch_up_keeps_seqs_continuous_with_collapsed_messages(connect, room, member, member2, casey):
    await database_sync_to_async(_block)(member2, member)  # Jordan blocked Sam this time
    await post(room, casey, "one")
    hidden = (await post(room, member2, "two")).message
    await post(room, casey, "three")
    sam = await connect(member, room.slug)
    await sam.send({"type": "catch_up", "after_seq": 0})
    frames = [await sam.receive_type("message") for _ in range(3)]
    assert [f["seq"] for f in frames] == [1, 2, 3]
    _assert_collapsed(frames[1], message=hidden, html=NOT_SHOWN)
    assert (await sam.receive_type("caught_up"))["seq"] == 3


async def test_catch_up_since_a_time_replays_no_edit_of_a_hidden_member(connect, room, member, member2):
    message = (await post(room, member2, "first try")).message
    await database_sync_to_async(_block)(member, member2)
    sam = await connect(member, room.slug)
    since = sam.hello["now"]
    await settle()
    await database_sync_to_async(services.edit_message)(message=message, actor=member2, body="second try")
    await sam.send({"type": "catch_up", "after_seq": 1, "since": since})
    frames = [f for f in await sam.drain(0.5) if f["type"] not in ("presence", "heartbeat")]
    assert [f["type"] for f in frames] == ["caught_up"]
    assert "second try" not in str(frames)


async def test_live_frames_of_a_blocked_member_are_collapsed_or_not_sent(connect, room, member, member2, casey):
    for user in (member, member2, casey):
        await database_sync_to_async(services.set_presence_visibility)(user=user, visible=True)
    await database_sync_to_async(_block)(member, member2)
    sam = await connect(member, room.slug)
    other = await connect(casey, room.slug)
    jordan = await connect(member2, room.slug)
    # Presence: Sam's list never names Jordan, Jordan's never names Sam; Casey sees both.
    assert member.pk not in [m["id"] for m in jordan.presence["members"]]
    assert {m["id"] for m in _last_presence(await sam.drain())} == {member.pk, casey.pk}
    assert {m["id"] for m in _last_presence(await other.drain())} == {member.pk, member2.pk, casey.pk}

    await jordan.send({"type": "typing"})
    await jordan.send({"type": "send", "body": "hello room", "client_id": "j1"})
    assert (await other.receive_type("typing"))["user"]["id"] == member2.pk
    assert (await other.receive_type("message"))["html"] == "<p>hello room</p>"
    frames = [f for f in await sam.drain(0.5) if f["type"] not in ("presence", "heartbeat")]
    assert [f["type"] for f in frames] == ["message"]  # no typing frame, and the message collapsed
    sent = await database_sync_to_async(lambda: room.messages.get(client_id="j1"))()
    _assert_collapsed(frames[0], message=sent, html=BLOCKED_BY_YOU)

    # Edits of a collapsed message do not reach Sam; Casey sees them.
    await jordan.send({"type": "edit", "id": sent.pk, "body": "hello again"})
    assert (await other.receive_type("message_edited"))["html"] == "<p>hello again</p>"
    assert all(f["type"] != "message_edited" for f in await sam.drain(0.4))

    # And the other way round: Sam's messages reach Jordan collapsed, Casey in full.
    await jordan.drain()
    await sam.send({"type": "send", "body": "from sam", "client_id": "s1"})
    assert (await other.receive_type("message"))["html"] == "<p>from sam</p>"
    to_jordan = await jordan.receive_type("message")
    assert to_jordan["collapsed"] is True and to_jordan["html"] == NOT_SHOWN


async def test_a_block_made_while_the_socket_is_open_applies_at_once_on_both_sides(
    connect, room, member, member2, casey
):
    for user in (member, member2):
        await database_sync_to_async(services.set_presence_visibility)(user=user, visible=True)
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    earlier = (await post(room, member2, "before the block")).message
    assert (await sam.receive_type("message"))["html"] == "<p>before the block</p>"
    await jordan.drain()

    await database_sync_to_async(_block)(member, member2)
    hidden = await sam.receive_type("hidden_authors")
    assert hidden["authors"] == [{"id": member2.pk, "html": BLOCKED_BY_YOU}]
    presence = await sam.receive_type("presence")
    assert member2.pk not in [m["id"] for m in presence["members"]]
    told = await jordan.receive_type("hidden_authors")
    assert told["authors"] == [{"id": member.pk, "html": NOT_SHOWN}]

    after = (await post(room, member2, "after the block")).message
    frame = await sam.receive_type("message")
    assert frame["collapsed"] is True and frame["seq"] == after.seq == earlier.seq + 1
    await jordan.drain()  # their own message
    await post(room, member, "sam after the block")
    assert (await jordan.receive_type("message"))["collapsed"] is True

    # Lifting the block lets new messages through again, on the same socket.
    await database_sync_to_async(member_services.unblock_member)(blocker=member, blocked=member2)
    await settle()
    await sam.drain(0.3)
    await post(room, member2, "after the unblock")
    assert (await sam.receive_type("message"))["html"] == "<p>after the unblock</p>"


def test_the_room_page_collapses_messages_between_the_two(client_for, room, member, member2, casey):
    services.post_message(room=room, author=member2, body="jordan wrote this")
    services.post_message(room=room, author=casey, body="casey wrote this")
    _block(member, member2)
    page = client_for(member).get(f"/chat/{room.slug}/").content.decode()
    assert "jordan wrote this" not in page and "casey wrote this" in page
    assert "A message from a member you blocked." in page
    # The collapsed line offers nothing to do: no report or remove form for that message.
    jordan_message = room.messages.get(author=member2)
    assert f"/messages/{jordan_message.pk}/flag/" not in page
    other_side = client_for(member2).get(f"/chat/{room.slug}/").content.decode()
    assert "jordan wrote this" in other_side  # their own words are theirs to see
    services.post_message(room=room, author=member, body="sam wrote this")
    other_side = client_for(member2).get(f"/chat/{room.slug}/").content.decode()
    assert "sam wrote this" not in other_side and protocol.NOT_SHOWN_NOTE in other_side


def test_a_message_offers_to_block_its_author(client_for, room, member, casey):
    services.post_message(room=room, author=casey, body="casey wrote this")
    services.post_message(room=room, author=member, body="sam wrote this")
    page = client_for(member).get(f"/chat/{room.slug}/").content.decode()
    assert f'href="/members/{casey.pk}/block/?next=/chat/{room.slug}/"' in page
    # The live template carries the address with a place for the author chat.js fills in; never one's own.
    assert 'data-href="/members/AUTHOR/block/' in page
    assert f'href="/members/{member.pk}/block/' not in page

"""Sanctions reach chat on every door (issue 9): a site-wide mute refuses writing on an already-open socket and
on the page; a suspension or ban closes open sockets with 4408 at once and refuses new ones."""

import pytest
from channels.db import database_sync_to_async

from chat.models import Message
from chat.protocol import CLOSE_SANCTIONED
from moderation.models import Sanction
from moderation.services import issue_sanction, lift_sanction

from .conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


def _sanction(member, moderator, kind, **length):
    return issue_sanction(member=member, kind=kind, actor=moderator, reason="Guideline 2", **length)


async def test_a_muted_members_open_socket_refuses_send_and_edit_with_muted(connect, room, member, member2, moderator):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "before the mute", "client_id": "a"})
    mine = await sam.receive_type("message")
    await jordan.receive_type("message")

    sanction = await database_sync_to_async(_sanction)(member, moderator, Sanction.Kind.MUTE, days=1)

    # The very next frame on the socket that was already open is refused, with where to read why.
    await sam.send({"type": "send", "body": "after the mute", "client_id": "b"})
    refused = await sam.receive_type("error")
    assert refused["code"] == "muted" and refused["client_id"] == "b"
    assert "/my-standing/" in refused["detail"]
    await sam.send({"type": "edit", "id": mine["id"], "body": "changed"})
    assert (await sam.receive_type("error"))["code"] == "muted"
    assert await jordan.nothing()
    assert await database_sync_to_async(Message.objects.filter(body="after the mute").exists)() is False
    # Reading still works: the socket stays open.
    await sam.send({"type": "catch_up", "after_seq": 0})
    assert [f["type"] for f in await sam.drain(0.5)].count("message") == 1

    await database_sync_to_async(lift_sanction)(sanction=sanction, actor=moderator, reason="Talked it through")
    await sam.send({"type": "send", "body": "back again", "client_id": "c"})
    assert (await jordan.receive_type("message"))["html"] == "<p>back again</p>"


async def test_a_suspension_closes_open_sockets_with_4408_and_refuses_reconnects(connect, room, member, moderator):
    sam = await connect(member, room.slug)
    await database_sync_to_async(_sanction)(member, moderator, Sanction.Kind.SUSPENSION, days=3)
    assert (await sam.receive_type("__closed__"))["code"] == CLOSE_SANCTIONED

    again = await open_socket(member, room.slug, greet=False)
    assert (await again.receive())["code"] == CLOSE_SANCTIONED


async def test_a_ban_closes_open_sockets_with_4408(connect, room, member, moderator):
    sam = await connect(member, room.slug)
    await database_sync_to_async(_sanction)(member, moderator, Sanction.Kind.BAN)
    assert (await sam.receive_type("__closed__"))["code"] == CLOSE_SANCTIONED


def test_a_muted_member_sees_why_on_the_room_page_and_cannot_post_without_javascript(
    member_client, member, moderator, room
):
    _sanction(member, moderator, Sanction.Kind.MUTE, hours=2)
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "you cannot write for now" in page and "/my-standing/" in page
    assert 'action="/chat/evening-circle/post/"' not in page

    response = member_client.post(f"/chat/{room.slug}/post/", {"body": "hello"}, follow=True)
    assert "/my-standing/" in response.content.decode()
    assert not Message.objects.exists()

"""The bell's socket, /ws/notifications/: the unread count on connect and again after each change, for an
approved member only (4401 for anyone else), and only from an allowed page (Origin)."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from community.asgi import application
from notifications import services
from tests.chat.conftest import ORIGIN, cookie_for

pytestmark = pytest.mark.django_db(transaction=True)


async def _open(user, origin=ORIGIN):
    headers = [origin]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(cookie_for)(user)))
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def _frame(communicator) -> dict:
    output = await communicator.receive_output(3)
    if output["type"] == "websocket.close":
        return {"type": "__closed__", "code": output.get("code")}
    return json.loads(output["text"])


async def test_a_member_gets_the_count_on_connect_and_after_each_change(member, member2):
    await database_sync_to_async(services.notify)(recipient=member, kind="forum_mention", text="x", actor=member2)
    bell, connected = await _open(member)
    try:
        assert connected
        assert await _frame(bell) == {"type": "unread", "count": 1}
        await database_sync_to_async(services.notify_many)(
            recipients=[member], kind="chat_mention", text="y", actor=member2
        )
        assert await _frame(bell) == {"type": "unread", "count": 2}
        await database_sync_to_async(services.mark_all_read)(recipient=member)
        assert await _frame(bell) == {"type": "unread", "count": 0}
    finally:
        await bell.disconnect()


async def test_another_members_notices_do_not_reach_this_bell(member, member2):
    bell, _ = await _open(member)
    try:
        assert await _frame(bell) == {"type": "unread", "count": 0}
        await database_sync_to_async(services.notify)(recipient=member2, kind="forum_mention", text="x", actor=member)
        assert await bell.receive_nothing(0.3)
    finally:
        await bell.disconnect()


@pytest.mark.parametrize("who", ["visitor", "applicant"])
async def test_anyone_but_an_approved_member_is_closed_with_4401(who, applicant):
    bell, connected = await _open(applicant if who == "applicant" else None)
    assert connected  # accepted first, so that the browser can tell why
    assert await _frame(bell) == {"type": "__closed__", "code": 4401}


async def test_a_page_from_another_origin_is_refused(member):
    bell, connected = await _open(member, origin=(b"origin", b"https://evil.example"))
    assert not connected


async def test_after_signing_out_the_bell_stops(member, member2):
    from django.contrib.sessions.models import Session

    bell, _ = await _open(member)
    try:
        assert (await _frame(bell))["count"] == 0
        await database_sync_to_async(Session.objects.all().delete)()
        await database_sync_to_async(services.notify)(recipient=member, kind="forum_mention", text="x", actor=member2)
        assert await _frame(bell) == {"type": "__closed__", "code": 4401}
    finally:
        await bell.disconnect()

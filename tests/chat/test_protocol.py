"""Every row of the chat protocol (DESIGN.md), through the real ASGI application and a session cookie."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry
from chat import live, services
from chat.models import Message, ReadMarker
from moderation.models import Flag
from notifications.models import Notification

from .conftest import post

pytestmark = pytest.mark.django_db(transaction=True)


async def test_hello_tells_the_room_the_latest_seq_who_you_are_and_slow_mode(connect, room, member):
    room.slow_mode_seconds = 10
    await database_sync_to_async(room.save)()
    await post(room, member, "first")
    socket = await connect(member, room.slug)
    hello = socket.hello
    assert hello["room"] == {"slug": "evening-circle", "name": "Evening circle"}
    assert hello["seq"] == 1
    assert hello["you"] == {"id": member.pk, "name": "Sam"}
    assert hello["slow_mode_seconds"] == 10
    assert hello["now"]


async def test_send_stores_then_broadcasts_to_everyone_with_client_id(connect, room, member, member2):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "Made it to **90 days** today", "client_id": "abc-1"})
    seen_by_jordan = await jordan.receive_type("message")
    seen_by_sam = await sam.receive_type("message")
    assert seen_by_jordan == seen_by_sam
    assert seen_by_sam["seq"] == 1
    assert seen_by_sam["author"] == {"id": member.pk, "name": "Sam"}
    assert seen_by_sam["html"] == "<p>Made it to <strong>90 days</strong> today</p>"
    assert seen_by_sam["client_id"] == "abc-1"
    assert seen_by_sam["created_at"].startswith("20")
    stored = await database_sync_to_async(Message.objects.get)(pk=seen_by_sam["id"])
    assert (stored.seq, stored.body, stored.author_id) == (1, "Made it to **90 days** today", member.pk)


async def test_seq_increases_by_one_per_message(connect, room, member):
    sam = await connect(member, room.slug)
    for n in range(3):
        await sam.send({"type": "send", "body": f"line {n}", "client_id": str(n)})
    seqs = [(await sam.receive_type("message"))["seq"] for _ in range(3)]
    assert seqs == [1, 2, 3]


async def test_raw_html_is_escaped_not_rendered(connect, room, member):
    sam = await connect(member, room.slug)
    await sam.send({"type": "send", "body": "<script>alert(1)</script> [x](javascript:alert(1))", "client_id": "x"})
    html = (await sam.receive_type("message"))["html"]
    # The refused link stays visible as the text the member typed; what matters is that nothing links to it.
    assert "<script" not in html and 'href="javascript:' not in html and "<a" not in html
    assert "&lt;script&gt;" in html


async def test_catch_up_returns_every_visible_message_after_seq_in_order_then_caught_up(connect, room, member, member2):
    for n in range(1, 6):
        await post(room, member2, f"message {n}")
    removed = await database_sync_to_async(Message.objects.get)(room=room, seq=3)
    await database_sync_to_async(services.remove_message)(message=removed, actor=member2)
    sam = await connect(member, room.slug)
    await sam.send({"type": "catch_up", "after_seq": 1})
    frames = [await sam.receive() for _ in range(4)]
    assert [f["type"] for f in frames] == ["message", "message", "message", "caught_up"]
    assert [f["seq"] for f in frames[:3]] == [2, 4, 5]
    assert frames[3]["seq"] == 5


async def test_catch_up_with_since_replays_edits_and_removals_missed_while_away(connect, room, member, member2):
    first = (await post(room, member2, "before the blip")).message
    second = (await post(room, member2, "also before")).message
    sam = await connect(member, room.slug)
    since = sam.hello["now"]
    await sam.close()
    await database_sync_to_async(services.edit_message)(message=first, actor=member2, body="edited while away")
    await database_sync_to_async(services.remove_message)(message=second, actor=member2)
    sam = await connect(member, room.slug)
    await sam.send({"type": "catch_up", "after_seq": 2, "since": since})
    edited = await sam.receive_type("message_edited")
    removed = await sam.receive_type("message_removed")
    caught_up = await sam.receive_type("caught_up")
    assert edited["id"] == first.pk and "edited while away" in edited["html"]
    assert removed == {"type": "message_removed", "id": second.pk, "seq": 2}
    assert caught_up["seq"] == 2


async def test_history_pages_backwards_with_has_more(connect, room, member):
    for n in range(1, 8):
        await post(room, member, f"message {n}")
    sam = await connect(member, room.slug)
    await sam.send({"type": "history", "before_seq": 6, "limit": 3})
    page = await sam.receive_type("history")
    assert [m["seq"] for m in page["messages"]] == [3, 4, 5]
    assert page["has_more"] is True
    await sam.send({"type": "history", "before_seq": 3, "limit": 3})
    page = await sam.receive_type("history")
    assert [m["seq"] for m in page["messages"]] == [1, 2]
    assert page["has_more"] is False


async def test_history_limit_is_capped_at_100(connect, room, member, relaxed_flood):
    for n in range(105):
        await post(room, member, f"m{n}")
    sam = await connect(member, room.slug)
    await sam.send({"type": "history", "before_seq": 200, "limit": 500})
    page = await sam.receive_type("history")
    assert len(page["messages"]) == 100 and page["has_more"] is True


async def test_edit_own_message_reaches_everyone(connect, room, member, member2):
    message = (await post(room, member, "helo")).message
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "edit", "id": message.pk, "body": "hello"})
    frame = await jordan.receive_type("message_edited")
    assert frame["id"] == message.pk and frame["seq"] == 1 and frame["html"] == "<p>hello</p>"
    assert frame["edited_at"]
    await database_sync_to_async(message.refresh_from_db)()
    assert message.body == "hello"


async def test_editing_someone_elses_message_is_refused_and_changes_nothing(connect, room, member, member2):
    message = (await post(room, member2, "mine")).message
    sam = await connect(member, room.slug)
    await sam.send({"type": "edit", "id": message.pk, "body": "hijacked"})
    error = await sam.receive_type("error")
    assert error["code"] == "forbidden"
    await database_sync_to_async(message.refresh_from_db)()
    assert message.body == "mine"


async def test_delete_own_message_disappears_for_everyone_but_the_row_stays(connect, room, member, member2):
    message = (await post(room, member, "oops")).message
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "delete", "id": message.pk})
    assert await jordan.receive_type("message_removed") == {"type": "message_removed", "id": message.pk, "seq": 1}
    await database_sync_to_async(message.refresh_from_db)()
    assert message.state == "removed" and message.body == "oops"
    # Nobody sees it again, not in history nor catch-up.
    await jordan.send({"type": "catch_up", "after_seq": 0})
    assert (await jordan.receive_type("caught_up"))["seq"] == 1


async def test_member_cannot_delete_someone_elses_message(connect, room, member, member2):
    message = (await post(room, member2, "stay")).message
    sam = await connect(member, room.slug)
    await sam.send({"type": "delete", "id": message.pk})
    assert (await sam.receive_type("error"))["code"] == "forbidden"
    await database_sync_to_async(message.refresh_from_db)()
    assert message.state == "visible"


async def test_moderator_removes_any_message_live_with_an_audit_row(connect, room, member, moderator):
    message = (await post(room, member, "something unkind")).message
    sam = await connect(member, room.slug)
    mod = await connect(moderator, room.slug)
    await mod.send({"type": "delete", "id": message.pk, "reason": "Guideline 2"})
    assert (await sam.receive_type("message_removed"))["id"] == message.pk
    entry = await database_sync_to_async(AuditEntry.objects.get)(action="chat.remove_message")
    assert entry.actor_id == moderator.pk and entry.target_id == str(message.pk) and entry.reason == "Guideline 2"


async def test_flag_stores_a_report_with_a_snapshot_and_thanks_the_reporter(connect, room, member, member2):
    message = (await post(room, member2, "a worrying message")).message
    sam = await connect(member, room.slug)
    await sam.send({"type": "flag", "id": message.pk, "reason": "harmful", "note": "please look"})
    thanks = await sam.receive_type("flagged")
    assert thanks["id"] == message.pk
    flag = await database_sync_to_async(Flag.objects.get)()
    assert flag.reporter_id == member.pk and flag.target_author_id == member2.pk
    assert flag.snapshot == "a worrying message" and flag.reason == "harmful" and flag.note == "please look"
    message_type = await database_sync_to_async(ContentType.objects.get_for_model)(Message)
    assert flag.target_type_id == message_type.pk and flag.target_id == message.pk
    # A second report of the same message is acknowledged, not stored twice.
    await sam.send({"type": "flag", "id": message.pk, "reason": "harmful"})
    assert "already" in (await sam.receive_type("flagged"))["detail"]
    assert await database_sync_to_async(Flag.objects.count)() == 1


async def test_flag_with_an_unknown_reason_is_invalid_and_stores_nothing(connect, room, member, member2):
    message = (await post(room, member2, "hi")).message
    sam = await connect(member, room.slug)
    await sam.send({"type": "flag", "id": message.pk, "reason": "dislike"})
    assert (await sam.receive_type("error"))["code"] == "invalid"
    assert await database_sync_to_async(Flag.objects.count)() == 0


async def test_typing_reaches_others_and_is_throttled(connect, room, member, member2):
    await database_sync_to_async(services.set_presence_visibility)(user=member, visible=True)
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "typing"})
    frame = await jordan.receive_type("typing")
    assert frame == {"type": "typing", "user": {"id": member.pk, "name": "Sam"}}
    await sam.send({"type": "typing"})  # within 3 s: swallowed
    await sam.send({"type": "typing"})
    assert await jordan.nothing(0.3)


async def test_a_member_hidden_from_presence_is_not_named_while_typing(connect, room, member, member2):
    # Sam chose not to appear in "who is here" (the default): no typing frame names them, nor says "someone".
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "typing"})
    assert all(frame["type"] != "typing" for frame in await jordan.drain(0.4))
    # Choosing to be seen brings typing back, on the socket already open.
    await database_sync_to_async(services.set_presence_visibility)(user=member, visible=True)
    await database_sync_to_async(live.forget_typing)(member, room)
    await sam.send({"type": "typing"})
    assert (await jordan.receive_type("typing"))["user"]["name"] == "Sam"


async def test_read_moves_the_read_marker_forward_only(connect, room, member, member2):
    for n in range(3):
        await post(room, member2, f"m{n}")
    sam = await connect(member, room.slug)
    await sam.send({"type": "read", "seq": 2})
    await sam.send({"type": "read", "seq": 1})
    await sam.send({"type": "read", "seq": 99})  # capped at the room's last seq
    await sam.nothing(0.3)
    marker = await database_sync_to_async(ReadMarker.objects.get)(user=member, room=room)
    assert marker.last_read_seq == 3


async def test_presence_lists_only_members_who_chose_to_be_visible(connect, room, member, member2):
    await database_sync_to_async(services.set_presence_visibility)(user=member2, visible=True)
    jordan = await connect(member2, room.slug)
    sam = await connect(member, room.slug)  # hidden by default
    assert sam.presence["members"] == [{"id": member2.pk, "name": "Jordan"}]
    await jordan.drain()
    visible = await database_sync_to_async(services.set_presence_visibility)(user=member, visible=True)
    assert visible.show_presence
    other = await connect(member, room.slug)
    frame = await jordan.receive_type("presence")
    assert frame["members"] == [{"id": member2.pk, "name": "Jordan"}, {"id": member.pk, "name": "Sam"}]
    await other.close()
    frame = await jordan.receive_type("presence")
    assert frame["members"] == [{"id": member2.pk, "name": "Jordan"}]


async def test_presence_on_hello_shows_who_is_already_here(connect, room, member, member2):
    await database_sync_to_async(services.set_presence_visibility)(user=member2, visible=True)
    await connect(member2, room.slug, greet=True)
    socket = await connect(member, room.slug, greet=False)
    assert (await socket.receive())["type"] == "hello"
    assert (await socket.receive())["members"] == [{"id": member2.pk, "name": "Jordan"}]


async def test_crisis_language_shows_resources_to_the_sender_only(connect, room, member, member2):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "Some days I want to die", "client_id": "c"})
    frames = [await sam.receive(), await sam.receive()]
    kinds = {f["type"] for f in frames}
    assert kinds == {"message", "crisis_resources"}
    resources = next(f for f in frames if f["type"] == "crisis_resources")
    assert "988" in resources["html"]
    assert (await jordan.receive_type("message"))["seq"] == 1
    assert await jordan.nothing(0.2)


async def test_a_mention_notifies_the_member_with_a_link_to_the_message(connect, room, member, member2):
    sam = await connect(member, room.slug)
    await sam.send({"type": "send", "body": "Thanks @Jordan, that helped", "client_id": "c"})
    frame = await sam.receive_type("message")
    assert "<strong>@Jordan</strong>" in frame["html"]
    note = await database_sync_to_async(Notification.objects.get)(recipient=member2)
    assert note.kind == "chat_mention" and note.url.endswith(f"#m-{frame['id']}")
    assert "Sam" in note.text


async def test_a_mention_of_a_teen_from_an_adult_room_notifies_nobody(connect, room, member, teen_member):
    sam = await connect(member, room.slug)
    await sam.send({"type": "send", "body": "hi @Riley", "client_id": "c"})
    frame = await sam.receive_type("message")
    assert "<strong>" not in frame["html"]
    assert not await database_sync_to_async(Notification.objects.filter(recipient=teen_member).exists)()

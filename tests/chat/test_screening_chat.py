"""Chat messages go through moderation's screening (issue 9): crisis language meets help at once and reaches a
person; blocked words are refused with their reason; held messages wait for a moderator, seen by their author."""

import pytest
from channels.db import database_sync_to_async

from chat import services
from chat.models import Message
from moderation.models import ReviewItem, WatchedWord
from moderation.services import add_watched_word, decide_item

pytestmark = pytest.mark.django_db(transaction=True)


def _watch(staff, pattern, action, note=""):
    return add_watched_word(actor=staff, kind=WatchedWord.Kind.PHRASE, pattern=pattern, action=action, note=note)


@pytest.mark.parametrize("words", ["I want to end it all", "I'm going to overdose tonight"])
async def test_crisis_language_shows_help_to_the_writer_only_and_opens_an_urgent_item(
    connect, room, member, member2, words
):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": words, "client_id": "c1"})
    frames = await sam.drain(0.6)
    help_frame = next(f for f in frames if f["type"] == "crisis_resources")
    assert "988" in help_frame["html"]
    # Reaching out is what the room is for: the message is published, and nobody else sees the help note.
    assert (await jordan.receive_type("message"))["id"]
    assert all(f["type"] != "crisis_resources" for f in await jordan.drain(0.3))
    message = await database_sync_to_async(Message.objects.get)()
    item = await database_sync_to_async(ReviewItem.objects.get)(kind="message", target_id=message.pk)
    assert item.urgent and item.source == ReviewItem.Source.CRISIS and item.target_author_id == member.pk
    assert item.status == ReviewItem.Status.OPEN


async def test_everyday_words_open_no_item(connect, room, member):
    sam = await connect(member, room.slug)
    await sam.send(
        {"type": "send", "body": "Killing it at work this week, and this heat is killing me", "client_id": "x"}
    )
    assert all(f["type"] != "crisis_resources" for f in await sam.drain(0.5))
    assert await database_sync_to_async(ReviewItem.objects.count)() == 0


async def test_a_blocked_word_is_refused_with_its_reason_and_nothing_is_stored(connect, room, member, member2, staff):
    await database_sync_to_async(_watch)(staff, "buy pills here", "block", note="Please don't share sources here.")
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "You can BUY   pills here!", "client_id": "b1"})
    refused = await sam.receive_type("error")
    assert refused["code"] == "blocked" and refused["client_id"] == "b1"
    assert refused["detail"] == "Please don't share sources here."
    assert await jordan.nothing()
    assert await database_sync_to_async(Message.objects.count)() == 0

    # An edit into a blocked phrase is refused the same way, and the message keeps its text.
    await sam.send({"type": "send", "body": "hello", "client_id": "b2"})
    sent = await sam.receive_type("message")
    await sam.send({"type": "edit", "id": sent["id"], "body": "buy pills here"})
    assert (await sam.receive_type("error"))["code"] == "blocked"
    assert (await database_sync_to_async(Message.objects.get)(pk=sent["id"])).body == "hello"


async def test_a_held_message_reaches_only_its_author_until_a_moderator_approves_it(
    connect, room, member, member2, staff
):
    await database_sync_to_async(_watch)(staff, "meet up offline", "hold")
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "shall we meet up offline?", "client_id": "h1"})
    held = await sam.receive_type("message")
    assert held["held"] is True and "waiting for a moderator" in held["detail"] and held["client_id"] == "h1"
    assert await jordan.nothing(0.5)
    message = await database_sync_to_async(Message.objects.get)()
    assert message.state == Message.State.HELD

    # Not in anyone else's history or catch-up either; its author sees it, marked.
    await jordan.send({"type": "catch_up", "after_seq": 0})
    assert [f["type"] for f in await jordan.drain(0.5)] == ["caught_up"]
    await sam.send({"type": "history", "before_seq": 100, "limit": 50})
    history = await sam.receive_type("history")
    assert [m.get("held") for m in history["messages"]] == [True]

    item = await database_sync_to_async(ReviewItem.objects.get)(kind="message", target_id=message.pk)
    assert item.hidden_pending_review
    await database_sync_to_async(decide_item)(item=item, actor=staff, decision="approve", reason="Fine")
    shown = await jordan.receive_type("message")
    assert shown["id"] == message.pk and "held" not in shown


def test_crisis_language_without_javascript_shows_the_help_box_once(member_client, member, room):
    response = member_client.post(f"/chat/{room.slug}/post/", {"body": "I want to end it all"}, follow=True)
    page = response.content.decode()
    assert 'id="crisis-resources"' in page and "Suicide &amp; Crisis Lifeline" in page
    assert ReviewItem.objects.get(kind="message").urgent
    again = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "Suicide &amp; Crisis Lifeline" not in again


def test_a_blocked_word_without_javascript_shows_the_reason(member_client, room, staff):
    _watch(staff, "buy pills here", "block", note="Please don't share sources here.")
    response = member_client.post(f"/chat/{room.slug}/post/", {"body": "buy pills here"}, follow=True)
    assert "Please don&#x27;t share sources here." in response.content.decode()
    assert not Message.objects.exists()


def test_a_held_message_is_marked_for_its_author_and_absent_for_others(
    member_client, member2_client, member, room, staff
):
    _watch(staff, "meet up offline", "hold")
    posted = services.post_message(room=room, author=member, body="shall we meet up offline?")
    assert posted.held
    assert "awaiting review" in member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "meet up offline" not in member2_client.get(f"/chat/{room.slug}/").content.decode()

"""Chat and moderation's queue (issue 9): reports from the socket and the page reach an item; moderators remove
with a reason through moderation; the queue's actions on a message reach open sockets."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from audit.models import AuditEntry
from chat import services
from chat.models import Message
from moderation import adapters
from moderation.models import Flag, ReviewItem
from notifications.models import Notification
from tests.factories import UserFactory

from .conftest import post

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_flag_frame_creates_a_report_gathered_in_a_review_item(connect, room, member, member2):
    message = (await post(room, member2, "something worrying")).message
    sam = await connect(member, room.slug)
    await sam.send({"type": "flag", "id": message.pk, "reason": "harassment", "note": "twice now"})
    assert "Thank you" in (await sam.receive_type("flagged"))["detail"]
    flag = await database_sync_to_async(Flag.objects.select_related("item").get)()
    assert (flag.reason, flag.note, flag.snapshot) == ("harassment", "twice now", "something worrying")
    assert flag.item.kind == "message" and flag.item.target_id == message.pk and flag.item.is_open
    assert flag.item.target_author_id == member2.pk


async def test_too_many_reports_are_refused_kindly(connect, room, member, member2, settings):
    settings.MODERATION_REPORTS_PER_HOUR = 1
    first = (await post(room, member2, "one")).message
    second = (await post(room, member2, "two")).message
    sam = await connect(member, room.slug)
    await sam.send({"type": "flag", "id": first.pk, "reason": "spam"})
    await sam.receive_type("flagged")
    await sam.send({"type": "flag", "id": second.pk, "reason": "spam"})
    refused = await sam.receive_type("flagged")
    assert "short time" in refused["detail"]
    assert await database_sync_to_async(Flag.objects.count)() == 1


async def test_a_moderators_delete_needs_a_reason(connect, room, member, moderator):
    message = (await post(room, member, "unkind words")).message
    mod = await connect(moderator, room.slug)
    await mod.send({"type": "delete", "id": message.pk})
    refused = await mod.receive_type("error")
    assert refused["code"] == "invalid" and "Please give a reason" in refused["detail"]
    await mod.send({"type": "delete", "id": message.pk, "reason": "   "})
    assert (await mod.receive_type("error"))["code"] == "invalid"
    await database_sync_to_async(message.refresh_from_db)()
    assert message.state == Message.State.VISIBLE


async def test_a_moderators_removal_decides_the_open_item_and_tells_the_author(
    connect, room, member, member2, moderator
):
    message = (await post(room, member, "unkind words")).message
    await database_sync_to_async(services.flag_message)(message=message, reporter=member2, reason="harassment")
    sam = await connect(member, room.slug)
    mod = await connect(moderator, room.slug)
    await mod.send({"type": "delete", "id": message.pk, "reason": "Guideline 2: be kind"})
    assert (await sam.receive_type("message_removed"))["id"] == message.pk

    item = await database_sync_to_async(ReviewItem.objects.get)(kind="message", target_id=message.pk)
    assert item.status == ReviewItem.Status.RESOLVED and item.resolution == "remove"
    assert item.resolved_by_id == moderator.pk
    entry = await database_sync_to_async(AuditEntry.objects.get)(action="chat.remove_message")
    assert entry.reason == "Guideline 2: be kind" and entry.actor_id == moderator.pk
    told = await database_sync_to_async(Notification.objects.get)(recipient=member, kind="content_moderated")
    assert "Guideline 2: be kind" in told.text
    # The reporter hears that someone looked, never what was done.
    assert await database_sync_to_async(Notification.objects.filter(recipient=member2, kind="report_reviewed").exists)()


def test_a_moderators_removal_without_javascript_needs_a_reason(moderator_client, member, room):
    message = services.post_message(room=room, author=member, body="unkind").message
    response = moderator_client.post(f"/chat/{room.slug}/messages/{message.pk}/remove/", follow=True)
    assert "Please give a reason" in response.content.decode()
    message.refresh_from_db()
    assert message.state == Message.State.VISIBLE


def test_the_room_page_offers_the_new_reasons_and_the_report_page(member_client, member2, room):
    message = services.post_message(room=room, author=member2, body="hi").message
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert f'href="/report/message/{message.pk}/"' in page
    assert 'value="substances"' in page and 'value="harmful"' not in page


def test_a_retired_reason_from_an_old_page_is_still_taken(member_client, member2, room):
    message = services.post_message(room=room, author=member2, body="hi").message
    member_client.post(f"/chat/{room.slug}/messages/{message.pk}/flag/", {"reason": "harmful"})
    assert Flag.objects.get().reason == "harmful"


async def test_hide_and_restore_from_the_queue_reach_open_sockets(connect, room, member, member2, moderator):
    message = (await post(room, member, "borderline")).message
    jordan = await connect(member2, room.slug)
    adapter = adapters.get_adapter("message")
    target = await database_sync_to_async(adapter.get)(message.pk)
    await database_sync_to_async(adapter.act)("hide", target, actor=None, reason="Several reports")
    assert (await jordan.receive_type("message_removed"))["id"] == message.pk
    assert await database_sync_to_async(lambda: adapter.state(adapter.get(message.pk)))() == adapters.HIDDEN

    await database_sync_to_async(adapter.act)("restore", target, actor=moderator, reason="It was fine")
    back = await jordan.receive_type("message")
    assert back["id"] == message.pk and back["seq"] == message.seq
    actions = await database_sync_to_async(
        lambda: list(AuditEntry.objects.order_by("id").values_list("action", "actor_id"))
    )()
    assert actions == [("chat.hide_message", None), ("chat.restore_message", moderator.pk)]


def test_the_adapter_describes_a_message_with_its_context(room, member, member2, teen_room, teen_member):
    bodies = [f"message {n}" for n in range(9)]
    posted = [services.post_message(room=room, author=member, body=b).message for b in bodies]
    adapter = adapters.get_adapter("message")
    target = adapter.get(posted[4].pk)
    lines = adapter.context(target)
    assert [line.text for line in lines] == bodies[1:8]
    assert [line.is_target for line in lines] == [False, False, False, True, False, False, False]
    assert adapter.author(target) == member and adapter.text(target) == "message 4"
    assert adapter.url(target) == f"/chat/{room.slug}/#m-{target.pk}"
    assert not adapter.in_teen_space(target)
    assert adapter.can_report(member2, target)
    teen_message = services.post_message(room=teen_room, author=teen_member, body="hey").message
    assert adapter.in_teen_space(adapter.get(teen_message.pk))
    assert not adapter.can_report(member2, adapter.get(teen_message.pk))


def test_reports_from_established_members_hide_a_message_until_review(room, member, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    message = services.post_message(room=room, author=member, body="spammy").message
    old = timezone.now() - timedelta(days=400)
    for _ in range(2):
        services.flag_message(message=message, reporter=UserFactory(approved_at=old), reason="spam")
    message.refresh_from_db()
    assert message.state == Message.State.HIDDEN
    assert ReviewItem.objects.get(kind="message").hidden_pending_review

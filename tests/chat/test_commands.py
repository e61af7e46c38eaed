import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chat import services
from chat.models import Message, Room
from moderation.models import ReviewItem
from moderation.services import decide_item

from .factories import RoomFactory

pytestmark = pytest.mark.django_db


def _age(message, days):
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_purge_deletes_only_messages_past_their_rooms_retention(member, member2, moderator):
    short = RoomFactory(retention_days=30)
    forever = RoomFactory(retention_days=None)
    old = services.post_message(room=short, author=member, body="old").message
    recent = services.post_message(room=short, author=member, body="recent").message
    ancient = services.post_message(room=forever, author=member, body="kept").message
    reported = services.post_message(room=short, author=member, body="under review").message
    _age(old, 31)
    _age(recent, 29)
    _age(ancient, 3000)
    _age(reported, 40)
    services.flag_message(message=reported, reporter=member2, reason="other")
    out = StringIO()
    call_command("purge_chat_messages", stdout=out)
    assert "Deleted 1 chat message " in out.getvalue()
    assert set(Message.objects.values_list("body", flat=True)) == {"recent", "kept", "under review"}
    # Once a moderator has dealt with the report, the purge catches up.
    item = ReviewItem.objects.get(kind="message", target_id=reported.pk)
    decide_item(item=item, actor=moderator, decision="dismiss", reason="Nothing wrong")
    call_command("purge_chat_messages", stdout=StringIO())
    assert not Message.objects.filter(body="under review").exists()


def test_bench_sessions_sign_members_in_to_one_room(settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / "sessions.json"
    call_command("chat_bench_sessions", members=3, room="bench-room", output=str(path), stderr=StringIO())
    data = json.loads(path.read_text())
    assert data["room"] == "bench-room" and len(data["members"]) == 3
    client = Client()
    client.cookies["sessionid"] = data["members"][0]["sessionid"]
    assert client.get("/chat/bench-room/").status_code == 200
    # Running it again reuses the members.
    call_command("chat_bench_sessions", members=3, room="bench-room", output=str(path), stderr=StringIO())
    assert Room.objects.filter(slug="bench-room").count() == 1


def test_bench_sessions_refuse_outside_dev(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("chat_bench_sessions", members=1)


def test_seed_demo_adds_a_room_per_audience_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    rooms = {r.slug: r for r in Room.objects.all()}
    assert {r.audience for r in rooms.values()} == {"adults", "groups", "teens"}
    assert rooms["tuesday-check-in"].is_scheduled
    assert rooms["open-circle"].messages.count() == 5
    teen_authors = set(rooms["teen-hangout"].messages.values_list("author__email", flat=True))
    assert teen_authors == {"teen@example.com", "staff@example.com"}

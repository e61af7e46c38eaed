"""Each room's seq has no gaps and no duplicates, even with concurrent writers."""

import threading
import time

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError

from chat import services
from chat.models import Message
from chat.services import messages
from tests.factories import UserFactory

from .factories import RoomFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_seqs(relaxed_flood):
    room = RoomFactory()
    authors = [UserFactory() for _ in range(4)]
    errors = []

    def write(author):
        try:
            for n in range(10):
                for _attempt in range(1000):
                    try:
                        services.post_message(room=room, author=author, body=f"{author.pk}-{n}")
                        break
                    except OperationalError:
                        # SQLite's shared-cache test database answers "table is locked" at once instead of
                        # waiting; a real server would wait (busy timeout). PostgreSQL waits on the row lock.
                        time.sleep(0.005)
                else:
                    errors.append(f"{author} could not write message {n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(a,)) for a in authors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = sorted(Message.objects.filter(room=room).values_list("seq", flat=True))
    assert seqs == list(range(1, 41))
    room.refresh_from_db()
    assert room.last_seq == 40


@pytest.mark.django_db(transaction=True)
def test_a_failed_store_gives_its_seq_back(monkeypatch, member):
    room = RoomFactory()
    services.post_message(room=room, author=member, body="one")

    def broken(**kwargs):
        raise RuntimeError("review queue down")

    # Anything that fails inside the storing transaction (here: moderation's intake) takes the message with it.
    monkeypatch.setattr(messages, "after_publish", broken)
    with pytest.raises(RuntimeError):
        services.post_message(room=room, author=member, body="hi there")
    monkeypatch.undo()
    services.post_message(room=room, author=member, body="three")
    assert list(Message.objects.filter(room=room).values_list("seq", flat=True)) == [1, 2]
    assert connection.in_atomic_block is False


@pytest.mark.django_db
def test_seqs_are_per_room(member):
    first, second = RoomFactory(), RoomFactory()
    services.post_message(room=first, author=member, body="a")
    services.post_message(room=first, author=member, body="b")
    assert services.post_message(room=second, author=member, body="c").message.seq == 1

"""Simultaneous posting: every reply lands, numbers have no gaps, times follow numbers, slow mode holds.

Each "request" runs on a thread of its own with its own database connection, all released at once by a barrier,
as a server's worker threads would run them. On SQLite the threads share a copy of the test database in a file
(the test database is in memory, which cannot be shared this way) opened with the project's settings (WAL,
busy timeout, IMMEDIATE transactions): before those settings, 19 of 20 replies failed with "database is locked".
The same tests run on PostgreSQL (services marker), where the topic's row lock does the work.
"""

import copy
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client

from forum.models import Category, Post, Topic
from tests.conftest import REQUIRE_SERVICES
from tests.factories import UserFactory

from .factories import make_category, make_topic

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.services)]


class Threads:
    """Run one function on many threads at once, each with its own connection to the shared database."""

    def __init__(self, settings_dict: dict | None):
        # None: the test database itself (PostgreSQL); otherwise the settings of a file copy (SQLite).
        self.settings_dict = settings_dict

    def _connect(self) -> None:
        if self.settings_dict is not None:
            wrapper = load_backend(self.settings_dict["ENGINE"]).DatabaseWrapper(copy.deepcopy(self.settings_dict))
            connections["default"] = wrapper  # this thread's connection only
            wrapper.ensure_connection()
        # On PostgreSQL each request takes a connection from the pool when it starts, as under a server.

    def run(self, fn: Callable[[int], object], n: int) -> list:
        barrier = threading.Barrier(n)

        def work(i: int):
            self._connect()
            try:
                barrier.wait(timeout=30)
                try:
                    return fn(i)
                except Exception as exc:  # noqa: BLE001 - the test reports what each request met
                    return exc
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=n) as pool:
            return list(pool.map(work, range(n)))

    def read(self, fn: Callable[[], object]):
        return self.run(lambda _: fn(), 1)[0]


@pytest.fixture(params=BACKENDS)
def threads(request, transactional_db, tmp_path):
    """`threads.run(fn, n)`: the data the test made so far is committed and seen by every thread."""
    vendor = connections["default"].vendor
    if request.param == "postgresql":
        if vendor != "postgresql":
            if REQUIRE_SERVICES:
                pytest.fail("REQUIRE_SERVICES=1 but DATABASE_URL is not a PostgreSQL database")
            pytest.skip("needs PostgreSQL (DATABASE_URL)")
        return Threads(None)
    if vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL; the run on the embedded default covers SQLite")

    class FileCopy(Threads):
        def run(self, fn, n):
            if not self.copied:
                # Taken when the threads first start, so that it holds what the test made until then.
                source = connections["default"]
                source.ensure_connection()
                target = sqlite3.connect(path)
                source.connection.backup(target)
                target.execute("PRAGMA journal_mode=WAL")  # as a deployed database already is
                target.close()
                self.copied = True
            return super().run(fn, n)

    path = tmp_path / "concurrent.sqlite3"
    settings_dict = {**copy.deepcopy(connections["default"].settings_dict), "NAME": str(path)}
    runner = FileCopy(settings_dict)
    runner.copied = False
    return runner


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reply(client: Client, topic: Topic, body: str) -> int:
    return client.post(f"/forum/t/{topic.pk}/reply/", {"body": body}).status_code


def _posts(topic_ids) -> list[tuple[int, int, object, int]]:
    return list(
        Post.objects.filter(topic_id__in=topic_ids)
        .order_by("topic_id", "position")
        .values_list("topic_id", "position", "created_at", "author_id")
    )


def test_twenty_simultaneous_replies_all_land_with_gap_free_numbers_and_times_in_order(threads):
    category = make_category()
    topic = make_topic(category=category, author=UserFactory())
    members = [UserFactory() for _ in range(20)]
    clients = [_signed_in(m) for m in members]

    statuses = threads.run(lambda i: _reply(clients[i], topic, f"Reply from member {i}"), 20)

    assert statuses == [302] * 20, statuses  # each reply went through and its author was sent to it
    posts = threads.read(lambda: _posts([topic.pk]))
    assert [p[1] for p in posts] == list(range(1, 22))  # the opening post, then 20 replies: no gap, no double
    assert {p[3] for p in posts[1:]} == {m.pk for m in members}
    times = [p[2] for p in posts]
    assert times == sorted(times)  # a later number never has an earlier time
    topic_row = threads.read(lambda: Topic.objects.values("last_position", "reply_count").get(pk=topic.pk))
    assert topic_row == {"last_position": 21, "reply_count": 20}


def test_one_member_replying_at_once_under_slow_mode_lands_once(threads):
    category = make_category()
    others = UserFactory()
    topics = [make_topic(category=category, author=others), make_topic(category=category, author=others)]
    Category.objects.filter(pk=category.pk).update(slow_mode_seconds=60)
    member = UserFactory()
    clients = [_signed_in(member) for _ in range(6)]  # six tabs, replying in two topics of one category

    statuses = threads.run(lambda i: _reply(clients[i], topics[i % 2], f"Same thought, tab {i}"), 6)

    assert sorted(statuses) == [302] + [400] * 5, statuses  # the others are told to wait, not a 500
    mine = [p for p in threads.read(lambda: _posts([t.pk for t in topics])) if p[3] == member.pk]
    assert len(mine) == 1


def test_one_member_starting_topics_at_once_under_slow_mode_starts_one(threads):
    category = make_category(slow_mode_seconds=60)
    member = UserFactory()
    clients = [_signed_in(member) for _ in range(4)]

    def start(i: int) -> int:
        return clients[i].post(f"/forum/c/{category.slug}/new/", {"title": f"Idea {i}", "body": "Hello"}).status_code

    statuses = threads.run(start, 4)

    assert sorted(statuses) == [302, 400, 400, 400], statuses
    assert threads.read(lambda: Topic.objects.filter(category_id=category.pk).count()) == 1

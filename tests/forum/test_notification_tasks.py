"""Telling watchers and mentioned members leaves the request: it runs as tasks after the post is committed,
chunked and bulk-written, so a reply costs the same whether its topic has two watchers or two hundred."""

import math

import pytest
from django.db import connection
from django.db.models import AutoField
from django.test.utils import CaptureQueriesContext

from forum import services, tasks
from forum.models import Post, Subscription
from forum.services import notices
from notifications.models import Notification

from .factories import make_reply, make_topic, make_watchers


def _replies_to(users) -> int:
    return Notification.objects.filter(recipient__in=users, kind="forum_reply").count()


def _reply_queries(topic, author, django_capture_on_commit_callbacks) -> tuple[list[str], list]:
    """The SQL of one reply as its request runs it, and the callbacks it leaves for after the commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with CaptureQueriesContext(connection) as ctx:
            services.create_reply(topic=topic, author=author, body="Thinking of you all today.")
    return [q["sql"] for q in ctx.captured_queries], callbacks


def test_a_reply_costs_the_same_with_2_or_200_watchers(
    adult_category, member, member2, django_capture_on_commit_callbacks
):
    few = make_topic(category=adult_category, author=member2, title="A few watch this")
    many = make_topic(category=adult_category, author=member2, title="Many watch this")
    few_watchers = make_watchers(2, topic=few)
    many_watchers = make_watchers(200, topic=many)

    # A member's first reply in a topic also starts their read marker (and their roles are read once, then kept):
    # the same in both topics, and not what is measured.
    for topic in (few, many):
        _reply_queries(topic, member, django_capture_on_commit_callbacks)
    few_sql, few_callbacks = _reply_queries(few, member, django_capture_on_commit_callbacks)
    many_sql, many_callbacks = _reply_queries(many, member, django_capture_on_commit_callbacks)

    assert len(few_sql) == len(many_sql)
    # The request neither reads the watchers nor writes a notice: it only asks for a task, after commit.
    assert not [sql for sql in many_sql if "forum_subscription" in sql or "notifications_notification" in sql]
    assert _replies_to(many_watchers) == 0 and len(many_callbacks) == len(few_callbacks)

    # Once committed, the task tells every watcher (and the topic's author, who watches their own topic).
    with django_capture_on_commit_callbacks(execute=True):  # the chunk tasks it queues run after its own commit
        for callback in few_callbacks + many_callbacks:
            callback()
    assert _replies_to(few_watchers) == 2 and _replies_to(many_watchers) == 200
    assert Notification.objects.filter(recipient=member2, kind="forum_reply").count() == 2


def _chunk_sql(post: Post, user_ids, django_capture_on_commit_callbacks) -> list[str]:
    # What the notices leave for after commit (bell pings, email fan-out) is notifications' own work, not counted.
    with django_capture_on_commit_callbacks(execute=False):
        with CaptureQueriesContext(connection) as ctx:
            told = tasks.tell_watchers.call(post_id=post.pk, new_topic=False, user_ids=user_ids)
    assert told == len(user_ids)
    return [q["sql"] for q in ctx.captured_queries]


def _notice_inserts(sql: list[str]) -> int:
    return sum(1 for s in sql if s.startswith('INSERT INTO "notifications_notification"'))


def test_a_chunk_of_watchers_takes_the_same_queries_for_2_or_200(
    adult_category, member, member2, django_capture_on_commit_callbacks
):
    topic = make_topic(category=adult_category, author=member2)
    few, many = make_watchers(2, topic=topic), make_watchers(200, topic=topic)
    with django_capture_on_commit_callbacks(execute=False):
        post = services.create_reply(topic=topic, author=member, body="Back from the meeting")

    few_sql = _chunk_sql(post, [u.pk for u in few], django_capture_on_commit_callbacks)
    many_sql = _chunk_sql(post, [u.pk for u in many], django_capture_on_commit_callbacks)

    # One bulk insert; SQLite takes it in batches of its 999-parameter limit (PostgreSQL in one statement).
    fields = [f for f in Notification._meta.concrete_fields if not isinstance(f, AutoField)]
    batches = math.ceil(200 / connection.ops.bulk_batch_size(fields, many))
    assert _notice_inserts(few_sql) == 1 and _notice_inserts(many_sql) == batches
    assert len(few_sql) - 1 == len(many_sql) - batches
    assert _replies_to(few) == 2 and _replies_to(many) == 200
    notice = Notification.objects.filter(recipient=many[-1]).get()
    assert notice.text == f"Sam replied to “{topic.title}”" and notice.url == post.get_absolute_url()


def test_watchers_are_told_in_chunks_each_a_task_of_its_own(
    adult_category, member, member2, monkeypatch, settings, django_capture_on_commit_callbacks
):
    topic = make_topic(category=adult_category, author=member2)
    watchers = make_watchers(7, topic=topic)
    monkeypatch.setattr(notices, "WATCHERS_PER_CHUNK", 3)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True):
        post = services.create_reply(topic=topic, author=member, body="Hello")
    (announce,) = default_task_backend.results
    assert announce.task.name == "announce_post"
    assert announce.kwargs == {"post_id": post.pk, "new_topic": False, "mentioned_ids": []}  # ids only: JSON
    default_task_backend.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.announce_post.call(**announce.kwargs) == 3
    chunks = [result.kwargs["user_ids"] for result in default_task_backend.results]
    assert [len(c) for c in chunks] == [3, 3, 2]  # 7 watchers and the topic's author
    assert sorted(sum(chunks, [])) == sorted([u.pk for u in watchers] + [member2.pk])

    # One chunk failing leaves the others' notices in place; run again, it tells no one twice.
    for chunk in chunks[1:]:
        tasks.tell_watchers.call(post_id=post.pk, new_topic=False, user_ids=chunk)
    for chunk in chunks:
        tasks.tell_watchers.call(post_id=post.pk, new_topic=False, user_ids=chunk)
    assert _replies_to([*watchers, member2]) == 8


def test_a_failed_chunk_is_tried_again_later_where_the_backend_can(adult_category, member, member2, monkeypatch):
    topic = make_topic(category=adult_category, author=member2)
    post = make_reply(topic=topic, author=member)
    queued = []

    class Later:
        supports_defer = True

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(notices, "tell_watchers", broken)
    monkeypatch.setattr(type(tasks.tell_watchers), "get_backend", lambda self: Later())
    # `using(run_after=...).enqueue(**kwargs)`: record what would run later.
    monkeypatch.setattr(
        type(tasks.tell_watchers),
        "using",
        lambda self, **options: type("Deferred", (), {"enqueue": staticmethod(lambda **kw: queued.append(kw))})(),
    )
    with pytest.raises(RuntimeError):
        tasks.tell_watchers.call(post_id=post.pk, new_topic=False, user_ids=[member2.pk])
    assert queued == [{"post_id": post.pk, "new_topic": False, "user_ids": [member2.pk], "attempt": 2}]


def test_a_post_taken_down_before_its_task_runs_tells_no_one(
    adult_category, member, member2, moderator, django_capture_on_commit_callbacks
):
    topic = make_topic(category=adult_category, author=member2)
    watchers = make_watchers(3, topic=topic)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = services.create_reply(topic=topic, author=member, body="Hi @Jordan")
    services.hide_post(post=post, actor=moderator, reason="Checking")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert not Notification.objects.filter(recipient__in=[*watchers, member2]).exists()


def test_muted_topics_and_the_author_stay_quiet_and_a_mentioned_watcher_hears_once(
    adult_category, member, member2, django_capture_on_commit_callbacks
):
    topic = make_topic(category=adult_category, author=member2)
    quiet = make_watchers(2, topic=topic)
    Subscription.objects.filter(user=quiet[0], topic=topic).update(level=Subscription.Level.MUTED)
    make_reply(topic=topic, author=member, body="Hi @Jordan, I hear you")
    assert Notification.objects.filter(recipient=member2).get().kind == "forum_mention"
    assert _replies_to([quiet[0], member]) == 0 and _replies_to([quiet[1]]) == 1


def test_category_watchers_hear_of_new_topics_through_the_task(adult_category, member, member2):
    watchers = make_watchers(3, category=adult_category)
    make_topic(category=adult_category, author=member2, title="Sunday walks")
    texts = set(Notification.objects.filter(recipient__in=watchers).values_list("text", flat=True))
    assert texts == {f"New topic in {adult_category.name}: “Sunday walks”"}
    assert Notification.objects.filter(recipient__in=watchers).count() == 3

"""Telling many members costs what telling two does: notify_many writes in a fixed number of queries (one block
filter, one visibility check, one insert), and the email fan-out task reads preferences once per chunk."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import registry, tasks
from notifications.models import Notification
from notifications.services import notify_many, set_email_preferences
from tests.factories import UserFactory
from tests.forum.factories import make_topic


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


@pytest.fixture
def crowds(db):
    return UserFactory.create_batch(2), UserFactory.create_batch(50)


def test_notify_many_without_a_target_is_constant(crowds, member2):
    small, large = crowds
    costs = [
        _queries(lambda people=people: notify_many(recipients=people, kind="chat_mention", text="x", actor=member2))
        for people in (small, large)
    ]
    assert costs[0] == costs[1] <= 3
    assert Notification.objects.count() == 52


def test_notify_many_about_a_target_calls_its_visibility_check_once(crowds, member2, adult_category, monkeypatch):
    small, large = crowds
    post = make_topic(category=adult_category, author=member2).posts.get()
    calls = []

    def check(target_id, recipients):
        calls.append(target_id)
        # A real check runs one query for the batch, like this one.
        return set(type(recipients[0]).objects.filter(pk__in=[r.pk for r in recipients]).values_list("pk", flat=True))

    monkeypatch.setitem(registry._visibility_checks, "forum.post", check)
    costs = [
        _queries(lambda p=people: notify_many(recipients=p, kind="forum_mention", text="x", actor=member2, target=post))
        for people in (small, large)
    ]
    assert costs[0] == costs[1]
    assert calls == [post.pk, post.pk]
    assert Notification.objects.filter(target_id=post.pk).count() == 52


def test_the_email_fan_out_reads_preferences_once_per_chunk(crowds):
    small, large = crowds
    # Nobody wants mentions at once (the default is daily): the task only reads preferences.
    costs = [
        _queries(lambda p=people: tasks.fan_out_emails.call(recipient_ids=[u.pk for u in p], kind="forum_mention"))
        for people in (small, large)
    ]
    assert costs == [1, 1]
    assert mail.outbox == []


def test_the_email_fan_out_emails_exactly_those_who_want_it_at_once(crowds, member2, committed):
    _, large = crowds
    wanting = large[:5]
    for person in wanting:
        set_email_preferences(user=person, choices={"mentions": "immediately"})
    with committed():
        notify_many(recipients=large, kind="chat_mention", text="x", actor=member2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in wanting)

"""A category's topic list costs the same whatever the category's size or the page: the same queries, each along
the list's index (forum.selectors.CategoryTopics), and the right topics on every page.

Topics are bulk-created (not through the services) so that 60 of them stay quick; counters are then refreshed by
the services as usual.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from forum import selectors, services
from forum.models import TOPICS_PER_PAGE, ContentState, Post, Topic
from members.services import block_member
from tests.factories import UserFactory

from .factories import make_topic

# session, user, roles, category, the waiting topics (page 1), the page's topics with read state, subscription
# level, the member's blocks, the notifications count. The count of topics is the category's stored counter.
LIST_QUERIES = 9


def _bulk_topics(category, authors, n, *, start=0):
    base = timezone.now() - timedelta(days=30)
    topics = Topic.objects.bulk_create(
        [
            Topic(
                category=category,
                title=f"Topic {i:03d}",
                author=authors[i % len(authors)],
                last_position=1,
                last_visible_position=1,
                # Pairs share a time, so that the id decides between them (the order's last key).
                last_post_at=base + timedelta(minutes=i // 2),
                last_poster=authors[(i + 1) % len(authors)],
            )
            for i in range(start, start + n)
        ]
    )
    Post.objects.bulk_create([Post(topic=t, position=1, author=t.author, body="Hi", html="<p>Hi</p>") for t in topics])
    services.refresh_category_stats(category=category)
    return topics


def _titles(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/forum/t/\d+/">([^<]+)</a>', page)


@pytest.fixture
def authors(db):
    return [UserFactory(display_name=f"Writer {i}") for i in range(3)]


@pytest.mark.parametrize("n", [5, 50])
def test_first_page_queries_do_not_grow_with_the_category(
    n, member, authors, adult_category, client_for, django_assert_num_queries
):
    _bulk_topics(adult_category, authors, n)
    client = client_for(member)
    client.get("/forum/")
    with django_assert_num_queries(LIST_QUERIES):
        page = client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    assert len(_titles(page)) == min(n, TOPICS_PER_PAGE)


def test_last_page_costs_the_queries_of_the_first(
    member, authors, adult_category, client_for, django_assert_num_queries
):
    _bulk_topics(adult_category, authors, 60)
    client = client_for(member)
    client.get("/forum/")
    with django_assert_num_queries(LIST_QUERIES):
        first = client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    # Pages past the first read no waiting topics: one query fewer.
    with django_assert_num_queries(LIST_QUERIES - 1):
        last = client.get(f"/forum/c/{adult_category.slug}/?page=3").content.decode()
    assert "Page 1 of 3" in first and "Page 3 of 3" in last
    # Past the end: the last page, as before.
    assert _titles(client.get(f"/forum/c/{adult_category.slug}/?page=99").content.decode()) == _titles(last)


def test_every_topic_once_in_order_across_pages(member, authors, adult_category, moderator, client_for):
    topics = _bulk_topics(adult_category, authors, 60)
    services.pin_topic(topic=topics[7], actor=moderator, reason="Welcome")
    client = client_for(member)
    seen = []
    for number in (1, 2, 3):
        seen += _titles(client.get(f"/forum/c/{adult_category.slug}/?page={number}").content.decode())
    expected = [
        t.title for t in Topic.objects.filter(category=adult_category).order_by("-pinned", "-last_post_at", "-pk")
    ]
    assert seen == expected and seen[0] == "Topic 007" and len(set(seen)) == 60


def test_own_held_topic_heads_the_first_page_only_for_its_author(member, member2, authors, adult_category, client_for):
    _bulk_topics(adult_category, authors, 30)
    held = make_topic(category=adult_category, author=member, title="Mine, waiting")
    Topic.objects.filter(pk=held.pk).update(state=ContentState.HELD, last_post_at=timezone.now() - timedelta(days=90))
    services.refresh_category_stats(category=adult_category)
    first = client_for(member).get(f"/forum/c/{adult_category.slug}/").content.decode()
    assert _titles(first)[0] == "Mine, waiting" and "Waiting for review" in first
    assert len(_titles(first)) == TOPICS_PER_PAGE + 1 and "Page 1 of 2" in first
    assert "Mine, waiting" not in client_for(member).get(f"/forum/c/{adult_category.slug}/?page=2").content.decode()
    assert "Mine, waiting" not in client_for(member2).get(f"/forum/c/{adult_category.slug}/").content.decode()


def test_moderators_see_hidden_topics_above_the_list(moderator, member, authors, adult_category, client_for):
    _bulk_topics(adult_category, authors, 3)
    topic = make_topic(category=adult_category, author=member, title="Looked at")
    services.hide_post(post=topic.posts.get(position=1), actor=moderator, reason="Checking")
    page = client_for(moderator).get(f"/forum/c/{adult_category.slug}/").content.decode()
    assert _titles(page)[0] == "Looked at" and "Hidden" in page
    assert "Looked at" not in client_for(member).get(f"/forum/c/{adult_category.slug}/").content.decode()


def test_a_member_with_blocks_gets_pages_without_those_topics(
    member, authors, adult_category, client_for, django_assert_num_queries
):
    _bulk_topics(adult_category, authors, 60)  # 20 by each writer
    block_member(blocker=member, blocked=authors[0])
    client = client_for(member)
    client.get("/forum/")
    # Their list leaves some topics out, so it is counted along the index rather than taken from the counter.
    with django_assert_num_queries(LIST_QUERIES + 1):
        first = client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    second = client.get(f"/forum/c/{adult_category.slug}/?page=2").content.decode()
    assert "Page 1 of 2" in first
    titles = _titles(first) + _titles(second)
    assert len(titles) == 40 and len(set(titles)) == 40
    assert not {f"Topic {i:03d}" for i in range(0, 60, 3)} & set(titles)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's is in docs/PERFORMANCE.md")
def test_a_page_is_read_along_the_index(member, authors, adult_category):
    _bulk_topics(adult_category, authors, 30)
    listed = selectors.CategoryTopics(member, adult_category)
    ids = (
        Topic.objects.filter(category=adult_category, state=ContentState.VISIBLE)
        .order_by("-pinned", "-last_post_at", "-pk")
        .values("pk")[25:50]
    )
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX forum_topic_list" in plan and "TEMP B-TREE" not in plan
    assert len(listed[25:50]) == 5

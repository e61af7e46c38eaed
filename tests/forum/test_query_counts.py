"""The category list, a topic list and a topic page run a fixed number of queries, whatever the row count.

Rows are bulk-created here (not through the services) only because 200 topics or posts through the full
posting path would make these tests slow; the counters are then refreshed by the services as usual.
"""

import pytest
from django.utils import timezone

from forum import services
from forum.models import Bookmark, Post, Reaction, ReadState, Topic
from members.audience import Audience
from tests.factories import UserFactory, programme_group

from .factories import make_category, make_topic

# Per request: session, user, the member's roles, then the page's own queries (programme groups join as a subquery),
# then the unread-notifications count for the bell in the header. Each page also reads the member's blocks once
# (members.blocking.hidden_member_ids, kept for the request by forum.permissions.hidden_authors).
CATEGORY_LIST_QUERIES = 6  # + categories with latest topic and unread mark (1), blocks (1)
TOPIC_LIST_QUERIES = 9  # + category, topic count, topics with read state, subscription level, blocks
TOPIC_PAGE_QUERIES = 9  # + topic with read state and subscription, posts with bookmarks, reactions, blocks, read marker


def _bulk_topics(category, authors, n):
    now = timezone.now()
    topics = Topic.objects.bulk_create(
        [
            Topic(
                category=category,
                title=f"Topic {i}",
                author=authors[i % len(authors)],
                last_position=1,
                last_visible_position=1,
                last_post_at=now,
                last_poster=authors[(i + 1) % len(authors)],
            )
            for i in range(n)
        ]
    )
    Post.objects.bulk_create(
        [Post(topic=t, position=1, author=t.author, body="Hello", html="<p>Hello</p>") for t in topics]
    )
    services.refresh_category_stats(category=category)
    return topics


def _bulk_posts(topic, authors, reader, n):
    start = topic.last_position
    posts = Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                position=start + i + 1,
                author=authors[i % len(authors)],
                body=f"Reply {i}",
                html=f"<p>Reply {i}</p>",
                content_warning="grief" if i % 5 == 0 else "",
                quoted_post_id=None,
                edited_at=timezone.now() if i % 3 == 0 else None,
            )
            for i in range(n)
        ]
    )
    Topic.objects.filter(pk=topic.pk).update(last_position=start + n)
    topic.refresh_from_db()
    services.refresh_topic_stats(topic=topic)
    Reaction.objects.bulk_create(
        [Reaction(post=p, user=authors[j], kind=kind) for p in posts for j, kind in enumerate(["hug", "support"])]
    )
    Bookmark.objects.bulk_create([Bookmark(post=p, user=reader) for p in posts[::2]])
    return posts


@pytest.fixture
def authors(db):
    return [UserFactory(display_name=f"Writer {i}") for i in range(3)]


@pytest.mark.parametrize("n", [1, 20, 200])
def test_category_list_queries_are_fixed(n, member, authors, client_for, django_assert_num_queries):
    rp = programme_group("relapse-prevention")
    member.programme_memberships.create(group=rp)
    categories = [
        make_category(name="Adults"),
        make_category(name="RP", audience=Audience.GROUPS, groups=[rp]),
        make_category(name="Teens", audience=Audience.TEENS),
    ]
    for category in categories:
        _bulk_topics(category, authors, n)
    client = client_for(member)
    client.get("/forum/")  # the first request of a session writes the session once; not what is measured
    with django_assert_num_queries(CATEGORY_LIST_QUERIES):
        page = client.get("/forum/").content.decode()
    assert page.count('class="category-row') == 2 and f"{n} topic" in page


@pytest.mark.parametrize("n", [1, 20, 200])
def test_topic_list_queries_are_fixed(n, member, authors, adult_category, client_for, django_assert_num_queries):
    topics = _bulk_topics(adult_category, authors, n)
    ReadState.objects.bulk_create([ReadState(user=member, topic=t, last_read_position=1) for t in topics[::2]])
    client = client_for(member)
    client.get("/forum/")
    with django_assert_num_queries(TOPIC_LIST_QUERIES):
        page = client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    assert page.count('class="topic-row') == min(n, 25)


@pytest.mark.parametrize("n", [1, 20, 200])
def test_topic_page_queries_are_fixed_for_any_length_and_page(
    n, member, authors, client_for, django_assert_num_queries
):
    rp = programme_group("relapse-prevention")
    member.programme_memberships.create(group=rp)
    # A programme-group category: the audience check is the most expensive one.
    category = make_category(name="RP", audience=Audience.GROUPS, groups=[rp])
    topic = make_topic(category=category, author=authors[0], title="Long one")
    _bulk_posts(topic, authors, member, n)
    client = client_for(member)
    client.get("/forum/")
    last_page = topic.page_count
    # Unread state: the member has read nothing yet, so every view moves the read marker (one write).
    for page_number in sorted({1, last_page}):
        with django_assert_num_queries(TOPIC_PAGE_QUERIES):
            page = client.get(f"/forum/t/{topic.pk}/?page={page_number}").content.decode()
        assert 'class="post state-visible"' in page
    # Reading it again writes nothing: one query fewer.
    with django_assert_num_queries(TOPIC_PAGE_QUERIES - 1):
        client.get(f"/forum/t/{topic.pk}/?page={last_page}")


def test_a_topic_view_writes_only_the_read_marker(member, authors, adult_category, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = make_topic(category=adult_category, author=authors[0])
    client = client_for(member)
    client.get("/forum/")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/forum/t/{topic.pk}/")
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) == 1 and "forum_readstate" in writes[0]

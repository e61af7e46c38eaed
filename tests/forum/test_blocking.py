"""A block, either way, in the forum: neither sees the other's posts (a short neutral line keeps their place), their
topics leave lists and search, their posts cannot be reached by link, and no notice passes between them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Reaction
from members.services import block_member, unblock_member
from notifications.models import Notification

from .factories import make_reply, make_topic
from .test_query_counts import TOPIC_PAGE_QUERIES

COLLAPSED = "This post is hidden because of a block."
SECRET = "my sister's wedding was so hard"


@pytest.fixture
def thread(adult_category, member, member2):
    """Sam starts a topic; Jordan replies with something personal; Sam answers."""
    topic = make_topic(category=adult_category, author=member, title="Family events", body="How do you cope?")
    jordans = make_reply(topic=topic, author=member2, body=f"Honestly {SECRET}, I left early.")
    make_reply(topic=topic, author=member, body="That sounds like a good call.")
    return topic, jordans


def _page(client, topic) -> str:
    return client.get(f"/forum/t/{topic.pk}/").content.decode()


@pytest.mark.parametrize("sam_blocks", [True, False], ids=["reader-blocked", "reader-was-blocked"])
def test_the_others_posts_are_a_short_neutral_line_either_way(
    sam_blocks, thread, member, member2, member_client, member2_client
):
    topic, jordans = thread
    if sam_blocks:
        block_member(blocker=member, blocked=member2)
    else:
        block_member(blocker=member2, blocked=member)
    page = _page(member_client, topic)
    # Sam's view: Jordan's reply keeps its place, with nothing of it: no words, name, reactions or buttons.
    assert SECRET not in page and "Jordan" not in page
    assert page.count(COLLAPSED) == 1 and f'id="post-{jordans.position}"' in page
    article = page.split(f'id="post-{jordans.position}"')[1].split("</li>")[0]
    assert "react" not in article and "quote" not in article.lower() and "Report" not in article
    # The same words whoever blocked whom: the line does not tell.
    assert "you blocked" not in page and "blocked you" not in page
    # And Jordan sees none of Sam's posts (the opening post included), but their own reply.
    page = _page(member2_client, topic)
    assert page.count(COLLAPSED) == 2 and "How do you cope?" not in page and SECRET in page
    assert "Sam" not in page.split('class="post-list"')[1].split("</ol>")[0]


def test_unblocking_shows_the_posts_again(thread, member, member2, member_client):
    topic, _ = thread
    block_member(blocker=member, blocked=member2)
    assert SECRET not in _page(member_client, topic)
    unblock_member(blocker=member, blocked=member2)
    assert SECRET in _page(member_client, topic) and COLLAPSED not in _page(member_client, topic)


def test_their_links_quotes_reactions_bookmarks_and_reports_do_not_exist(thread, member, member2, member_client):
    topic, jordans = thread
    block_member(blocker=member2, blocked=member)
    assert member_client.get(f"/forum/p/{jordans.pk}/").status_code == 404
    assert member_client.get(f"/forum/t/{topic.pk}/reply/?quote={jordans.pk}").status_code == 404
    assert member_client.post(f"/forum/p/{jordans.pk}/react/", {"reaction": "+hug"}).status_code == 404
    assert member_client.post(f"/forum/p/{jordans.pk}/bookmark/", {"on": "1"}).status_code == 404
    assert member_client.get(reverse("moderation_member:report", args=["post", jordans.pk])).status_code == 404
    assert not Reaction.objects.exists()
    # The topic itself stays open to both, and Sam may still reply in their own topic.
    assert member_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Thanks all"}).status_code == 302


def test_their_topics_leave_lists_and_their_name_leaves_last_poster_lines(
    adult_category, member, member2, member_client
):
    theirs = make_topic(category=adult_category, author=member2, title="A topic Jordan started")
    mine = make_topic(category=adult_category, author=member, title="A topic Sam started")
    make_reply(topic=mine, author=member2, body="Jordan was here last")
    block_member(blocker=member, blocked=member2)
    page = member_client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    assert theirs.title not in page and mine.title in page
    assert "Jordan" not in page and "Last post," in page
    index = member_client.get("/forum/").content.decode()
    assert "Jordan" not in index and theirs.title not in index


def test_search_bookmarks_and_member_pages_leave_their_posts_out(thread, member, member2, member_client):
    topic, jordans = thread
    services.add_bookmark(post=jordans, user=member)
    assert "sister" in member_client.get("/forum/search/?q=sister wedding").content.decode()
    block_member(blocker=member, blocked=member2)
    results = member_client.get("/forum/search/?q=sister wedding").content.decode()
    assert "0 results" in results and SECRET not in results
    assert SECRET not in member_client.get("/forum/bookmarks/").content.decode()
    assert topic.title not in member_client.get(f"/forum/members/{member2.pk}/").content.decode()


@pytest.mark.parametrize("blocker_is_author", [True, False])
def test_no_mention_reply_or_reaction_notice_passes_between_them(blocker_is_author, adult_category, member, member2):
    topic = make_topic(category=adult_category, author=member2, title="Jordan watches this")
    if blocker_is_author:
        block_member(blocker=member, blocked=member2)
    else:
        block_member(blocker=member2, blocked=member)
    Notification.objects.all().delete()
    reply = make_reply(topic=topic, author=member, body="@Jordan are you around?")
    make_topic(category=adult_category, author=member2, title="Hello", body="@Sam hi")
    services.add_reaction(post=reply, user=member2, kind="hug")
    assert not Notification.objects.exists()


def test_a_notice_from_before_the_block_goes_quiet(adult_category, member, member2, member_client):
    make_topic(category=adult_category, author=member2, title="A thought", body="@Sam what do you think?")
    assert "mentioned you" in member_client.get("/notifications/").content.decode()
    block_member(blocker=member, blocked=member2)
    page = member_client.get("/notifications/").content.decode()
    assert "mentioned you" not in page and "A thought" not in page


def test_the_topic_page_reads_the_blocks_once_and_keeps_its_query_count(thread, member, member2, member_client):
    topic, _ = thread
    block_member(blocker=member, blocked=member2)
    _page(member_client, topic)  # the first view of a session may write; what is pinned is a repeat view
    # The posts, their reactions and the bell's notices (about posts, worded by the forum) ask about blocks once.
    assert Notification.objects.filter(recipient=member).exists()
    with CaptureQueriesContext(connection) as ctx:
        _page(member_client, topic)
    assert sum('"members_block"' in q["sql"] for q in ctx.captured_queries) == 1
    # With no notices (the bell then counts in one query), the page keeps the count pinned in test_query_counts.
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        _page(member_client, topic)
    assert len(ctx.captured_queries) == TOPIC_PAGE_QUERIES - 1  # a repeat view writes no read marker


def test_a_post_offers_to_block_its_author_and_the_block_page_leads_back(thread, member, member2, member_client):
    topic, jordans = thread
    page = _page(member_client, topic)
    link = f"/members/{member2.pk}/block/?next=/forum/t/{topic.pk}/%23post-{jordans.position}"
    assert link in page
    assert f"/members/{member.pk}/block/" not in page  # not on one's own posts
    member_client.post(f"/members/{member2.pk}/block/", {"next": f"/forum/t/{topic.pk}/#post-{jordans.position}"})
    assert COLLAPSED in _page(member_client, topic)

"""`manage.py seed_bench`: a deterministic bench data set, refused where it could do harm."""

import random

import pytest
from django.core.management import CommandError, call_command

from chat.models import Message, Room
from community.management.commands.seed_bench import TextMaker, spirit_like_plan
from forum import services
from forum.models import Category, ContentState, Post, Topic
from forum.search import search_posts
from members.markup import render_markdown
from members.models import User

SMALL = ["--members", "12", "--topics", "6", "--posts", "40", "--long-topic-posts", "15", "--rooms", "3"]


def test_refused_with_debug_off_and_nothing_written(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="dev settings"):
        call_command("seed_bench", *SMALL, "--messages", "30")
    assert not User.objects.filter(email__endswith="@bench.invalid").exists()


def test_refused_on_a_database_that_has_members(db, settings, member):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="already has members"):
        call_command("seed_bench", *SMALL, "--messages", "30")
    assert not Topic.objects.exists()


def test_a_small_set_has_exactly_the_rows_asked_for_and_right_counters(db, settings):
    settings.DEBUG = True
    call_command("seed_bench", *SMALL, "--messages", "30")
    assert User.objects.filter(email__startswith="bench-").exclude(email__startswith="bench-staff").count() == 12
    assert Topic.objects.count() == 6 and Post.objects.count() == 40
    assert Topic.objects.order_by("-last_position").first().last_position == 15
    assert Message.objects.count() == 30
    for room in Room.objects.all():
        assert room.last_seq == room.messages.count()
    # The counters are what the services would have computed.
    for topic in Topic.objects.all():
        expected = (topic.reply_count, topic.last_visible_position, topic.last_post_at, topic.last_poster_id)
        services.refresh_topic_stats(topic=topic)
        topic.refresh_from_db()
        assert (topic.reply_count, topic.last_visible_position, topic.last_post_at, topic.last_poster_id) == expected
    for category in Category.objects.all():
        assert category.topic_count == category.topics.filter(state=ContentState.VISIBLE).count()


def test_posts_are_in_the_search_index(db, settings):
    settings.DEBUG = True
    call_command("seed_bench", *SMALL, "--rooms", "0", "--messages", "0")
    reader = User.objects.get(email="bench-0@bench.invalid")
    post = Post.objects.filter(state=ContentState.VISIBLE, topic__category__audience="adults").first()
    word = max(post.body.replace(".", " ").split(), key=len).lower()
    assert post in search_posts(reader, word, limit=500)


def test_spirits_set_is_the_one_described():
    plan = spirit_like_plan()
    assert len(plan) == 200 and [len(t["posts"]) for t in plan[:3]] == [1000, 20, 5]
    assert sum(len(t["posts"]) for t in plan) == 1000 + 20 + 198 * 5
    assert (plan[1]["created"] - plan[0]["created"]).total_seconds() == 3600
    assert [p["author"] for p in plan[1]["posts"][:3]] == [1, 2, 3]


def test_bodies_render_to_the_stored_html():
    maker = TextMaker(random.Random(7))
    for _ in range(300):
        body, html = maker.post()
        assert render_markdown(body) == html
    lengths = [len(maker.post()[1]) for _ in range(2000)]
    assert 380 < sum(lengths) / len(lengths) < 480  # about 430 bytes, as in the comparison with Spirit


def test_the_same_seed_gives_the_same_set():
    assert spirit_like_plan(5) == spirit_like_plan(5)
    assert spirit_like_plan(5)[0]["posts"][0]["body"] != spirit_like_plan(6)[0]["posts"][0]["body"]

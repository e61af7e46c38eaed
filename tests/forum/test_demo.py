from forum.models import Category, Topic
from members.audience import Audience


def test_seed_demo_adds_categories_for_each_audience_and_is_idempotent(db):
    from forum import demo as forum_demo
    from members import demo as members_demo

    members_demo.seed()
    forum_demo.seed()
    forum_demo.seed()
    audiences = set(Category.objects.values_list("audience", flat=True))
    assert audiences == {Audience.ADULTS, Audience.GROUPS, Audience.TEENS}
    assert Topic.objects.count() == len(forum_demo.TOPICS)
    assert Topic.objects.filter(pinned=True).count() == 1
    assert Topic.objects.get(category__slug="teen-lounge").author.is_teen

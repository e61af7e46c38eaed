from forum.models import Category, Topic
from members.audience import Audience
from moderation.models import Flag, ReviewItem


def test_seed_demo_adds_categories_for_each_audience_and_is_idempotent(db):
    from forum import demo as forum_demo
    from members import demo as members_demo

    members_demo.seed()
    forum_demo.seed()
    forum_demo.seed()
    audiences = set(Category.objects.values_list("audience", flat=True))
    assert audiences == {Audience.ADULTS, Audience.GROUPS, Audience.TEENS}
    assert Topic.objects.count() == len(forum_demo.TOPICS) + len(forum_demo.REPORTED)
    assert Topic.objects.filter(pinned=True).count() == 1
    assert Topic.objects.get(category__slug="teen-lounge").author.is_teen
    # The review queue is not empty in the demo: a few open reports, and one urgent item on top.
    open_items = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN)
    assert open_items.count() == len(forum_demo.REPORTED)
    assert open_items.filter(urgent=True).count() == 1
    assert Flag.objects.count() == sum(len(reports) for *_rest, reports in forum_demo.REPORTED)


def test_every_adult_programme_group_has_its_own_category_and_the_teen_group_stays_apart(db):
    from forum import demo as forum_demo
    from members import demo as members_demo
    from members.models import ProgrammeGroup

    members_demo.seed()
    forum_demo.seed()
    for group in ProgrammeGroup.objects.filter(for_teens=False):
        own = Category.objects.filter(audience=Audience.GROUPS, programme_groups=group)
        assert own.exists(), f"{group.name} has no category"
        assert Topic.objects.filter(category__in=own).exists(), f"{group.name}'s category is empty"
    # Teen spaces are for teens only, never a programme-group audience that adults could share.
    teen_group = ProgrammeGroup.objects.get(for_teens=True)
    assert not Category.objects.filter(programme_groups=teen_group).exists()
    assert set(Category.objects.filter(audience=Audience.TEENS).values_list("slug", flat=True)) == {
        "teen-lounge",
        "teen-celebrations",
        "teen-check-in",
    }


def test_celebrations_and_check_ins_exist_on_each_side_of_the_age_line(db):
    from forum import demo as forum_demo
    from members import demo as members_demo

    members_demo.seed()
    forum_demo.seed()
    audiences = dict(Category.objects.values_list("slug", "audience"))
    assert audiences["celebrations"] == Audience.ADULTS and audiences["check-in"] == Audience.ADULTS
    assert audiences["teen-celebrations"] == Audience.TEENS and audiences["teen-check-in"] == Audience.TEENS

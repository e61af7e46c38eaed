"""Who sees which category, topic and post: adults, teens, programme groups, each with an outsider."""

import pytest

from forum import selectors
from forum.models import Post, Topic

from .factories import make_category, make_topic


def _paths(topic):
    post = topic.posts.get(position=1)
    return [
        f"/forum/c/{topic.category.slug}/",
        f"/forum/c/{topic.category.slug}/new/",
        f"/forum/t/{topic.pk}/",
        f"/forum/t/{topic.pk}/reply/",
        f"/forum/p/{post.pk}/",
        f"/forum/p/{post.pk}/history/",
    ]


def test_category_list_shows_only_the_members_audience(
    member, teen_member, rp_member, staff, moderator, adult_category, teen_category, rp_category, client_for
):
    def names(user):
        return {c.name for c in selectors.category_list_for(user)}

    assert names(member) == {adult_category.name}  # an adult outside the group
    assert names(rp_member) == {adult_category.name, rp_category.name}
    assert names(teen_member) == {teen_category.name}
    assert names(moderator) == {adult_category.name, rp_category.name}  # not teen-cleared
    assert names(staff) == {adult_category.name, rp_category.name, teen_category.name}  # teen-cleared

    page = client_for(teen_member).get("/forum/").content.decode()
    assert teen_category.name in page and adult_category.name not in page and rp_category.name not in page


def test_teen_gets_404_on_everything_in_an_adult_category(adult_category, member2, teen_member, client_for):
    topic = make_topic(category=adult_category, author=member2, title="Adult topic")
    client = client_for(teen_member)
    for path in _paths(topic):
        assert client.get(path).status_code == 404, path


def test_adult_gets_404_on_everything_in_a_teen_category(teen_category, teen_member, member, moderator, client_for):
    topic = make_topic(category=teen_category, author=teen_member, title="Teen topic")
    for outsider in (member, moderator):  # a moderator who is not teen-cleared is outside too
        client = client_for(outsider)
        for path in _paths(topic):
            assert client.get(path).status_code == 404, (outsider, path)


def test_group_outsider_gets_404_and_group_member_gets_in(rp_category, rp_member, member, client_for):
    topic = make_topic(category=rp_category, author=rp_member, title="Group topic")
    outsider = client_for(member)
    for path in _paths(topic)[:5]:
        assert outsider.get(path).status_code == 404, path
    insider = client_for(rp_member)
    assert insider.get(f"/forum/c/{rp_category.slug}/").status_code == 200
    assert insider.get(f"/forum/t/{topic.pk}/").status_code == 200


def test_outsider_cannot_post_into_a_category_outside_their_audience(rp_category, rp_member, member, client_for):
    topic = make_topic(category=rp_category, author=rp_member)
    client = client_for(member)
    response = client.post(f"/forum/c/{rp_category.slug}/new/", {"title": "Sneaky", "body": "Hello"})
    assert response.status_code == 404
    response = client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Hello"})
    assert response.status_code == 404
    assert Topic.objects.count() == 1 and Post.objects.count() == 1


def test_a_member_who_leaves_the_group_loses_access(rp_category, rp_member, client_for):
    topic = make_topic(category=rp_category, author=rp_member)
    rp_member.programme_memberships.all().delete()
    assert client_for(rp_member).get(f"/forum/t/{topic.pk}/").status_code == 404


def test_category_row_shows_description_count_latest_activity_and_unread(adult_category, member, member2, client_for):
    make_topic(category=adult_category, author=member2, title="First steps back at work")
    page = client_for(member).get("/forum/").content.decode()
    assert "Day-to-day life after the programme." in page
    assert "1 topic" in page
    assert "First steps back at work" in page and "by Jordan" in page
    assert "unread-mark" in page


@pytest.mark.parametrize("fixture", ["member", "teen_member"])
def test_empty_forum_says_so_kindly(fixture, request, client_for, db):
    page = client_for(request.getfixturevalue(fixture)).get("/forum/").content.decode()
    assert "no categories for you yet" in page


def test_categories_in_staff_order(member):
    b = make_category(name="B", position=2)
    a = make_category(name="A", position=1)
    assert [c.pk for c in selectors.category_list_for(member)] == [a.pk, b.pk]

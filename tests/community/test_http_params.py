"""Integer query parameters that are not plain numbers are ignored, never a 500 (members.http.int_param).

Found by an outside test: `?before=²` and `?before=<5,000 digits>` in a chat room and `?quote=²` on the reply
page were 500s, because str.isdigit() accepts what int() refuses.
"""

import pytest
from django.http import QueryDict

from forum.services import create_reply
from members.http import int_param
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory
from tests.forum.factories import make_category, make_topic

BAD_NUMBERS = ["²", "٣", "1²", "9" * 5000, "9" * 19, "-1", "+5", " 5", "5 ", "5.0", "0x10", "1_000", "", "five"]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_int_param_ignores_anything_but_plain_digits(value):
    assert int_param(QueryDict(mutable=True) | {"n": value}, "n") is None
    assert int_param(QueryDict(mutable=True) | {"n": value}, "n", default=1) == 1


def test_int_param_reads_plain_numbers_and_keeps_to_its_minimum():
    data = QueryDict("n=42&zero=0&big=999999999999999999")
    assert int_param(data, "n") == 42
    assert int_param(data, "big") == 999_999_999_999_999_999
    assert int_param(data, "zero") == 0
    assert int_param(data, "zero", minimum=1, default=1) == 1
    assert int_param(data, "missing", default=7) == 7


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 5000, "9" * 4000, "-3", "0"])
def test_chat_room_ignores_a_bad_before(member_client, value):
    room = RoomFactory(name="Evening circle")
    response = member_client.get(f"/chat/{room.slug}/", {"before": value})
    assert response.status_code == 200
    assert "Evening circle" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 5000, "9" * 4000, "1²"])
def test_reply_page_ignores_a_bad_quote(member_client, member, value):
    topic = make_topic(category=make_category(), author=UserFactory(), body="Opening words")
    response = member_client.get(f"/forum/t/{topic.pk}/reply/", {"quote": value})
    assert response.status_code == 200
    assert response.context["form"]["body"].value() in (None, "")  # nothing quoted, nothing broken


@pytest.mark.django_db
def test_reply_page_still_quotes_a_real_post(member_client):
    topic = make_topic(category=make_category(), author=UserFactory(display_name="Robin"), body="Opening words")
    post = create_reply(topic=topic, author=UserFactory(), body="Words worth quoting")
    response = member_client.get(f"/forum/t/{topic.pk}/reply/", {"quote": str(post.pk)})
    assert response.status_code == 200
    assert "Words worth quoting" in response.context["form"]["body"].value()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 5000, "-2", "0"])
def test_topic_page_ignores_a_bad_page_number(member_client, value):
    topic = make_topic(category=make_category(), author=UserFactory(), body="Opening words")
    response = member_client.get(f"/forum/t/{topic.pk}/", {"page": value})
    assert response.status_code == 200
    assert "Opening words" in response.content.decode()


# --- a post far over the size limit ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_post_too_big_to_read_gets_the_sites_page_with_the_limit(member_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000  # Django's 2.5 MB, made small to keep the test light
    topic = make_topic(category=make_category(), author=UserFactory(), body="Opening words")
    response = member_client.post(
        f"/forum/t/{topic.pk}/reply/", {"body": "é" * 60_000}, HTTP_REFERER=f"http://testserver/forum/t/{topic.pk}/"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Forum posts can be up to 20,000 characters" in page
    assert "Signed in as" in page and "988" in page  # the site's own page: header and crisis line
    assert "this browser kept a draft" in page
    assert f'href="http://testserver/forum/t/{topic.pk}/"' in page  # straight back to the composer
    assert topic.posts.count() == 1


@pytest.mark.django_db
def test_other_bad_requests_get_the_sites_page_without_the_size_talk(member_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    topic = make_topic(category=make_category(), author=UserFactory(), body="Opening words")
    fields = {"body": "Hello", **{f"f{n}": "x" for n in range(20)}}
    response = member_client.post(f"/forum/t/{topic.pk}/reply/", fields, HTTP_REFERER="https://elsewhere.example/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Something in that request was off" in page and "up to 20,000" not in page
    assert "elsewhere.example" not in page  # a link back only to this site

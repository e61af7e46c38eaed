"""The topic page's per-post parts, worked out in the view for speed (views._prepare_posts), read as before."""

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from forum.views import _time_texts

from .factories import make_reply, make_topic


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "UTC"])
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 1, 1, 0, 0, tzinfo=UTC),
        datetime(2024, 7, 4, 12, 5, 9, tzinfo=UTC),
        datetime(2025, 12, 31, 23, 59, 59, 123456, tzinfo=UTC),
        datetime(2026, 3, 8, 16, 30, tzinfo=UTC),
    ],
)
def test_post_times_read_as_the_date_filter_wrote_them(moment, zone):
    template = Template("""{{ moment|date:'c' }}|{{ moment|date:"M j, Y, g:i a" }}""")
    with timezone.override(zone):
        assert "|".join(_time_texts(moment)) == template.render(Context({"moment": moment}))


def test_one_csrf_token_serves_every_form_on_the_page(adult_category, member, member2, member_client):
    topic = make_topic(category=adult_category, author=member2)
    for n in range(5):
        make_reply(topic=topic, author=member2, body=f"Reply {n}")
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 12 and len(set(tokens)) == 1
    assert 'aria-pressed="false"' in page and f'href="/forum/p/{topic.posts.get(position=2).pk}/"' in page

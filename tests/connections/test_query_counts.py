"""/me/goals/, /messages/ and the buddies page run a fixed number of queries, whatever the number of rows."""

import pytest
from django.test import Client

from chat import services as chat_services
from connections import services
from tests.factories import UserFactory

from .conftest import make_buddies

pytestmark = pytest.mark.django_db

# Per request: session, user, the member's roles; then the page's own; then the notification bell in the layout
# (the footer's crisis lines are cached after the first page).
GOALS_PAGE_QUERIES = 10  # own: the form's buddy choices (whether any, then the list), own goals with progress, whom
# each is shared with, goals buddies shared, their recent check-ins
MESSAGES_PAGE_QUERIES = 6  # own: private rooms with unread and the other's name, buddies


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    # A first visit refreshes the new session's expiry (community.middleware.IdleSessionMiddleware): not the page's.
    client.get("/me/goals/check-in/")
    return client


def _world(owner, n: int):
    """`n` buddies, each sharing a goal with `owner` and with a goal of `owner` shared back, each goal with
    check-ins, and a private conversation with each, with messages."""
    for i in range(n):
        buddy = UserFactory()
        make_buddies(owner, buddy)
        theirs = services.create_goal(owner=buddy, title=f"Their goal {i}", share_with=[owner])
        mine = services.create_goal(owner=owner, title=f"My goal {i}", share_with=[buddy])
        for status in ("done", "partly", "not_this_time", "done"):
            services.check_in_on_goal(goal=theirs, member=buddy, status=status)
            services.check_in_on_goal(goal=mine, member=owner, status=status)
        room = services.start_conversation(member=owner, other=buddy)
        chat_services.post_message(room=room, author=buddy, body=f"hello {i}")


@pytest.mark.parametrize("rows", [1, 6])
def test_goals_page_queries_do_not_grow_with_rows(member, rows, django_assert_num_queries, settings):
    settings.CHAT_FLOOD_LIMITS = ((10_000, 30), (10_000, 30))
    _world(member, rows)
    client = _client(member)
    with django_assert_num_queries(GOALS_PAGE_QUERIES):
        response = client.get("/me/goals/")
    assert response.status_code == 200
    assert response.text.count("check-ins this month") == 2 * rows


@pytest.mark.parametrize("rows", [1, 6])
def test_messages_page_queries_do_not_grow_with_rows(member, rows, django_assert_num_queries, settings):
    settings.CHAT_FLOOD_LIMITS = ((10_000, 30), (10_000, 30))
    _world(member, rows)
    client = _client(member)
    with django_assert_num_queries(MESSAGES_PAGE_QUERIES):
        response = client.get("/messages/")
    assert response.status_code == 200
    assert response.text.count("1 new") == rows

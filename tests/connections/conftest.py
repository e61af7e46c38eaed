"""Fixtures for connections' tests: buddies made through the services, check-in categories, peer supporters."""

import pytest

from connections import services
from forum.models import Category
from members.audience import Audience
from tests.factories import UserFactory, programme_group, teen_year


def make_buddies(a, b):
    """Two members become buddies the way members do: one asks, the other accepts."""
    request = services.ask_buddy(asker=a, member=b)
    return services.accept_buddy_request(buddy_request=request, member=b)


@pytest.fixture
def buddies(member, member2):
    make_buddies(member, member2)
    return member, member2


@pytest.fixture
def teen2(db):
    return UserFactory(
        display_name="Casey", year_of_birth=teen_year(), programme_groups=[programme_group("teen-group")]
    )


@pytest.fixture
def checkin_categories(db):
    adults = Category.objects.create(name="Daily check-in", slug="check-in", audience=Audience.ADULTS)
    teens = Category.objects.create(name="Teen check-in", slug="teen-check-in", audience=Audience.TEENS)
    return adults, teens


@pytest.fixture
def peer_supporter(db, staff):
    user = UserFactory(display_name="Robin helper")
    services.grant_peer_supporter(member=user, actor=staff)
    return user

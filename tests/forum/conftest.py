import pytest

from members.audience import Audience
from tests.factories import UserFactory, programme_group

from .factories import make_category


@pytest.fixture
def adult_category(db):
    return make_category(name="Everyday recovery", description="Day-to-day life after the programme.")


@pytest.fixture
def teen_category(db):
    return make_category(name="Teen lounge", audience=Audience.TEENS)


@pytest.fixture
def rp_category(db):
    """A category for the Relapse Prevention group only."""
    return make_category(
        name="Relapse Prevention alumni", audience=Audience.GROUPS, groups=[programme_group("relapse-prevention")]
    )


@pytest.fixture
def rp_member(db):
    return UserFactory(display_name="Casey", programme_groups=[programme_group("relapse-prevention")])

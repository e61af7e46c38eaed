from types import SimpleNamespace

import pytest

from members.audience import Audience, in_audience, members_visible_q
from members.models import User
from tests.factories import UserFactory, teen_year


def space(audience):
    return SimpleNamespace(audience=audience)


@pytest.mark.parametrize(
    "who, adults, teens",
    [
        ("member", True, False),
        ("teen_member", False, True),
        ("moderator", True, False),
        ("staff", True, True),
        ("applicant", False, False),
    ],
)
def test_who_sees_adult_and_teen_spaces(request, db, who, adults, teens):
    user = request.getfixturevalue(who)
    assert in_audience(user, space(Audience.ADULTS)) is adults
    assert in_audience(user, space(Audience.TEENS)) is teens


def test_teens_and_adults_never_see_each_other_as_members(member, member2, teen_member, moderator, staff):
    other_teen = UserFactory(display_name="Robin", year_of_birth=teen_year())
    seen_by_teen = set(User.objects.filter(members_visible_q(teen_member)))
    seen_by_adult = set(User.objects.filter(members_visible_q(member)))
    assert other_teen in seen_by_teen and member not in seen_by_teen and member2 not in seen_by_teen
    assert member2 in seen_by_adult and teen_member not in seen_by_adult and other_teen not in seen_by_adult
    # The clinic team is visible to both, once each.
    assert moderator in seen_by_teen and staff in seen_by_adult
    assert User.objects.filter(members_visible_q(member)).filter(pk=staff.pk).count() == 1
    # Staff cleared for teen spaces see everyone.
    assert {member, teen_member, other_teen} <= set(User.objects.filter(members_visible_q(staff)))

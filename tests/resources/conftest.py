import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from members.models import Role
from resources.models import ResourceIndexPage, ResourcePage
from resources.services import EDITORS, PUBLISHERS, ensure_programme_access_group
from tests.factories import UserFactory, enable_totp, programme_group


def publish(parent, title: str, *, tags=(), body=None, summary: str = "") -> ResourcePage:
    page = ResourcePage(
        title=title,
        slug=title.lower().replace(" ", "-").replace("'", ""),
        summary=summary,
        body=body if body is not None else [("heading", f"{title} text")],
    )
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    return page


def restrict_to_programmes(page, *slugs: str) -> PageViewRestriction:
    """What staff do in the page's privacy dialog: "Private, for these groups", choosing programme groups."""
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([ensure_programme_access_group(programme_group(slug)).group for slug in slugs])
    return restriction


@pytest.fixture
def index(db):
    return ResourceIndexPage.objects.get()


def _team_member(name: str, group: str):
    user = UserFactory(display_name=name, roles=[Role.MEMBER, Role.STAFF])
    user.groups.add(Group.objects.get(name=group))
    enable_totp(user)
    return user


@pytest.fixture
def editor(db):
    return _team_member("Casey editor", EDITORS)


@pytest.fixture
def publisher(db):
    return _team_member("Pat publisher", PUBLISHERS)

"""Private resource pages (Wagtail page privacy) stay out of every list, search and teaser for those they are not
for, and show for those they are for."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from resources.models import ResourceIndexPage, ResourcePage
from tests.factories import UserFactory

PRIVATE = "Dual diagnosis medication notes"
PUBLIC = "Coping with cravings"


def _publish(parent, title: str) -> ResourcePage:
    page = parent.add_child(
        instance=ResourcePage(title=title, slug=title.lower().replace(" ", "-"), body=[("heading", f"{title} text")])
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def readers(db):
    return Group.objects.create(name="Dual diagnosis readers")


@pytest.fixture
def pages(readers):
    index = ResourceIndexPage.objects.get()
    public = _publish(index, PUBLIC)
    private = _publish(index, PRIVATE)
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([readers])
    # A page below a private one is private too.
    below = _publish(private, "Dosage questions for your prescriber")
    return public, private, below


@pytest.fixture
def reader(readers):
    user = UserFactory(display_name="Quinn")
    user.groups.add(readers)
    return user


def _where_titles_show(client) -> dict[str, str]:
    return {
        "index": client.get("/resources/").content.decode(),
        "search": client.get("/resources/", {"q": "text"}).content.decode(),
        "home": client.get("/").content.decode(),
    }


def test_a_group_restricted_page_is_absent_for_outsiders(pages, member_client, teen_client):
    for who, client in {"member": member_client, "teen": teen_client}.items():
        for where, html in _where_titles_show(client).items():
            assert PRIVATE not in html, f"{who} sees the private title on {where}"
            assert "Dosage questions" not in html, f"{who} sees a page below the private one on {where}"
            assert PUBLIC in html, f"{who} misses the public page on {where}"


def test_a_group_restricted_page_shows_for_its_group(pages, reader, client_for):
    for where, html in _where_titles_show(client_for(reader)).items():
        assert PRIVATE in html, where
        assert PUBLIC in html, where
    assert "Dosage questions" in _where_titles_show(client_for(reader))["search"]


def test_a_password_page_shows_only_after_the_password(pages, member, member_client):
    public, _, _ = pages
    locked = _publish(ResourceIndexPage.objects.get(), "Meeting room codes")
    restriction = PageViewRestriction.objects.create(
        page=locked, restriction_type=PageViewRestriction.PASSWORD, password="circle"
    )
    assert "Meeting room codes" not in member_client.get("/resources/").content.decode()
    session = member_client.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert "Meeting room codes" in member_client.get("/resources/").content.decode()


def test_search_words_are_bounded_and_odd_input_is_harmless(pages, member_client):
    for q in ['"', "*", "a " * 200, "x" * 500, "'; DROP TABLE wagtailcore_page; --"]:
        assert member_client.get("/resources/", {"q": q}).status_code == 200, q


def test_the_resource_index_runs_a_fixed_number_of_queries(member, pages, client_for, django_assert_num_queries):
    client = client_for(member)
    client.get("/resources/")
    with django_assert_num_queries(INDEX_QUERIES) as first:
        client.get("/resources/")
    index = ResourceIndexPage.objects.get()
    for n in range(5):
        _publish(index, f"Extra page {n}")
        PageViewRestriction.objects.create(
            page=_publish(index, f"Private extra {n}"), restriction_type=PageViewRestriction.LOGIN
        )
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get("/resources/").content.decode()
    assert "Private extra 4" in page and "Extra page 4" in page


INDEX_QUERIES = 15  # two of them: the 404-for-outsiders check of page restrictions (resources.wagtail_hooks)


def test_opening_a_group_restricted_page_directly_is_a_404_for_outsiders(pages, member_client, reader, client_for):
    _public, private, below = pages
    for page in (private, below):
        # Not a sign-in redirect (the member is signed in): the page does not exist for them, as for a category.
        assert member_client.get(page.url).status_code == 404
        response = client_for(reader).get(page.url)
        assert response.status_code == 200 and page.title in response.content.decode()


def test_a_superuser_without_a_second_factor_is_an_outsider_to_group_pages(pages, client_for):
    _public, private, _below = pages
    admin = UserFactory(display_name="Root", is_superuser=True, is_staff=True)
    assert client_for(admin).get(private.url).status_code == 404

"""Private resource pages (Wagtail page privacy) stay out of every list, search and teaser for those they are not
for, and show for those they are for: programme groups, the teen line, and plain Django groups."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.factories import UserFactory, programme_group, teen_year
from tests.resources.conftest import publish, restrict_to_programmes

PRIVATE = "Dual diagnosis medication notes"
PUBLIC = "Coping with cravings"


@pytest.fixture
def readers(db):
    return Group.objects.create(name="Dual diagnosis readers")


@pytest.fixture
def pages(index, readers):
    public = publish(index, PUBLIC)
    private = publish(index, PRIVATE)
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([readers])
    # A page below a private one is private too.
    below = publish(private, "Dosage questions for your prescriber")
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


def test_a_visitor_is_sent_to_sign_in_everywhere_but_help(client, pages):
    public, _private, _below = pages
    for path in ("/resources/", public.url, "/resources/?q=text", "/cms/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
    help_page = client.get("/help/")
    assert help_page.status_code == 200 and "1-800-662-4357" in help_page.content.decode()


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


def test_a_programme_page_shows_to_its_programme_only(index, client_for, member_client):
    page = publish(index, "Relapse Prevention alumni corner")
    restrict_to_programmes(page, "relapse-prevention")
    insider = UserFactory(display_name="Robin", programme_groups=[programme_group("relapse-prevention")])
    other_group = UserFactory(display_name="Kim", programme_groups=[programme_group("dual-diagnosis")])
    assert "alumni corner" in client_for(insider).get("/resources/").content.decode()
    assert "alumni corner" in client_for(insider).get("/resources/", {"q": "corner"}).content.decode()
    assert client_for(insider).get(page.url).status_code == 200
    for outsider in (client_for(other_group), member_client):
        assert "alumni corner" not in outsider.get("/resources/").content.decode()
        assert "alumni corner" not in outsider.get("/resources/", {"q": "corner"}).content.decode()
        assert outsider.get(page.url).status_code == 404


def test_teen_and_adult_pages_are_kept_apart(index, client_for, teen_member, teen_client):
    teen_page = publish(index, "Teen hangout notes")
    restrict_to_programmes(teen_page, "teen-group")
    adult_page = publish(index, "Relapse Prevention evening notes")
    restrict_to_programmes(adult_page, "relapse-prevention")
    # An adult who is still listed in the Teen Group (they turned 18) and in Relapse Prevention.
    grown_up = UserFactory(
        display_name="Drew", programme_groups=[programme_group("teen-group"), programme_group("relapse-prevention")]
    )
    # A teen who is somehow in an adult programme group as well.
    teen_in_adult_group = UserFactory(
        display_name="Ash",
        year_of_birth=teen_year(),
        programme_groups=[programme_group("teen-group"), programme_group("relapse-prevention")],
    )
    adult, teen = client_for(grown_up), client_for(teen_in_adult_group)
    for html in (adult.get("/resources/").content.decode(), adult.get("/resources/", {"q": "notes"}).content.decode()):
        assert "Teen hangout" not in html and "Relapse Prevention evening" in html
    for client in (teen, teen_client):
        for html in (
            client.get("/resources/").content.decode(),
            client.get("/resources/", {"q": "notes"}).content.decode(),
            client.get("/").content.decode(),
        ):
            assert "Teen hangout" in html and "Relapse Prevention evening" not in html
    assert adult.get(teen_page.url).status_code == 404
    assert teen.get(adult_page.url).status_code == 404
    assert teen.get(teen_page.url).status_code == 200


def test_a_teen_page_naming_an_adult_group_too_stays_a_teen_page(index, client_for):
    page = publish(index, "Mixed up page")
    restrict_to_programmes(page, "teen-group", "dual-diagnosis")
    adult = UserFactory(display_name="Lee", programme_groups=[programme_group("dual-diagnosis")])
    assert client_for(adult).get(page.url).status_code == 404


def test_staff_see_teen_pages_only_when_cleared(index, staff, moderator, client_for):
    page = publish(index, "Teen only")
    restrict_to_programmes(page, "teen-group")
    assert client_for(staff).get(page.url).status_code == 200  # the staff fixture is teen-cleared
    assert client_for(moderator).get(page.url).status_code == 404


def test_a_password_page_shows_only_after_the_password(index, pages, member, member_client):
    locked = publish(index, "Meeting room codes")
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
    assert member_client.get("/resources/", {"page": "lots", "topic": "<b>"}).status_code == 200


# session, user, the Site and the page (routing), the restrictions with their groups, programme access groups,
# role names, programme memberships, own groups, topics, count and one page of resources with their topics, the
# crisis page card (ids, then its type), the notification badge. The crisis lines come from the cache.
INDEX_QUERIES = 17


def test_the_resource_index_runs_a_fixed_number_of_queries(member, pages, index, client_for, django_assert_num_queries):
    client = client_for(member)
    client.get("/resources/")
    with django_assert_num_queries(INDEX_QUERIES) as first:
        client.get("/resources/")
    for n in range(5):
        publish(index, f"Extra page {n}", tags=[f"topic {n}"])
        PageViewRestriction.objects.create(
            page=publish(index, f"Private extra {n}"), restriction_type=PageViewRestriction.LOGIN
        )
        restrict_to_programmes(publish(index, f"Group extra {n}"), "dual-diagnosis")
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get("/resources/").content.decode()
    assert "Private extra 4" in page and "Extra page 4" in page and "Group extra" not in page


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

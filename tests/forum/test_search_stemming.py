"""Search stems English words on both databases: "routine" finds "routines" and the other way round."""

import pytest

from forum.search import search_posts

from .factories import make_topic


def _titles(user, query):
    return [p.topic.title for p in search_posts(user, query)]


@pytest.fixture
def routines(adult_category, member2):
    make_topic(category=adult_category, author=member2, title="Morning routines", body="Tea first, then a walk.")
    make_topic(category=adult_category, author=member2, title="Evenings", body="My routine is a call to my sponsor.")
    make_topic(category=adult_category, author=member2, title="Cravings", body="They pass if I wait them out.")


def test_singular_finds_plural_and_plural_finds_singular(routines, member):
    assert set(_titles(member, "routine")) == {"Morning routines", "Evenings"}
    assert set(_titles(member, "routines")) == {"Morning routines", "Evenings"}


def test_other_word_forms_match_their_stem(routines, member):
    assert _titles(member, "craving") == ["Cravings"]
    assert _titles(member, "walking") == ["Morning routines"]
    assert _titles(member, "waited") == ["Cravings"]


def test_search_page_finds_and_marks_the_stemmed_word(routines, member_client):
    page = member_client.get("/forum/search/", {"q": "routine"}).content.decode()
    assert "2 results" in page
    assert "<mark>routine</mark>s" in page or "<mark>routines</mark>" in page


def test_plural_query_marks_the_singular_in_snippets(routines, member_client):
    page = member_client.get("/forum/search/", {"q": "routines"}).content.decode()
    assert "My <mark>routine</mark> is a call" in page

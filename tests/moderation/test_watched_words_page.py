"""The staff page where watched words are listed, added, edited, switched off and tried out."""

import pytest
from django.test import Client

from audit.models import AuditEntry
from moderation import services
from moderation.models import WatchedWord
from moderation.screening import screen_text

pytestmark = pytest.mark.django_db

URL = "/moderation/watched-words/"


def _add(client, **data):
    return client.post(URL, {"intent": "add", "kind": "phrase", "action": "flag", **data})


def test_staff_get_in(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "Watched words" in response.content.decode()


@pytest.mark.parametrize("who", ["member_client", "moderator_client", "teen_client"])
def test_members_and_moderators_are_refused(request, who):
    client = request.getfixturevalue(who)
    words = WatchedWord.objects.count()
    assert client.get(URL).status_code == 403
    assert _add(client, pattern="sneaky phrase").status_code == 403
    assert WatchedWord.objects.count() == words


def test_a_visitor_is_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_add_a_phrase_and_it_screens_at_once(staff_client, staff):
    response = _add(staff_client, pattern="Purple monkey", action="block", note="Please leave the monkeys out.")
    assert response.status_code == 302
    word = WatchedWord.objects.get(pattern="Purple monkey")
    assert (word.action, word.note, word.created_by) == ("block", "Please leave the monkeys out.", staff)
    assert AuditEntry.objects.filter(action=services.WatchedWordAudit.ADD, actor=staff).count() == 1
    assert screen_text("a purple MONKEY!").block_reason == "Please leave the monkeys out."
    page = staff_client.get(response["Location"]).content.decode()
    assert "is now on the list" in page


def test_an_invalid_pattern_is_shown_next_to_the_field_and_nothing_is_saved(staff_client):
    words = WatchedWord.objects.count()
    response = _add(staff_client, kind="regex", pattern="(a+)+b")
    assert response.status_code == 200
    page = response.content.decode()
    assert "could be very slow" in page
    assert 'id="id_pattern_error"' in page
    assert WatchedWord.objects.count() == words


def test_a_missing_pattern_is_refused_kindly(staff_client):
    response = _add(staff_client, pattern="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_staff_edit_an_entry(staff_client, staff):
    word = services.add_watched_word(actor=staff, kind="phrase", pattern="blue whale", action="flag")
    page = staff_client.get(f"{URL}{word.pk}/").content.decode()
    assert "blue whale" in page
    response = staff_client.post(
        f"{URL}{word.pk}/",
        {"kind": "phrase", "pattern": "blue whale", "action": "hold", "note": "", "label": "", "is_active": "on"},
    )
    assert response.status_code == 302
    word.refresh_from_db()
    assert word.action == "hold"
    assert screen_text("blue whale").action == "hold"
    assert AuditEntry.objects.filter(action=services.WatchedWordAudit.CHANGE).count() == 1


def test_an_edit_to_a_duplicate_is_refused(staff_client, staff):
    services.add_watched_word(actor=staff, kind="phrase", pattern="blue whale", action="flag")
    other = services.add_watched_word(actor=staff, kind="phrase", pattern="grey whale", action="flag")
    response = staff_client.post(
        f"{URL}{other.pk}/", {"kind": "phrase", "pattern": "Blue... whale", "action": "flag", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "already on the list" in response.content.decode()
    other.refresh_from_db()
    assert other.pattern == "grey whale"


def test_staff_switch_an_entry_off_and_on(staff_client, staff):
    word = services.add_watched_word(actor=staff, kind="phrase", pattern="blue whale", action="flag")
    assert staff_client.post(f"{URL}{word.pk}/active/", {"active": "0"}).status_code == 302
    word.refresh_from_db()
    assert not word.is_active
    assert screen_text("blue whale").action is None
    staff_client.post(f"{URL}{word.pk}/active/", {"active": "1"})
    assert screen_text("blue whale").action == "flag"


def test_switching_is_post_only(staff_client, staff):
    word = services.add_watched_word(actor=staff, kind="phrase", pattern="blue whale", action="flag")
    assert staff_client.get(f"{URL}{word.pk}/active/").status_code == 405


def test_an_unknown_entry_is_404(staff_client):
    assert staff_client.get(f"{URL}999999/").status_code == 404
    assert staff_client.post(f"{URL}999999/active/", {"active": "0"}).status_code == 404


def test_try_a_sentence_shows_what_would_happen_and_stores_nothing(staff_client):
    audits = AuditEntry.objects.count()
    response = staff_client.post(URL, {"intent": "try", "text": "I want to end it all"})
    page = response.content.decode()
    assert "Screening would <strong>crisis</strong>" in page
    assert AuditEntry.objects.count() == audits
    page = staff_client.post(URL, {"intent": "try", "text": "Lovely weather today"}).content.decode()
    assert "Nothing on the list matches" in page


def test_the_list_can_be_filtered_by_action(staff_client, staff):
    services.add_watched_word(actor=staff, kind="phrase", pattern="blue whale", action="flag")
    page = staff_client.get(URL + "?action=flag").content.decode()
    assert "blue whale" in page
    assert "Crisis: wish to be dead" not in page
    assert "Crisis: wish to be dead" in staff_client.get(URL + "?action=crisis").content.decode()


def test_the_list_page_query_count_does_not_grow_with_entries(staff_client, staff, django_assert_num_queries):
    staff_client.get(URL)  # sessions, MFA state and the like settle on the first request
    with django_assert_num_queries(6) as first:
        staff_client.get(URL)
    for n in range(15):
        services.add_watched_word(actor=staff, kind="phrase", pattern=f"extra phrase number {n}", action="flag")
    with django_assert_num_queries(len(first.captured_queries)):
        staff_client.get(URL)

"""The member's own space at /me/: display name (sign-up rules, a rate limit), bio, privacy settings, time zone,
and the links to the account pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import NAME_CHANGES_ALLOWED, MentionPolicy, NameChange, User
from members.naming import register_name_screen, unregister_name_screen
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rename(client, name):
    return client.post("/me/", {"form": "name", "display_name": name})


def test_the_header_leads_members_to_their_space(member_client):
    page = member_client.get("/").content.decode()
    assert 'href="/me/"' in page and "Your space" in page


def test_the_page_shows_name_tenure_and_the_account_links(member_client, member):
    response = member_client.get("/me/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Sam"' in page and f"Member since {member.date_joined:%B %Y}" in page
    for address in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/"):
        assert f'href="{address}"' in page
    assert 'href="/me/export/"' in page and 'href="/me/delete/"' in page
    assert 'href="/notifications/email/"' in page


def test_changing_the_display_name(member_client, member):
    response = _rename(member_client, "  Sam   River ")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Sam River"
    assert "Your display name is now Sam River." in member_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("S", "Please use 3 to 30 letters"),
        ("Jordan", "That name is already taken"),
        ("jORDAN", "That name is already taken"),
        ("Clinic Helper", "could be mistaken for the clinic team"),
        ("Former member 12", "kept for accounts that were closed"),
    ],
)
def test_a_name_is_held_to_the_sign_up_rules(member_client, member, member2, name, message):
    response = _rename(member_client, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Sam"
    assert not NameChange.objects.exists()


def test_watched_words_screen_a_new_name(member_client, member):
    def screen(text):
        return "Please choose a kinder name." if "grumpy" in text.lower() else None

    register_name_screen(screen)
    try:
        response = _rename(member_client, "Grumpy Gus")
    finally:
        unregister_name_screen(screen)
    assert "Please choose a kinder name." in response.content.decode()
    assert User.objects.get(pk=member.pk).display_name == "Sam"


def test_the_name_may_change_three_times_in_thirty_days_then_says_when(member_client, member):
    for n in range(NAME_CHANGES_ALLOWED):
        assert _rename(member_client, f"Sam {n + 2}").status_code == 302
    response = _rename(member_client, "Sam again")
    page = response.content.decode()
    assert response.status_code == 400
    assert "changed your display name several times lately" in page and "You can change it again from" in page
    assert User.objects.get(pk=member.pk).display_name == f"Sam {NAME_CHANGES_ALLOWED + 1}"
    # The page says so before the member tries, too.
    assert "You can change it again from" in member_client.get("/me/").content.decode()


def test_older_changes_no_longer_count(member_client, member):
    long_ago = timezone.now() - timedelta(days=31)
    NameChange.objects.bulk_create([NameChange(user=member, changed_at=long_ago) for _ in range(NAME_CHANGES_ALLOWED)])
    assert _rename(member_client, "Sam Anew").status_code == 302


def test_the_same_name_again_costs_no_change(member_client, member):
    assert _rename(member_client, "Sam").status_code == 302
    assert not NameChange.objects.exists()


def test_a_short_bio_shows_on_the_profile(member_client, member2_client, member):
    member_client.post("/me/", {"form": "profile", "bio": "Gardener, dog walker,\nearly riser."})
    page = member2_client.get(f"/members/{member.pk}/").content.decode()
    assert "Gardener, dog walker,<br>early riser." in page


def test_a_bio_too_long_is_refused_and_nothing_saved(member_client, member):
    response = member_client.post("/me/", {"form": "profile", "bio": "x" * 301})
    assert response.status_code == 400
    assert "Please keep your bio to 300 characters or fewer." in response.content.decode()
    assert User.objects.get(pk=member.pk).bio == ""


def test_settings_start_private_and_can_be_turned_on(member_client, member):
    assert (member.show_presence, member.show_milestones) == (False, False)
    response = member_client.post(
        "/me/",
        {
            "form": "settings",
            "show_presence": "on",
            "mention_policy": MentionPolicy.NOBODY,
            "show_milestones": "on",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.show_presence, member.mention_policy, member.show_milestones, member.time_zone) == (
        True,
        MentionPolicy.NOBODY,
        True,
        "Europe/Berlin",
    )
    # Unticked boxes turn them off again; an empty zone is the clinic's.
    member_client.post("/me/", {"form": "settings", "mention_policy": MentionPolicy.EVERYONE, "time_zone": ""})
    member.refresh_from_db()
    assert (member.show_presence, member.show_milestones, member.time_zone) == (False, False, "")


def test_an_unknown_time_zone_or_policy_is_refused(member_client, member):
    response = member_client.post(
        "/me/", {"form": "settings", "mention_policy": "strangers", "time_zone": "Mars/Olympus"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please choose a time zone from the list." in page
    member.refresh_from_db()
    assert (member.mention_policy, member.time_zone) == (MentionPolicy.EVERYONE, "")


def test_another_member_cannot_change_my_settings(member_client, member2):
    # There is no address that names a member: /me/ is always the one signed in.
    member_client.post("/me/", {"form": "profile", "bio": "mine"})
    assert User.objects.get(pk=member2.pk).bio == ""


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_applicant_keeps_the_account_link(applicant_client):
    page = applicant_client.get("/welcome/").content.decode()
    assert 'href="/accounts/email/"' in page and 'href="/me/"' not in page


def test_the_name_rules_hold_for_a_teen_too(teen_client, teen_member):
    UserFactory(display_name="Quinn")
    assert _rename(teen_client, "quinn").status_code == 400


def test_the_page_costs_the_same_however_many_members_are_blocked(member_client, member, django_assert_num_queries):
    from members.models import Block

    member_client.get("/me/")
    Block.objects.create(blocker=member, blocked=UserFactory())
    with django_assert_num_queries(QUERIES_FOR_ME) as one:
        member_client.get("/me/")
    Block.objects.bulk_create([Block(blocker=member, blocked=UserFactory()) for _ in range(4)])
    with django_assert_num_queries(len(one.captured_queries)):
        page = member_client.get("/me/").content.decode()
    assert page.count("Unblock") >= 5


# Session, member, name changes (the rate limit), MFA state, the header's notices, roles, the blocked list.
QUERIES_FOR_ME = 7

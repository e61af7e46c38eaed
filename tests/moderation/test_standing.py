"""/my-standing/: "Your account", where a member reads every decision about them, in their words."""

import pytest

from moderation import services

pytestmark = pytest.mark.django_db

URL = "/my-standing/"


def test_nothing_on_record(member_client):
    response = member_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing here: your account is in good standing" in page
    assert "Sign out" in page and "tel:988" in page and "1-800-662-4357" in page


def test_sanctions_in_force_and_past_in_the_members_words(moderator, member, member_client):
    services.issue_sanction(member=member, kind="warning", actor=moderator, reason="Please keep it kind")
    mute = services.issue_sanction(member=member, kind="mute", actor=moderator, reason="Heated thread", hours=5)
    page = member_client.get(URL).content.decode()
    assert "In force now" in page and "Read-only: you can read but not post" in page and "Heated thread" in page
    assert "A warning" in page and "Please keep it kind" in page
    # Which moderator acted is not shown to the member.
    assert moderator.display_name not in page
    services.lift_sanction(sanction=mute, actor=moderator, reason="Calmer now")
    page = member_client.get(URL).content.decode()
    assert "In force now" not in page and "A moderator lifted it" in page


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_banned_member_can_read_and_appeal(moderator, member, member_client):
    ban = services.issue_sanction(member=member, kind="ban", actor=moderator, reason="Threats of violence")
    page = member_client.get(URL).content.decode()
    assert "Banned" in page and "until a moderator lifts it" in page and "Threats of violence" in page
    assert f"/my-standing/appeal/sanction/{ban.pk}/" in page
    response = member_client.post(f"/my-standing/appeal/sanction/{ban.pk}/", {"message": "Please hear me out."})
    assert response.status_code == 302
    page = member_client.get(response["Location"]).content.decode()
    assert "Your appeal is with the moderators" in page and "You appealed" in page

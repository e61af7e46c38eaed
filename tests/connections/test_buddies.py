"""Buddies: asking, a quiet "no", ending quietly, nudges, and the teen and adult line."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connections import permissions, selectors, services
from connections.models import BuddyRequest, Buddyship, Nudge
from members.services import block_member
from notifications.models import Notification
from tests.factories import UserFactory

from .conftest import make_buddies

pytestmark = pytest.mark.django_db


def test_a_member_asks_and_the_other_accepts(member, member2, member_client, client_for):
    response = member_client.post(f"/connections/buddies/ask/{member2.pk}/", follow=True)
    assert "Your request is on its way to Jordan" in response.text
    notice = Notification.objects.get(recipient=member2)
    assert notice.kind == "connections_buddy_request"
    assert notice.text == "A member asked you to be accountability buddies"

    jordan = client_for(member2)
    page = jordan.get("/connections/buddies/").text
    assert "Sam" in page and "would like to be accountability buddies" in page
    request = BuddyRequest.objects.get()
    response = jordan.post(f"/connections/buddies/requests/{request.pk}/accept/", follow=True)
    assert "You and Sam are now buddies." in response.text
    assert selectors.are_buddies(member, member2)
    assert Notification.objects.filter(recipient=member, kind="connections_buddy_accepted").exists()
    assert "Jordan" in member_client.get("/connections/buddies/").text


def test_asking_by_display_name_finds_only_members_one_can_reach(member, member2, teen_member, member_client):
    response = member_client.post("/connections/buddies/ask/", {"display_name": "jordan"}, follow=True)
    assert "Your request is on its way to Jordan" in response.text
    # A teen is not there for an adult: the same answer as a name nobody has.
    for name in (teen_member.display_name, "Nobody by this name"):
        response = member_client.post("/connections/buddies/ask/", {"display_name": name})
        assert response.status_code == 400
        assert "find a member with that display name" in response.text
    assert BuddyRequest.objects.count() == 1


def test_declining_tells_the_asker_nothing_beyond_pending(member, member2, member_client, client_for):
    request = services.ask_buddy(asker=member, member=member2)
    before = Notification.objects.filter(recipient=member).count()
    client_for(member2).post(f"/connections/buddies/requests/{request.pk}/decline/")
    request.refresh_from_db()
    assert request.state == BuddyRequest.State.DECLINED
    assert Notification.objects.filter(recipient=member).count() == before
    page = member_client.get("/connections/buddies/").text
    assert "Jordan: pending" in page
    # Asking again changes nothing and still says pending.
    response = member_client.post(f"/connections/buddies/ask/{member2.pk}/", follow=True)
    assert "your request is pending" in response.text
    assert BuddyRequest.objects.count() == 1
    assert "would like to be accountability buddies" not in client_for(member2).get("/connections/buddies/").text


def test_requests_fade_silently_after_thirty_days(member, member2, member_client):
    request = services.ask_buddy(asker=member, member=member2)
    BuddyRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert "Jordan: pending" not in member_client.get("/connections/buddies/").text
    assert not selectors.requests_received(member2).exists()
    # And the asker may ask again.
    services.ask_buddy(asker=member, member=member2)
    assert BuddyRequest.objects.filter(state=BuddyRequest.State.PENDING).count() == 1


def test_asking_someone_who_asked_you_makes_you_buddies(member, member2):
    services.ask_buddy(asker=member2, member=member)
    result = services.ask_buddy(asker=member, member=member2)
    assert isinstance(result, Buddyship)
    assert selectors.are_buddies(member, member2)


def test_buddies_never_cross_the_teen_and_adult_line(member, teen_member, staff, member_client, client_for):
    # An adult cannot even find the teen: 404, nothing stored.
    assert member_client.post(f"/connections/buddies/ask/{teen_member.pk}/").status_code == 404
    # Nor the teen the adult member.
    assert client_for(teen_member).post(f"/connections/buddies/ask/{member.pk}/").status_code == 404
    # A teen-cleared staff member can see the teen, and is still refused.
    assert not permissions.can_ask_buddy(staff, teen_member)
    response = client_for(staff).post(f"/connections/buddies/ask/{teen_member.pk}/", follow=True)
    assert "Buddies are always both teens or both adults" in response.text
    with pytest.raises(services.ConnectionsError):
        services.ask_buddy(asker=staff, member=teen_member)
    assert not BuddyRequest.objects.exists()
    assert not Buddyship.objects.exists()


def test_teens_can_be_buddies_with_teens(teen_member, teen2, client_for):
    response = client_for(teen_member).post(f"/connections/buddies/ask/{teen2.pk}/", follow=True)
    assert "Your request is on its way to Casey" in response.text


def test_a_buddy_who_crosses_the_age_line_is_no_longer_shown(member, member2):
    make_buddies(member, member2)
    member2.year_of_birth = timezone.localdate().year - 15  # staff corrected the year of birth
    member2.save(update_fields=["year_of_birth"])
    assert not selectors.are_buddies(member, member2)


def test_a_block_hides_a_buddy_and_refuses_a_request(member, member2, member_client):
    make_buddies(member, member2)
    block_member(blocker=member2, blocked=member)
    assert "Jordan" not in member_client.get("/connections/buddies/").text
    assert member_client.get(f"/connections/buddies/{member2.pk}/").status_code == 404
    assert member_client.post(f"/connections/buddies/{member2.pk}/nudge/").status_code == 404
    other = UserFactory(display_name="Taylor")
    block_member(blocker=other, blocked=member)
    assert member_client.post(f"/connections/buddies/ask/{other.pk}/").status_code == 404


def test_ending_is_quiet(member, member2, member_client, client_for):
    make_buddies(member, member2)
    before = Notification.objects.filter(recipient=member2).count()
    response = member_client.post(f"/connections/buddies/{member2.pk}/end/", follow=True)
    assert "no longer buddies" in response.text
    assert Notification.objects.filter(recipient=member2).count() == before
    assert not selectors.are_buddies(member, member2)
    assert "Sam" not in client_for(member2).get("/connections/buddies/").text
    assert Buddyship.objects.get().ended_at is not None  # kept, ended


def test_a_nudge_is_discreet_and_rate_limited(member, member2, member_client, client_for):
    make_buddies(member, member2)
    response = member_client.post(f"/connections/buddies/{member2.pk}/nudge/", follow=True)
    assert "Nudge sent." in response.text
    notice = Notification.objects.get(recipient=member2, kind="connections_nudge")
    assert notice.text == "A buddy is thinking of you"
    assert "Sam is thinking of you" in client_for(member2).get("/connections/buddies/").text

    response = member_client.post(f"/connections/buddies/{member2.pk}/nudge/", follow=True)
    assert "You sent Jordan a nudge not long ago. You can send another in about 12 hours." in response.text
    assert Nudge.objects.count() == 1
    assert Notification.objects.filter(recipient=member2, kind="connections_nudge").count() == 1

    Nudge.objects.update(created_at=timezone.now() - timedelta(hours=13))
    member_client.post(f"/connections/buddies/{member2.pk}/nudge/")
    assert Nudge.objects.count() == 2


def test_only_buddies_can_nudge(member, member2, member_client):
    assert member_client.post(f"/connections/buddies/{member2.pk}/nudge/").status_code == 404
    assert member_client.get(f"/connections/buddies/{member2.pk}/").status_code == 404
    assert not Nudge.objects.exists()


def test_answering_someone_elses_request_is_404(member, member2, member_client):
    third = UserFactory(display_name="Taylor")
    request = services.ask_buddy(asker=member2, member=third)
    assert member_client.post(f"/connections/buddies/requests/{request.pk}/accept/").status_code == 404
    assert member_client.post(f"/connections/buddies/requests/{request.pk}/decline/").status_code == 404
    request.refresh_from_db()
    assert request.state == BuddyRequest.State.PENDING


def _profile_buttons(viewer, member) -> str:
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = viewer
    return Template("{% load connections %}{% buddy_actions member %}").render(
        Context({"request": request, "member": member})
    )


def test_the_profile_buttons_follow_the_same_rules(member, member2, teen_member, staff):
    assert "Ask to be buddies" in _profile_buttons(member, member2)
    assert "Message privately" not in _profile_buttons(member, member2)
    services.ask_buddy(asker=member, member=member2)
    assert "pending" in _profile_buttons(member, member2)
    assert "asked to be your buddy" in _profile_buttons(member2, member)
    services.ask_buddy(asker=member2, member=member)  # asking back says yes
    html = _profile_buttons(member, member2)
    assert "You and Jordan are buddies" in html and "Message privately" in html
    # Across the line: nothing to press, even for teen-cleared staff; the team can always be written to.
    assert _profile_buttons(staff, teen_member).strip() == ""
    assert "Message privately" in _profile_buttons(member, staff)
    assert "Ask to be buddies" not in _profile_buttons(member, member)

"""Members report a post, a message or a member: one form, one rule, with or without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from moderation import adapters, services
from moderation.models import Flag, ReviewItem
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _url(kind, pk, query=""):
    return f"/report/{kind}/{pk}/{query}"


def test_the_form_previews_the_thing_and_puts_crisis_first(things, member2, member_client):
    thing = things.add(author=member2, text="Anyone selling? DM me")
    response = member_client.get(_url("thing", thing.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Anyone selling? DM me" in page and "Test thing" in page and "Test room" in page
    reasons = ["Someone may be in crisis", "Harassment or bullying", "Sourcing or promoting substances", "Spam"]
    positions = [page.index(r) for r in reasons]
    assert positions == sorted(positions)
    assert 'type="radio"' in page and "Harmful or unsafe" not in page
    assert "never learns who sent it" in page


def test_a_report_is_stored_with_a_snapshot_and_the_member_thanked(things, member, member2, member_client):
    thing = things.add(author=member2, text="Anyone selling? DM me")
    response = member_client.post(_url("thing", thing.pk), {"reason": "substances", "note": "Sourcing"})
    assert response.status_code == 302 and response["Location"] == f"/things/{thing.pk}/"
    flag = Flag.objects.get()
    assert (flag.reporter, flag.target_author, flag.reason, flag.note) == (member, member2, "substances", "Sourcing")
    assert flag.snapshot == "Anyone selling? DM me"
    things.texts[thing.pk] = "Edited away"
    assert ReviewItem.objects.get().snapshot == "Anyone selling? DM me"
    # The thank-you is shown on the next page.
    page = member_client.get("/my-standing/").content.decode()
    assert "Thank you. A moderator will look at it; we will let you know when they have." in page
    # The reported member hears nothing of it.
    assert not Notification.objects.filter(recipient=member2).exists()


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/chat/general/", "/chat/general/"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_next_must_be_a_local_address(things, member2, member_client, next_url, expected):
    thing = things.add(author=member2)
    response = member_client.post(_url("thing", thing.pk), {"reason": "spam", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == (expected or f"/things/{thing.pk}/")


def test_no_reason_chosen_is_shown_on_the_form(things, member2, member_client):
    thing = things.add(author=member2)
    response = member_client.post(_url("thing", thing.pk), {"note": "hmm"})
    assert response.status_code == 400
    assert "Please choose what the concern is." in response.content.decode()
    assert not Flag.objects.exists()


def test_reporting_ones_own_writing_or_profile_is_refused_kindly(things, member, member_client):
    mine = things.add(author=member)
    response = member_client.post(_url("thing", mine.pk), {"reason": "spam"})
    assert response.status_code == 400
    assert "This is your own, so there is nothing to report" in response.content.decode()
    response = member_client.post(_url("member", member.pk), {"reason": "other"})
    assert response.status_code == 400
    assert "You cannot report yourself" in response.content.decode()
    assert not Flag.objects.exists() and not ReviewItem.objects.exists()


def test_reporting_the_same_thing_twice(things, member2, member_client):
    thing = things.add(author=member2)
    member_client.post(_url("thing", thing.pk), {"reason": "spam"})
    response = member_client.post(_url("thing", thing.pk), {"reason": "spam"})
    assert response.status_code == 400
    assert "You have already reported this" in response.content.decode()
    assert Flag.objects.count() == 1


def test_too_many_reports_are_refused_kindly(things, member2, member_client, settings):
    settings.MODERATION_REPORTS_PER_HOUR = 2
    targets = [things.add(author=member2) for _ in range(3)]
    for thing in targets[:2]:
        assert member_client.post(_url("thing", thing.pk), {"reason": "spam"}).status_code == 302
    response = member_client.post(_url("thing", targets[2].pk), {"reason": "spam"})
    assert response.status_code == 400
    assert "please wait a while before sending another" in response.content.decode()
    assert Flag.objects.count() == 2


@pytest.mark.parametrize("kind", ["thing", "member", "nonsense"])
def test_what_the_member_cannot_see_is_not_found(things, member_client, teen_member, kind):
    teen_thing = things.add(author=teen_member, teen=True)
    target = {"thing": teen_thing.pk, "member": teen_member.pk, "nonsense": 1}[kind]
    assert member_client.get(_url(kind, target)).status_code == 404
    assert member_client.post(_url(kind, target), {"reason": "spam"}).status_code == 404
    assert member_client.get(_url("thing", 999999)).status_code == 404
    assert not Flag.objects.exists()


def test_a_member_can_be_reported_from_their_profile(member, member2, member_client):
    response = member_client.get(_url("member", member2.pk, f"?next=/members/{member2.pk}/"))
    assert response.status_code == 200 and f"Display name: {member2.display_name}" in response.content.decode()
    response = member_client.post(
        _url("member", member2.pk), {"reason": "harassment", "next": f"/members/{member2.pk}/"}
    )
    assert response.status_code == 302
    item = ReviewItem.objects.get()
    assert (item.kind, item.target_author, item.in_teen_space) == ("member", member2, False)


def test_a_crisis_report_opens_an_urgent_item_and_alerts_on_call_once(
    things, member2, member_client, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.COMMUNITY_ONCALL_EMAILS = ["oncall@clinic.example"]
    thing = things.add(author=member2, text="I don't see the point any more")
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(_url("thing", thing.pk), {"reason": "crisis"})
    assert ReviewItem.objects.get().urgent
    assert len(mail.outbox) == 1


def test_auto_hide_after_three_reports_from_established_members(things, member2, client_for, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    settings.MODERATION_AUTO_HIDE_TENURE_DAYS = 7
    thing = things.add(author=member2, text="Something nasty")
    long_ago = timezone.now() - timedelta(days=30)
    newcomer = UserFactory()  # approved today: does not count towards hiding
    established = [UserFactory(approved_at=long_ago) for _ in range(3)]
    for reporter in [newcomer, *established[:2]]:
        client_for(reporter).post(_url("thing", thing.pk), {"reason": "harassment"})
    assert things.states[thing.pk] == adapters.VISIBLE
    client_for(established[2]).post(_url("thing", thing.pk), {"reason": "harassment"})
    assert things.states[thing.pk] == adapters.HIDDEN
    item = ReviewItem.objects.get()
    assert item.hidden_pending_review and item.is_open
    assert AuditEntry.objects.filter(action=AuditAction.AUTO_HIDE, actor=None).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.HIDE_POST, actor=None).count() == 1


def test_a_muted_member_can_still_report_harm(things, member, member2, moderator, member_client):
    services.issue_sanction(member=member, kind="mute", actor=moderator, reason="Cool off", hours=2)
    thing = things.add(author=member2)
    response = member_client.post(_url("thing", thing.pk), {"reason": "harassment"})
    assert response.status_code == 302
    assert Flag.objects.get().reporter == member


def test_visitors_and_applicants_cannot_report(things, member2, client, applicant_client):
    thing = things.add(author=member2)
    assert client.post(_url("thing", thing.pk), {"reason": "spam"}).status_code == 302
    assert applicant_client.post(_url("thing", thing.pk), {"reason": "spam"}).status_code == 302
    assert not Flag.objects.exists()

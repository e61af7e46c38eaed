"""Reach out now: crisis lines at once, on-duty supporters and moderators alerted, the first answer opens a private
conversation and the wait is recorded; staff see response times; peer supporters are granted with an audit row."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from chat.models import Room
from connections import selectors, services
from connections.models import SupportRequest
from notifications.models import Notification
from tests.factories import UserFactory, enable_totp, teen_year

pytestmark = pytest.mark.django_db


def _alerted(kind="connections_support"):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__display_name", flat=True))


def test_the_support_page_shows_the_crisis_lines_at_once(member_client):
    page = member_client.get("/support/").text
    assert "988" in page and "I need support now" in page
    assert 'href="tel:911"' in page


def test_a_request_alerts_on_duty_supporters_and_moderators_only(
    member, member_client, peer_supporter, moderator, staff, django_capture_on_commit_callbacks
):
    off_duty = UserFactory(display_name="Off duty helper")
    services.grant_peer_supporter(member=off_duty, actor=staff)
    services.set_on_duty(supporter=peer_supporter, on_duty=True)
    teen_supporter = UserFactory(display_name="Teen helper", year_of_birth=teen_year())
    services.grant_peer_supporter(member=teen_supporter, actor=staff)
    services.set_on_duty(supporter=teen_supporter, on_duty=True)
    UserFactory(display_name="Bystander")

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/support/ask/", follow=True)
    assert "let the supporters on duty know" in response.text
    assert "988" in response.text  # the lines stay on the page
    assert _alerted() == {"Robin helper", "Alex mod", "Dana team"}
    notice = Notification.objects.filter(kind="connections_support").first()
    assert notice.text == "Someone needs support now"
    # And by email (each as their email settings say; right away by default), discreetly: no name, no words of
    # theirs (tests/email_guard.py reads every email a test sends).
    assert peer_supporter.email in {address for email in mail.outbox for address in email.to}
    # Pressing again while it is open alerts nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/support/ask/")
    assert SupportRequest.objects.count() == 1
    assert Notification.objects.filter(kind="connections_support").count() == 3


def test_a_teens_request_reaches_teen_supporters_only(teen_member, staff, django_capture_on_commit_callbacks):
    adult_helper = UserFactory(display_name="Adult helper")
    teen_helper = UserFactory(display_name="Teen helper", year_of_birth=teen_year())
    for helper in (adult_helper, teen_helper):
        services.grant_peer_supporter(member=helper, actor=staff)
        services.set_on_duty(supporter=helper, on_duty=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_support(member=teen_member)
    assert _alerted() == {"Teen helper"}


def test_the_first_supporter_to_answer_opens_a_conversation_and_the_wait_is_recorded(
    member, peer_supporter, moderator, client_for
):
    services.set_on_duty(supporter=peer_supporter, on_duty=True)
    request = services.request_support(member=member)
    SupportRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(minutes=3))

    helper = client_for(peer_supporter)
    assert "Sam asked for support" in helper.get("/support/").text
    response = helper.post(f"/support/requests/{request.pk}/answer/")
    room = Room.objects.get(kind=Room.Kind.PRIVATE)
    assert response["Location"] == room.get_absolute_url()
    request.refresh_from_db()
    assert request.answered_by == peer_supporter and request.room == room
    assert timedelta(minutes=3) <= request.wait < timedelta(minutes=4)
    # The member is told, and their page links to the conversation.
    assert Notification.objects.filter(recipient=member, kind="connections_support_answered").exists()
    assert room.get_absolute_url() in client_for(member).get("/support/").text
    assert client_for(member).get("/support/status/").json() == {"state": "answered", "url": room.get_absolute_url()}

    # A second supporter is told kindly that someone is already there; nothing changes.
    response = client_for(moderator).post(f"/support/requests/{request.pk}/answer/", follow=True)
    assert "Someone is already with them." in response.text
    request.refresh_from_db()
    assert request.answered_by == peer_supporter
    assert Room.objects.filter(kind=Room.Kind.PRIVATE).count() == 1


def test_two_supporters_answering_at_once_cannot_both_win(member, peer_supporter, moderator):
    services.set_on_duty(supporter=peer_supporter, on_duty=True)
    request = services.request_support(member=member)
    stale = SupportRequest.objects.get(pk=request.pk)  # the second supporter's page loaded it before the first answered
    services.answer_support_request(support_request=request, supporter=peer_supporter)
    with pytest.raises(services.AlreadyAnswered):
        services.answer_support_request(support_request=stale, supporter=moderator)


def test_only_on_duty_supporters_and_moderators_may_answer(member, member2, peer_supporter, client_for):
    request = services.request_support(member=member)
    assert client_for(member2).post(f"/support/requests/{request.pk}/answer/").status_code == 404
    assert client_for(peer_supporter).post(f"/support/requests/{request.pk}/answer/").status_code == 404  # off duty
    assert client_for(member).post(f"/support/requests/{request.pk}/answer/").status_code == 404
    assert SupportRequest.objects.get().answered_at is None


def test_the_member_can_say_they_are_all_right(member, member2, member_client, client_for):
    request = services.request_support(member=member)
    assert member_client.get("/support/status/").json() == {"state": "waiting"}
    assert client_for(member2).post(f"/support/requests/{request.pk}/close/").status_code == 404
    member_client.post(f"/support/requests/{request.pk}/close/")
    assert not selectors.is_open(SupportRequest.objects.get())
    assert member_client.get("/support/status/").json() == {"state": "none"}


def test_the_alert_leaves_other_supporters_lists_once_answered(member, peer_supporter, moderator, client_for):
    from notifications.registry import resolve

    services.set_on_duty(supporter=peer_supporter, on_duty=True)
    request = services.request_support(member=member)
    from connections.tasks import alert_support_responders

    alert_support_responders.call(support_request_id=request.pk)
    notice = Notification.objects.get(recipient=moderator, kind="connections_support")
    assert resolve(moderator, [notice])[0].text == "Someone needs support now"
    services.answer_support_request(support_request=request, supporter=peer_supporter)
    assert resolve(moderator, [notice]) == [None]


def test_going_on_duty_is_for_peer_supporters(member_client, peer_supporter, client_for):
    assert member_client.post("/support/duty/", {"on": "1"}).status_code == 403
    client_for(peer_supporter).post("/support/duty/", {"on": "1"})
    assert selectors.is_on_duty(peer_supporter)
    client_for(peer_supporter).post("/support/duty/", {"on": "0"})
    assert not selectors.is_on_duty(peer_supporter)


def test_staff_grant_and_remove_the_peer_supporter_role_with_an_audit_row(member, staff, moderator, client_for):
    staff_client = client_for(staff)
    response = staff_client.post("/support/supporters/", {"display_name": "sam", "reason": "Trained in May"})
    assert response.status_code == 302
    assert selectors.peer_supporters_for_staff(staff).filter(pk=member.pk).exists()
    row = AuditEntry.objects.get(action=AuditAction.GRANT_PEER_SUPPORTER)
    assert row.actor == staff and row.target_id == str(member.pk) and row.reason == "Trained in May"
    assert row.changes == {"peer_supporter": [False, True]}

    staff_client.post(f"/support/supporters/{member.pk}/remove/", {"reason": "Stepped back"})
    assert AuditEntry.objects.filter(action=AuditAction.REVOKE_PEER_SUPPORTER, actor=staff).exists()
    assert not selectors.peer_supporters_for_staff(staff).filter(pk=member.pk).exists()
    # A second removal is a no-op: no second row.
    assert staff_client.post(f"/support/supporters/{member.pk}/remove/").status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.REVOKE_PEER_SUPPORTER).count() == 1
    # Moderators may do it too; members may not.
    assert client_for(moderator).get("/support/supporters/").status_code == 200
    assert client_for(member).get("/support/supporters/").status_code == 403


def test_an_unknown_name_is_refused_without_a_change(staff, client_for):
    response = client_for(staff).post("/support/supporters/", {"display_name": "Nobody"})
    assert response.status_code == 400
    assert "No member you can see has that display name." in response.text
    assert not AuditEntry.objects.filter(action=AuditAction.GRANT_PEER_SUPPORTER).exists()


def test_staff_see_response_times_on_the_moderation_dashboard(member, member2, staff, moderator, client_for):
    now = timezone.now()
    for minutes in (2, 4, 30):
        asker = UserFactory()
        request = services.request_support(member=asker)
        SupportRequest.objects.filter(pk=request.pk).update(
            created_at=now - timedelta(hours=1), answered_at=now - timedelta(hours=1) + timedelta(minutes=minutes)
        )
    services.request_support(member=member)  # waiting
    old = services.request_support(member=member2)
    SupportRequest.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=9), answered_at=now)

    times = selectors.response_times()
    assert times["asked"] == 4 and times["answered"] == 3
    assert times["median"] == timedelta(minutes=4) and times["slowest"] == timedelta(minutes=30)
    page = client_for(staff).get("/moderation/").text
    assert "Support requests this week" in page
    assert "4 minutes" in page and "30 minutes" in page
    # Figures only, never who asked.
    assert member.display_name not in page.split("Support requests this week")[1].split("</section>")[0]
    # A moderator without the staff role sees the queue without it.
    assert "Support requests this week" not in client_for(moderator).get("/moderation/").text


def test_a_moderator_who_has_not_set_up_mfa_is_alerted_as_a_member_would_be(
    member, staff, django_capture_on_commit_callbacks
):
    from members.models import Role

    UserFactory(display_name="New mod", roles=[Role.MEMBER, Role.MODERATOR])  # no second factor yet
    ready = UserFactory(display_name="Ready mod", roles=[Role.MEMBER, Role.MODERATOR])
    enable_totp(ready)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_support(member=member)
    assert _alerted() == {"Ready mod", "Dana team"}

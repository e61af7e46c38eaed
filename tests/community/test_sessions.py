from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from members.services import deactivate_member


def test_sessions_last_two_weeks_idle_and_are_refreshed_by_a_visit(member_client, member):
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    member_client.get("/")
    session = Session.objects.get()
    assert timedelta(days=13, hours=23) < session.expire_date - timezone.now() <= timedelta(days=14)
    # A visit on a later day moves the expiry forward.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(days=2))
    s = member_client.session
    s["_seen_day"] = "2000-01-01"
    s.save()
    member_client.get("/")
    assert Session.objects.get().expire_date - timezone.now() > timedelta(days=13)


def test_deactivated_member_is_signed_out_at_once(member_client, member, staff):
    assert member_client.get("/").status_code == 200
    deactivate_member(member=member, actor=staff, reason="left the community")
    response = member_client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

"""The unsubscribe link: one click in a mail program (RFC 8058 POST, no session, no CSRF token) stops that kind of
email; opening the link only asks (link scanners open every link); a changed link is refused, changing nothing."""

import re

import pytest
from django.core import mail
from django.test import Client

from notifications.kinds import ALL, KindGroup
from notifications.selectors import preferences_for
from notifications.services import notify, set_email_preferences
from notifications.tokens import make_unsubscribe_token

from .conftest import HOST


def _url(user, group="mentions") -> str:
    return f"/notifications/unsubscribe/{make_unsubscribe_token(user_id=user.pk, group=group)}/"


@pytest.fixture
def stranger():
    """A mail program: no session, and CSRF checks on as in production."""
    return Client(enforce_csrf_checks=True)


def test_one_click_from_a_mail_program_unsubscribes_without_signing_in(member, stranger):
    set_email_preferences(user=member, choices={"mentions": "immediately"})
    response = stranger.post(_url(member), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no more emails about mentions of you" in response.content.decode()
    prefs = preferences_for(member)
    assert prefs["mentions"] == "never"
    assert prefs["moderation"] == "immediately"  # only what the link was about


def test_the_link_from_a_real_email_works(member, member2, stranger, committed):
    set_email_preferences(user=member, choices={"moderation": "immediately"})
    with committed():
        notify(recipient=member, kind="sanction", text="A warning")
    [email] = mail.outbox
    header = re.fullmatch(
        rf"<https://{re.escape(HOST)}(/notifications/unsubscribe/[^/]+/)>", email.extra_headers["List-Unsubscribe"]
    )
    assert stranger.post(header.group(1)).status_code == 200
    assert preferences_for(member)["moderation"] == "never"


def test_opening_the_link_only_asks(member, stranger):
    response = stranger.get(_url(member))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop emails about mentions of you" in page and '<form method="post">' in page
    assert "csrfmiddlewaretoken" not in page
    assert preferences_for(member)["mentions"] == "daily"


def test_an_all_link_stops_every_kind(member, stranger):
    stranger.post(_url(member, ALL))
    assert set(preferences_for(member).values()) == {"never"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_changed_or_cut_link_is_refused_and_changes_nothing(method, member, member2, stranger):
    url = _url(member)
    token = url.split("/")[-2]
    other_token = _url(member2).split("/")[-2]
    forged = [
        url.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")),
        url.replace(token, token[: len(token) // 2]),
        url.replace(token, other_token.split(":")[0] + ":" + token.split(":", 1)[1]),
        "/notifications/unsubscribe/not-a-token/",
    ]
    for bad in forged:
        response = getattr(stranger, method)(bad)
        assert response.status_code == 400, bad
        assert "This link does not work" in response.content.decode()
    assert preferences_for(member)["mentions"] == "daily"
    assert preferences_for(member2)["mentions"] == "daily"


def test_a_token_signed_for_something_else_is_refused(member, stranger):
    from django.core import signing

    token = signing.dumps({"u": member.pk, "g": "mentions"}, salt="some.other.purpose", compress=True)
    assert stranger.post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert preferences_for(member)["mentions"] == "daily"


def test_a_signed_in_member_can_use_it_too(member, member_client):
    assert member_client.post(_url(member, KindGroup.REPLIES)).status_code == 200
    assert preferences_for(member)["replies"] == "never"


def test_other_methods_are_not_allowed(member, stranger):
    assert stranger.put(_url(member)).status_code == 405

"""Each kind of notice is emailed as the member chose: one discreet email right away, in the daily or weekly
digest (the command), or never; and never twice about the same notice."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from notifications.kinds import KindGroup
from notifications.models import Notification
from notifications.services import mark_all_read, notify, set_email_preferences

from .conftest import HOST, sent_to, words_of

SECRET = "I relapsed on Friday and told nobody"
KIND_OF_GROUP = {
    KindGroup.MENTIONS: "forum_mention",
    KindGroup.REPLIES: "forum_reply",
    KindGroup.REACTIONS: "forum_reaction",
    KindGroup.MODERATION: "sanction",
    KindGroup.CONNECTIONS: "connections_buddy_request",
}


def _tell(recipient, actor, committed, kind="forum_mention"):
    with committed():
        notice = notify(
            recipient=recipient, kind=kind, text=f"{actor.display_name} wrote: {SECRET}", url="/forum/", actor=actor
        )
    assert notice is not None
    return notice


def _digests(period):
    call_command("send_notification_digests", period=period, stdout=StringIO())


@pytest.mark.parametrize("group", KindGroup.values)
@pytest.mark.parametrize("frequency", ["immediately", "daily", "weekly", "never"])
def test_each_kind_is_emailed_as_chosen(group, frequency, member, member2, committed):
    set_email_preferences(user=member, choices={group: frequency})
    _tell(member, member2, committed, kind=KIND_OF_GROUP[group])
    assert len(sent_to(member)) == (1 if frequency == "immediately" else 0)
    _digests("daily")
    assert len(sent_to(member)) == (1 if frequency in ("immediately", "daily") else 0)
    _digests("weekly")
    assert len(sent_to(member)) == (0 if frequency == "never" else 1)
    # Running them again sends nothing again: every email marked what it told of.
    _digests("daily")
    _digests("weekly")
    assert len(sent_to(member)) == (0 if frequency == "never" else 1)
    assert sent_to(member2) == []


def test_the_email_says_only_that_there_is_something_new(member, member2, committed):
    set_email_preferences(user=member, choices={"mentions": "immediately"})
    _tell(member, member2, committed)
    [email] = mail.outbox
    assert email.subject == f"{settings.COMMUNITY_NAME}: You have new activity"
    assert email.to == [member.email] and email.from_email == settings.DEFAULT_FROM_EMAIL
    words = words_of(email)
    assert "1 new notification" in words
    for private in (SECRET, "relapsed", member2.display_name, member.display_name, member2.email, HOST):
        assert private not in words
    assert "Relapse" not in words and "programme" not in words.lower()
    # The links are the only place the address is, and the text one leads to the notifications.
    assert f"https://{HOST}/notifications/\n" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html" and f'href="https://{HOST}/notifications/"' in html


def test_every_notification_email_has_one_click_unsubscribe_headers(member, member2, committed):
    set_email_preferences(user=member, choices={"mentions": "immediately"})
    _tell(member, member2, committed)
    [email] = mail.outbox
    link = re.fullmatch(
        rf"<https://{re.escape(HOST)}/notifications/unsubscribe/([^/]+)/>", email.extra_headers["List-Unsubscribe"]
    )
    assert link, email.extra_headers["List-Unsubscribe"]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The same link is in the words, for people whose mail program shows no button.
    assert f"https://{HOST}/notifications/unsubscribe/{link.group(1)}/" in email.body
    message = email.message()
    assert message["List-Unsubscribe"] == email.extra_headers["List-Unsubscribe"]


def test_a_digest_counts_the_new_notices_of_every_group_set_to_its_period(member, member2, committed):
    set_email_preferences(user=member, choices={"mentions": "weekly", "replies": "weekly", "moderation": "daily"})
    _tell(member, member2, committed, kind="forum_mention")
    _tell(member, member2, committed, kind="forum_reply")
    _tell(member, member2, committed, kind="forum_reply")
    _tell(member, member2, committed, kind="sanction")
    _digests("weekly")
    [weekly] = sent_to(member)
    assert "weekly summary" in weekly.body and "3 new notifications" in weekly.body
    # Several groups in one email: its unsubscribe link stops them all, and says so.
    assert "To stop emails about activity here" in weekly.body
    mail.outbox.clear()
    _digests("daily")
    [daily] = sent_to(member)
    assert "daily summary" in daily.body and "1 new notification " in daily.body
    assert "To stop emails about your reports, moderation decisions and appeals" in daily.body


def test_what_was_read_before_the_digest_is_not_emailed(member, member2, committed):
    _tell(member, member2, committed)
    mark_all_read(recipient=member)
    _digests("daily")
    assert mail.outbox == []


def test_several_notices_close_together_make_one_email_at_once(member, member2, committed):
    set_email_preferences(user=member, choices={"mentions": "immediately"})
    with committed():
        for _ in range(3):
            notify(recipient=member, kind="forum_mention", text="x", actor=member2)
    [email] = mail.outbox
    assert "3 new notifications" in email.body
    assert not Notification.objects.filter(recipient=member, emailed_at__isnull=True).exists()


def test_applicants_and_closed_accounts_get_no_email(applicant, member, member2, committed):
    member2.is_active = False
    member2.save(update_fields=["is_active"])
    for person in (applicant, member2):
        set_email_preferences(user=person, choices={"mentions": "immediately"})
        _tell(person, member, committed)
    set_email_preferences(user=applicant, choices={"mentions": "daily"})
    _digests("daily")
    assert mail.outbox == []


def test_kinds_in_no_group_are_never_emailed(member, committed):
    with committed():
        notify(recipient=member, kind="welcome", text="Welcome to the community", url="/forum/")
    set_email_preferences(user=member, choices=dict.fromkeys(KindGroup.values, "daily"))
    _digests("daily")
    assert mail.outbox == []


def test_the_command_wants_a_period():
    with pytest.raises(Exception, match="period"):
        call_command("send_notification_digests")
    with pytest.raises(Exception, match="monthly"):
        call_command("send_notification_digests", period="monthly")

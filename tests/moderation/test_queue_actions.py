"""What a moderator does from an item page: every action's effect, its audit row and the notice to the member."""

import pytest

from audit.models import AuditAction, AuditEntry
from moderation import adapters, services
from moderation.models import Flag, MemberNote, ReviewItem, Sanction
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(things, member, member2):
    """member2 wrote something; member reported it."""
    thing = things.add(author=member2, text="You people make me sick")
    services.report(reporter=member, kind="thing", target_id=thing.pk, reason="harassment", note="Aimed at me")
    item = ReviewItem.objects.get(kind="thing", target_id=thing.pk)
    return thing, item


def _url(item):
    return f"/moderation/items/{item.pk}/"


def _post(client, item, **data):
    return client.post(_url(item), data)


def test_the_item_page_shows_snapshot_reports_context_and_history(reported, moderator_client, member, member2, things):
    thing, item = reported
    things.texts[thing.pk] = "Edited after the report"
    page = moderator_client.get(_url(item)).content.decode()
    assert "You people make me sick" in page  # as reported
    assert "Edited after the report" in page  # as it is now
    assert "Harassment or bullying" in page and "Aimed at me" in page
    assert "The message before" in page  # context
    assert f'The author: <a href="/moderation/members/{member2.pk}/">{member2.display_name}</a>' in page
    # Reasons and notes, never who reported.
    assert member.display_name not in page


@pytest.mark.parametrize(
    ("decision", "state", "audit", "told"),
    [
        (
            "remove",
            adapters.REMOVED,
            AuditAction.REMOVE_POST,
            "A moderator removed your test thing. Their reason: Hurtful",
        ),
        ("hide", adapters.HIDDEN, AuditAction.HIDE_POST, "A moderator hid your test thing. Their reason: Hurtful"),
        ("dismiss", adapters.VISIBLE, AuditAction.DISMISS_ITEM, None),
    ],
)
def test_a_decision_acts_audits_and_tells_author_and_reporter(
    reported, things, moderator, moderator_client, member, member2, decision, state, audit, told
):
    thing, item = reported
    response = _post(moderator_client, item, intent="decide", decision=decision, reason="Hurtful")
    assert response.status_code == 302 and response["Location"] == _url(item)
    assert "Done: the item is closed" in moderator_client.get(_url(item)).content.decode()
    item.refresh_from_db()
    assert not item.is_open and item.resolution == decision and item.resolved_by == moderator
    assert things.states[thing.pk] == state
    assert AuditEntry.objects.filter(action=audit, actor=moderator, reason="Hurtful").count() == 1
    author_notices = Notification.objects.filter(recipient=member2)
    if told:
        assert [n.text for n in author_notices] == [told]
        assert author_notices.get().url == "/my-standing/"
    else:
        assert not author_notices.exists()
    # The reporter hears once that a moderator looked, with no detail of what was done.
    reporter_notices = Notification.objects.filter(recipient=member)
    assert reporter_notices.count() == 1
    text = reporter_notices.get().text
    assert "A moderator has looked at something you reported" in text
    assert "Hurtful" not in text and decision not in text and member2.display_name not in text
    assert Flag.objects.get().reporter_told_at is not None


def test_the_reported_member_never_learns_who_reported(reported, moderator_client, member, member2, client_for):
    _thing, item = reported
    _post(moderator_client, item, intent="decide", decision="remove", reason="Hurtful")
    author_client = client_for(member2)
    for url in ("/my-standing/", "/notifications/"):
        page = author_client.get(url).content.decode()
        assert member.display_name not in page and "Aimed at me" not in page


def test_an_action_without_a_reason_changes_nothing(reported, things, moderator_client):
    thing, item = reported
    response = _post(moderator_client, item, intent="decide", decision="remove", reason="   ")
    assert response.status_code == 400
    assert "Please give a reason" in response.content.decode()
    item.refresh_from_db()
    assert item.is_open and things.states[thing.pk] == adapters.VISIBLE
    assert not AuditEntry.objects.filter(action=AuditAction.REMOVE_POST).exists()
    assert not Notification.objects.exists()


def test_resolving_twice_is_refused_with_who_closed_it(reported, things, moderator_client, staff_client):
    thing, item = reported
    _post(moderator_client, item, intent="decide", decision="dismiss", reason="Banter between friends")
    response = _post(staff_client, item, intent="decide", decision="remove", reason="Too far")
    assert response.status_code == 400
    assert "already closed by Alex mod; nothing was changed" in response.content.decode()
    item.refresh_from_db()
    assert item.resolution == "dismiss" and things.states[thing.pk] == adapters.VISIBLE
    assert not AuditEntry.objects.filter(action=AuditAction.REMOVE_POST).exists()


def test_acting_on_removed_content_is_refused(reported, things, moderator, moderator_client):
    thing, item = reported
    things.states[thing.pk] = adapters.REMOVED  # removed in place (say, by its author) after the report
    for decision in ("remove", "hide"):
        response = _post(moderator_client, item, intent="decide", decision=decision, reason="Too far")
        assert response.status_code == 400
        assert "already been removed" in response.content.decode() or "already removed" in response.content.decode()
    item.refresh_from_db()
    assert item.is_open
    assert not AuditEntry.objects.filter(action__in=[AuditAction.REMOVE_POST, AuditAction.HIDE_POST]).exists()


def test_dismissing_an_auto_hidden_item_puts_the_content_back(things, member2, moderator, moderator_client, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    settings.MODERATION_AUTO_HIDE_TENURE_DAYS = 0
    thing = things.add(author=member2, text="A fine message")
    services.report(reporter=UserFactory(), kind="thing", target_id=thing.pk, reason="spam")
    item = ReviewItem.objects.get()
    assert things.states[thing.pk] == adapters.HIDDEN and item.hidden_pending_review
    _post(moderator_client, item, intent="decide", decision="dismiss", reason="Nothing wrong")
    assert things.states[thing.pk] == adapters.VISIBLE
    assert AuditEntry.objects.filter(action=AuditAction.RESTORE_POST, reason="Nothing wrong").exists()


def test_approving_held_content_publishes_it(things, member2, moderator, moderator_client):
    thing = things.add(author=member2, text="My first post", state=adapters.HELD)
    decision = services.Decision(result=services.CLEAR.result, hold=True, new_member=True)
    item = services.after_publish(kind="thing", target=thing, decision=decision)
    page = moderator_client.get(_url(item)).content.decode()
    assert "Approve: publish it" in page
    _post(moderator_client, item, intent="decide", decision="approve", reason="Welcome")
    assert things.states[thing.pk] == adapters.VISIBLE
    item.refresh_from_db()
    assert item.resolution == "approve"


def test_restore_after_a_removal(reported, things, moderator, moderator_client, member2):
    thing, item = reported
    _post(moderator_client, item, intent="decide", decision="remove", reason="Hurtful")
    assert "Restore it" in moderator_client.get(_url(item)).content.decode()
    response = _post(moderator_client, item, intent="restore", reason="I misread it")
    assert response.status_code == 302
    assert things.states[thing.pk] == adapters.VISIBLE
    assert AuditEntry.objects.filter(action=AuditAction.RESTORE_POST, reason="I misread it").count() == 1


def test_claim_and_release(reported, moderator, moderator_client):
    _thing, item = reported
    _post(moderator_client, item, intent="claim")
    item.refresh_from_db()
    assert item.claimed_by == moderator
    assert "Let it go" in moderator_client.get(_url(item)).content.decode()
    _post(moderator_client, item, intent="release")
    item.refresh_from_db()
    assert item.claimed_by is None
    assert AuditEntry.objects.filter(action=AuditAction.CLAIM_ITEM).count() == 2


@pytest.mark.parametrize(
    ("tool", "extra", "audit", "check"),
    [
        ("content_warning", {"warning": "Mentions self-harm"}, AuditAction.CONTENT_WARNING, "warnings"),
        ("lock", {}, AuditAction.LOCK_TOPIC, "locked"),
        ("move", {"category_id": "2"}, AuditAction.MOVE_TOPIC, "category"),
    ],
)
def test_tools_act_and_audit_and_leave_the_item_open(reported, things, moderator_client, tool, extra, audit, check):
    thing, item = reported
    response = _post(moderator_client, item, intent="tool", tool=tool, reason="Keeps people safe", **extra)
    assert response.status_code == 302
    assert thing.pk in getattr(things, check)
    assert AuditEntry.objects.filter(action=audit, reason="Keeps people safe").count() == 1
    item.refresh_from_db()
    assert item.is_open


def test_a_tool_needs_its_details(reported, things, moderator_client):
    thing, item = reported
    response = _post(moderator_client, item, intent="tool", tool="content_warning", warning="", reason="Why")
    assert response.status_code == 400 and "Please write the content warning" in response.content.decode()
    response = _post(moderator_client, item, intent="tool", tool="move", reason="Why")
    assert response.status_code == 400 and "Choose where to move the topic" in response.content.decode()
    assert not things.warnings and not things.category


def test_a_sanction_from_the_item(reported, moderator, moderator_client, member2):
    _thing, item = reported
    response = _post(moderator_client, item, intent="sanction", kind="mute", days="2", reason="Please cool off")
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert (sanction.member, sanction.kind, sanction.item, sanction.issued_by) == (member2, "mute", item, moderator)
    member2.refresh_from_db()
    assert member2.is_read_only and not member2.is_shut_out
    assert AuditEntry.objects.filter(action=AuditAction.MUTE, reason="Please cool off").count() == 1
    notice = Notification.objects.get(recipient=member2)
    assert "You can read but not post until" in notice.text and "Please cool off" in notice.text


def test_a_sanction_needs_a_reason_and_a_length(reported, moderator_client, member2):
    _thing, item = reported
    response = _post(moderator_client, item, intent="sanction", kind="suspension", reason="Threats")
    assert response.status_code == 400 and "Choose how long" in response.content.decode()
    response = _post(moderator_client, item, intent="sanction", kind="warning", reason="")
    assert response.status_code == 400 and "Please give a reason" in response.content.decode()
    assert not Sanction.objects.exists() and not Notification.objects.filter(recipient=member2).exists()


def test_a_private_note_on_the_author(reported, moderator, moderator_client, member2, client_for):
    _thing, item = reported
    response = _post(moderator_client, item, intent="note", body="Struggling since the move; go gently.")
    assert response.status_code == 302
    assert MemberNote.objects.get().author == moderator
    assert "Struggling since the move" in moderator_client.get(_url(item)).content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.ADD_MEMBER_NOTE).count() == 1
    # Never shown to the member.
    assert "Struggling" not in client_for(member2).get("/my-standing/").content.decode()


def test_the_authors_other_items_and_sanctions_show(things, member, member2, moderator, moderator_client):
    earlier = things.add(author=member2, text="An earlier rude remark")
    services.report(reporter=member, kind="thing", target_id=earlier.pk, reason="harassment")
    services.issue_sanction(member=member2, kind="warning", actor=moderator, reason="First warning")
    later = things.add(author=member2, text="Another one")
    services.report(reporter=member, kind="thing", target_id=later.pk, reason="harassment")
    item = ReviewItem.objects.get(target_id=later.pk)
    page = moderator_client.get(_url(item)).content.decode()
    assert "An earlier rude remark" in page and "First warning" in page

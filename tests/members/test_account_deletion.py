"""Closing one's account at /me/delete/: after entering the password again; posts and messages kept as "Former
member" or removed; either way the email and display name are nowhere in the database afterwards, quotes of
their words are taken out of others' posts, and the audit log keeps the event with the account id only."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from audit.models import AuditAction, AuditEntry
from chat import services as chat_services
from chat.models import Message
from forum import services as forum_services
from forum.forms import quote_text
from forum.models import ContentState, Post, PostRevision, Topic
from members import services as member_services
from members.models import Block, DataExport, Invitation, ProgrammeMembership
from moderation.models import Flag, ReviewItem
from moderation.services import add_member_note, issue_sanction, report
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory, enable_totp, programme_group
from tests.forum.factories import make_category, make_reply, make_topic

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
NAME = "Quillon Verity"
EMAIL = "quillon.verity@example.com"
OWN_WORDS = "Marigolds grow where the fence leans"
OWN_TITLE = "Notes from the allotment"


@pytest.fixture
def leaver(db):
    return UserFactory(display_name=NAME, email=EMAIL, programme_groups=[programme_group("relapse-prevention")])


@pytest.fixture
def world(leaver, member2, moderator, staff, django_capture_on_commit_callbacks):
    """The leaver's words and settings, and everything others wrote or recorded about them."""
    invitation = member_services.create_invitation(actor=staff, email=EMAIL, send=False)
    Invitation.objects.filter(pk=invitation.pk).update(used_by=leaver, used_at=invitation.created_at)
    member_services.set_programme_groups(member=leaver, groups=[programme_group("dual-diagnosis")], actor=staff)
    category = make_category(name="Everyday recovery")
    topic = make_topic(category=category, author=leaver, title=OWN_TITLE, body=f"{OWN_WORDS}. @Jordan says hi.")
    own_reply = make_reply(topic=topic, author=leaver, body="First thought.")
    forum_services.edit_post(post=own_reply, editor=leaver, body=f"Second thought: {OWN_WORDS}.", base_revision=1)
    opening = topic.opening_post
    quoting = make_reply(
        topic=topic,
        author=member2,
        body=quote_text(opening) + "So true, @Quillon_Verity! And @[Quillon Verity] again.",
        quoted_post=opening,
    )
    forum_services.edit_post(post=quoting, editor=member2, body=quoting.body + " Edited.", base_revision=1)
    forum_services.add_reaction(post=quoting, user=leaver, kind="thanks")
    forum_services.add_bookmark(post=quoting, user=leaver)
    room = RoomFactory(name="Evening circle", slug="evening-circle")
    chat_services.post_message(room=room, author=leaver, body=f"Evening all. {OWN_WORDS}.")
    chat_services.post_message(room=room, author=member2, body="Welcome back @Quillon_Verity")
    report(reporter=member2, kind="post", target_id=opening.pk, reason="other", note=f"About {NAME}'s post")
    report(reporter=member2, kind="member", target_id=leaver.pk, reason="other", note="Their name bothers me")
    add_member_note(member=leaver, author=moderator, body=f"Spoke with {NAME}; all fine.")
    issue_sanction(member=leaver, kind="warning", actor=moderator, reason=f"{NAME}, please stay kind.")
    leaver.bio = "I grow marigolds."
    leaver.time_zone = "Europe/Berlin"
    leaver.save()
    member_services.set_milestone_start(member=leaver, start=opening.created_at.date())
    member_services.change_display_name(member=leaver, display_name=NAME)  # no change: nothing recorded
    Block.objects.create(blocker=leaver, blocked=member2)
    with django_capture_on_commit_callbacks(execute=True):
        member_services.request_data_export(member=leaver)
    assert DataExport.objects.filter(user=leaver, state="ready").exists()
    enable_totp(leaver)
    return {"topic": topic, "opening": opening, "own_reply": own_reply, "quoting": quoting, "room": room}


@pytest.fixture
def leaver_client(leaver):
    client = Client()
    client.force_login(leaver)
    return client


def _reauthenticate(client) -> None:
    response = client.get("/me/delete/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/delete/"


def _close(client, content: str):
    _reauthenticate(client)
    page = client.get("/me/delete/")
    assert page.status_code == 200 and "Close your account" in page.content.decode()
    return client.post("/me/delete/", {"content": content, "confirm": "on"})


def _database_text() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def _assert_gone_from_the_database(*words):
    text = _database_text()
    for word in words:
        at = text.find(word.lower())
        row = text[max(0, text.rfind('{"model', 0, at)) : at + 80]  # the row it was left in
        assert at < 0, f"{word!r} is still in the database: {row}"


@pytest.mark.parametrize("content", ["keep", "remove"])
def test_after_closing_the_email_and_name_are_nowhere_in_the_database(leaver_client, leaver, world, content):
    text = _database_text()
    assert NAME.lower() in text and EMAIL in text  # the search below would find them

    response = _close(leaver_client, content)

    assert response.status_code == 200 and "Your account is closed" in response.content.decode()
    _assert_gone_from_the_database(NAME, NAME.replace(" ", "_"), EMAIL)


def test_keeping_posts_signs_them_former_member_and_redacts_quotes(leaver_client, leaver, member2_client, world):
    _close(leaver_client, "keep")
    leaver.refresh_from_db()
    assert leaver.display_name == f"Former member {leaver.pk}" and not leaver.is_active
    opening = Post.objects.get(pk=world["opening"].pk)
    assert OWN_WORDS in opening.body and opening.state == ContentState.VISIBLE
    page = member2_client.get(f"/forum/t/{world['topic'].pk}/").content.decode()
    assert f"Former member {leaver.pk}" in page and OWN_WORDS in page
    quoting = Post.objects.get(pk=world["quoting"].pk)
    assert "> [quote from a former member removed]" in quoting.body
    assert OWN_WORDS not in quoting.body and OWN_WORDS not in quoting.html
    assert "So true, a former member! And a former member again." in quoting.body
    assert all(OWN_WORDS not in r.body for r in PostRevision.objects.filter(post=quoting))
    assert Message.objects.get(author=leaver).body.startswith("Evening all.")


def test_removing_posts_empties_them_and_their_earlier_versions(leaver_client, leaver, world):
    _close(leaver_client, "remove")
    for post in Post.objects.filter(author=leaver):
        assert (post.body, post.html, post.state) == ("", "", ContentState.REMOVED)
    assert not PostRevision.objects.filter(post__author=leaver).exists()
    assert Topic.objects.get(pk=world["topic"].pk).title != OWN_TITLE
    message = Message.objects.get(author=leaver)
    assert (message.body, message.state) == ("", Message.State.REMOVED)
    snapshots = list(Flag.objects.values_list("snapshot", flat=True)) + list(
        ReviewItem.objects.values_list("snapshot", flat=True)
    )
    assert all(OWN_WORDS not in snapshot for snapshot in snapshots)
    _assert_gone_from_the_database(OWN_WORDS, OWN_TITLE)
    # Jordan's reply, which quoted the topic, stays, without the quote.
    assert "So true" in Post.objects.get(pk=world["quoting"].pk).body


def test_the_account_is_closed_everywhere(leaver_client, leaver, world):
    other_session = Client()
    other_session.force_login(leaver)
    _close(leaver_client, "keep")
    leaver.refresh_from_db()
    assert leaver.email == f"erased-{leaver.pk}@invalid"
    assert (leaver.bio, leaver.time_zone, leaver.milestone_start, leaver.has_usable_password()) == ("", "", None, False)
    assert not ProgrammeMembership.objects.filter(user=leaver).exists()
    assert not Block.objects.filter(blocker=leaver).exists()
    assert not DataExport.objects.filter(user=leaver).exists()
    assert not leaver.groups.exists()
    for client in (leaver_client, other_session):
        response = client.get("/me/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Client().login(email=EMAIL, password=PASSWORD)


def test_the_audit_log_keeps_the_event_with_the_account_id_only(leaver_client, leaver, world):
    _close(leaver_client, "remove")
    entry = AuditEntry.objects.get(action=AuditAction.ERASE_ACCOUNT)
    assert entry.actor_id_kept == leaver.pk and entry.target_id == str(leaver.pk)
    assert "posts and messages removed" in entry.reason
    # Earlier rows about the account (programme groups, the warning) keep their event, without the name.
    about_them = AuditEntry.objects.filter(target_type__model="user", target_id=str(leaver.pk)).exclude(pk=entry.pk)
    assert about_them.filter(action=AuditAction.SET_GROUPS).exists()
    assert {e.target_repr for e in about_them} == {f"Removed account #{leaver.pk}"}
    # The moderator's reason for the warning named them: the name is replaced, the rest kept.
    assert about_them.get(action=AuditAction.WARN).reason == "[former member], please stay kind."


def test_nothing_happens_without_the_password_again(leaver_client, leaver, world):
    response = leaver_client.post("/me/delete/", {"content": "remove", "confirm": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    leaver.refresh_from_db()
    assert leaver.is_active and leaver.display_name == NAME


def test_a_wrong_password_or_a_missing_choice_changes_nothing(leaver_client, leaver, world):
    response = leaver_client.get("/me/delete/")
    response = leaver_client.post(response["Location"], {"password": "not it"})
    assert response.status_code == 200
    _reauthenticate(leaver_client)
    response = leaver_client.post("/me/delete/", {"confirm": "on"})
    assert response.status_code == 400
    assert "Please choose what happens to your posts and messages." in response.content.decode()
    response = leaver_client.post("/me/delete/", {"content": "keep"})
    assert "Please tick the box to confirm." in response.content.decode()
    leaver.refresh_from_db()
    assert leaver.is_active and leaver.email == EMAIL


def test_a_site_administrator_is_asked_to_hand_over_first(client_for):
    admin = UserFactory(display_name="Root person", is_superuser=True)
    client = client_for(admin)
    _reauthenticate(client)
    response = client.post("/me/delete/", {"content": "keep", "confirm": "on"})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.is_active and admin.display_name == "Root person"


def test_the_audit_log_allows_only_the_erasures_own_changes(member, staff):
    from django.db import IntegrityError, transaction

    from audit.models import AuditRedaction
    from audit.services import record_audit

    about_member = record_audit(actor=staff, action=AuditAction.DEACTIVATE, target=member, reason="Sam asked")
    about_invitation = record_audit(
        actor=staff, action=AuditAction.INVITE, target=member_services.create_invitation(actor=staff, send=False)
    )
    rows = AuditEntry.objects.filter

    def refused(run):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            run()

    # Without a listed word, no reason changes; a target that is not an account keeps its name.
    refused(lambda: rows(pk=about_member.pk).update(reason="[former member] asked"))
    refused(lambda: rows(pk=about_invitation.pk).update(target_repr=f"Removed account #{about_invitation.target_id}"))
    # Only the exact "Removed account #<its own id>" replaces an account's name.
    refused(lambda: rows(pk=about_member.pk).update(target_repr="Removed account #999"))
    AuditRedaction.objects.create(word="Sam")
    # With "Sam" listed: only that word, only by "[former member]".
    refused(lambda: rows(pk=about_member.pk).update(reason="Someone else asked"))
    rows(pk=about_member.pk).update(reason="[former member] asked", target_repr=f"Removed account #{member.pk}")
    assert rows(pk=about_member.pk).values_list("reason", "target_repr").get() == (
        "[former member] asked",
        f"Removed account #{member.pk}",
    )

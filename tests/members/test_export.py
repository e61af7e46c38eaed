"""A copy of everything a member wrote and set (/me/export/): all of theirs, nothing of anyone else's, theirs
alone to download, gone after 7 days."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from chat import services as chat_services
from forum import services as forum_services
from members.models import Block, DataExport
from moderation.services import report
from tests.chat.factories import RoomFactory
from tests.forum.factories import make_category, make_reply, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def writings(member, member2):
    """Sam's words and settings, and Jordan's words around them."""
    category = make_category(name="Everyday recovery")
    sams_topic = make_topic(category=category, author=member, title="Sam's sleep routine", body="I sleep at ten.")
    jordans_topic = make_topic(
        category=category, author=member2, title="Jordan's secret garden", body="Jordan's private words."
    )
    reply = make_reply(topic=jordans_topic, author=member, body="Sam's kind reply.")
    forum_services.edit_post(post=reply, editor=member, body="Sam's kinder reply.", base_revision=1)
    make_reply(topic=sams_topic, author=member2, body="Jordan answers Sam privately-ish.")
    forum_services.add_reaction(post=jordans_topic.opening_post, user=member, kind="support")
    forum_services.add_bookmark(post=jordans_topic.opening_post, user=member)
    room = RoomFactory(name="Evening circle", slug="evening-circle")
    chat_services.post_message(room=room, author=member, body="Sam says good evening.")
    chat_services.post_message(room=room, author=member2, body="Jordan's chat words.")
    report(reporter=member, kind="post", target_id=jordans_topic.opening_post.pk, reason="other", note="Sam's note")
    member.bio = "Sam's bio"
    member.milestone_start = timezone.localdate() - timedelta(days=12)
    member.save()
    Block.objects.create(blocker=member, blocked=member2)
    return {"category": category}


@pytest.fixture
def export_of(django_capture_on_commit_callbacks):
    """Ask for an export as the member does; the task runs once the request's transaction commits."""

    def run(client) -> tuple[DataExport, dict]:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/me/export/").status_code == 302
        return _fetched(client)

    return run


def _fetched(client) -> tuple[DataExport, dict]:
    export = DataExport.objects.get()
    assert export.state == DataExport.State.READY  # the task ran at once (immediate backend)
    response = client.get(f"/me/export/{export.pk}/json/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return export, json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_export_holds_all_of_the_members_content(member_client, member, writings, export_of):
    _, data = export_of(member_client)
    text = json.dumps(data, ensure_ascii=False)
    for words in (
        "Sam's sleep routine",
        "I sleep at ten.",
        "Sam's kind reply.",  # the earlier version
        "Sam's kinder reply.",
        "Sam says good evening.",
        "Sam's note",
        "Sam's bio",
        member.email,
        (timezone.localdate() - timedelta(days=12)).isoformat(),
    ):
        assert words in text, words
    assert data["account"]["profile"]["display_name"] == "Sam"
    assert data["account"]["settings"]["show_presence_in_chat"] is False
    assert data["forum"]["reactions"][0]["reaction"] == "Sending support"
    assert data["forum"]["bookmarks"][0]["post"].startswith("/forum/p/")
    assert data["account"]["members_you_blocked"][0]["display_name"] == "Jordan"
    assert set(data["account"]["email_preferences"])


def test_the_export_holds_nothing_of_anyone_elses(member_client, member2, writings, export_of):
    _, data = export_of(member_client)
    text = json.dumps(data, ensure_ascii=False)
    for words in (
        "Jordan's secret garden",
        "Jordan's private words.",
        "Jordan answers Sam",
        "Jordan's chat words.",
        member2.email,
    ):
        assert words not in text, words


def test_the_readable_page_says_the_same(member_client, writings, export_of):
    export, _ = export_of(member_client)
    response = member_client.get(f"/me/export/{export.pk}/html/")
    page = response.content.decode()
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "<h2>Forum</h2>" in page and "Sam&#x27;s kinder reply." in page and "Jordan&#x27;s private" not in page


def test_only_the_owner_can_download(member_client, member2_client, staff_client, writings, export_of):
    export, _ = export_of(member_client)
    for client in (member2_client, staff_client):
        assert client.get(f"/me/export/{export.pk}/json/").status_code == 404
        assert client.get(f"/me/export/{export.pk}/html/").status_code == 404


def test_the_page_shows_the_latest_copy_with_its_links(member_client, writings, export_of):
    assert "Prepare my copy" in member_client.get("/me/export/").content.decode()
    export, _ = export_of(member_client)
    page = member_client.get("/me/export/").content.decode()
    assert f'href="/me/export/{export.pk}/json/"' in page and f'href="/me/export/{export.pk}/html/"' in page


def test_a_copy_being_prepared_says_so(member_client, member, settings):
    # A production-like queue: the task waits for a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    member_client.post("/me/export/")
    export = DataExport.objects.get()
    assert export.state == DataExport.State.PENDING
    page = member_client.get("/me/export/").content.decode()
    assert "Your copy is being prepared." in page
    assert member_client.get(f"/me/export/{export.pk}/json/").status_code == 404
    member_client.post("/me/export/")  # asking again while it is prepared makes no second one
    assert DataExport.objects.count() == 1


def test_a_new_copy_replaces_the_old_one(member_client, writings, export_of):
    first, _ = export_of(member_client)
    export_of(member_client)
    assert list(DataExport.objects.values_list("pk", flat=True)) != [first.pk]
    assert DataExport.objects.count() == 1


def test_an_expired_copy_is_not_found_and_is_purged(member_client, writings, export_of):
    export, _ = export_of(member_client)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert member_client.get(f"/me/export/{export.pk}/json/").status_code == 404
    assert "Prepare my copy" in member_client.get("/me/export/").content.decode()
    name = export.file.name
    assert export.file.storage.exists(name)
    call_command("purge_expired_exports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not DataExport.objects.exists()
    assert not export.file.storage.exists(name)


def test_the_file_is_stored_privately(member_client, writings, export_of):
    export, _ = export_of(member_client)
    assert export.file.name.startswith("private/exports/") and export.file.name.endswith(".json")
    # No public address serves it: only the owner's view above.
    assert member_client.get("/media/" + export.file.name).status_code == 404

"""Presence is the member's one setting (User.show_presence, on /me/ and behind chat's own toggle): off until
they turn it on, read from the user row, and the choice made before it moved to members is kept."""

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chat import live, selectors, services
from members.models import User
from tests.factories import UserFactory

from .conftest import settle


def _show(user, shown: bool) -> None:
    # As the /me/ page saves it: the member's own row.
    User.objects.filter(pk=user.pk).update(show_presence=shown)


@pytest.mark.django_db(transaction=True)
async def test_presence_is_off_by_default(connect, room, member, member2):
    assert member.show_presence is False
    await database_sync_to_async(_show)(member2, True)
    jordan = await connect(member2, room.slug)
    await jordan.drain()  # the room hearing that Jordan arrived
    sam = await connect(member, room.slug)
    assert sam.presence["members"] == [{"id": member2.pk, "name": "Jordan"}]  # Sam is not listed
    assert all(f["type"] != "presence" for f in await jordan.drain(0.3))  # and nobody was told Sam arrived


@pytest.mark.django_db(transaction=True)
async def test_the_members_own_setting_lists_them_and_names_them_while_typing(connect, room, member, member2):
    await database_sync_to_async(_show)(member, True)
    jordan = await connect(member2, room.slug)
    sam = await connect(member, room.slug)
    assert {"id": member.pk, "name": "Sam"} in (await jordan.receive_type("presence"))["members"]
    await sam.send({"type": "typing"})
    assert (await jordan.receive_type("typing"))["user"]["id"] == member.pk

    # Turned off on /me/ while the socket is open: the next keystroke follows it.
    await database_sync_to_async(_show)(member, False)
    await database_sync_to_async(live.forget_typing)(member, room)
    await settle()
    await sam.send({"type": "typing"})
    assert all(f["type"] != "typing" for f in await jordan.drain(0.4))


def test_the_room_page_shows_the_members_setting(client_for, room, member):
    client = client_for(member)
    assert "You are hidden from others here." in client.get(f"/chat/{room.slug}/").content.decode()
    _show(member, True)
    assert "You are visible to others here." in client.get(f"/chat/{room.slug}/").content.decode()


def test_chats_toggle_changes_the_members_setting(member_client, member, room):
    response = member_client.post("/chat/presence/", {"visible": "on", "room": room.slug})
    assert response.status_code == 302 and response["Location"] == room.get_absolute_url()
    member.refresh_from_db()
    assert member.show_presence is True
    member_client.post("/chat/presence/", {"room": room.slug})
    member.refresh_from_db()
    assert member.show_presence is False


def test_presence_is_read_from_the_user_row(member, django_assert_num_queries):
    member.show_presence = True
    with django_assert_num_queries(0):
        assert selectors.visible_in_presence(member) is True
    updated = services.set_presence_visibility(user=member, visible=False)
    assert updated.show_presence is False and User.objects.get(pk=member.pk).show_presence is False


def test_the_migration_keeps_the_choice_made_in_chat(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("chat", "0003_message_held_hidden")])
    try:
        old_apps = executor.loader.project_state([("chat", "0003_message_held_hidden")]).apps
        OldPreference = old_apps.get_model("chat", "ChatPreference")
        chose_to_show = UserFactory(display_name="Shown")
        chose_to_hide = UserFactory(display_name="Hidden")
        never_chose = UserFactory(display_name="Never")
        OldPreference.objects.create(user_id=chose_to_show.pk, visible_in_presence=True)
        OldPreference.objects.create(user_id=chose_to_hide.pk, visible_in_presence=False)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    shown = dict(
        User.objects.filter(pk__in=[chose_to_show.pk, chose_to_hide.pk, never_chose.pk]).values_list(
            "pk", "show_presence"
        )
    )
    assert shown == {chose_to_show.pk: True, chose_to_hide.pk: False, never_chose.pk: False}

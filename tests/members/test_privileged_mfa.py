from members.models import Role
from tests.factories import UserFactory


def test_staff_without_mfa_is_sent_to_set_it_up(client_for, db):
    staff = UserFactory(roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    client = client_for(staff)
    for path in ("/staff/invitations/", "/cms/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
    assert "set up two-factor" in client.get("/accounts/2fa/").content.decode()


def test_staff_with_mfa_gets_in(staff_client):
    assert staff_client.get("/staff/invitations/").status_code == 200
    assert staff_client.get("/cms/").status_code == 200


def test_dev_setting_relaxes_mfa_and_says_so(client_for, settings, db):
    settings.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED = False
    staff = UserFactory(roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    response = client_for(staff).get("/staff/invitations/")
    assert response.status_code == 200
    assert "two-factor authentication is not required" in response.content.decode()


def test_production_settings_require_mfa(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "community.example.org")
    monkeypatch.setenv("SITE_URL", "https://community.example.org")
    import importlib

    import community.settings.production as production

    importlib.reload(production)
    assert production.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED is True


# --- one rule: without MFA (in production) a moderator, staff member or superuser acts as a plain member --------

import pytest  # noqa: E402
from channels.db import database_sync_to_async  # noqa: E402

from chat.models import RoomMute  # noqa: E402
from chat.protocol import CLOSE_NOT_ALLOWED  # noqa: E402
from forum import services as forum_services  # noqa: E402
from members.audience import Audience  # noqa: E402
from members.permissions import can_moderate  # noqa: E402
from tests.chat.conftest import open_socket  # noqa: E402
from tests.chat.factories import RoomFactory  # noqa: E402
from tests.factories import enable_totp  # noqa: E402
from tests.forum.factories import make_category, make_reply, make_topic  # noqa: E402


@pytest.fixture
def moderator_without_mfa(db):
    return UserFactory(display_name="Mod no code", roles=[Role.MEMBER, Role.MODERATOR], teen_cleared=True)


@pytest.fixture
def staff_without_mfa(db):
    return UserFactory(display_name="Staff no code", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF], teen_cleared=True)


@pytest.fixture
def superuser_without_mfa(db):
    return UserFactory(display_name="Root no code", is_superuser=True, is_staff=True)


@pytest.fixture
def hidden_things(member, member2, moderator):
    """A topic whose opening post is hidden, and a visible topic with a removed reply."""
    category = make_category(name="Everyday")
    hidden = make_topic(category=category, author=member, title="Hidden topic title", body="Hidden opening")
    forum_services.hide_post(post=hidden.posts.get(position=1), actor=moderator, reason="Checking")
    visible = make_topic(category=category, author=member, title="Open topic", body="Hello all")
    reply = make_reply(topic=visible, author=member2, body="Something unkind")
    forum_services.remove_post(post=reply, actor=moderator, reason="Unkind")
    return hidden, visible


def test_the_rule_is_on_the_user(moderator_without_mfa, staff_without_mfa, superuser_without_mfa, moderator, member):
    for user in (moderator_without_mfa, staff_without_mfa, superuser_without_mfa):
        assert user.has_moderator_role and user.needs_mfa_for_role
        assert not user.is_moderator and not user.is_clinic_staff and not user.is_site_admin
        assert not can_moderate(user)
    assert moderator.is_moderator and can_moderate(moderator) and not moderator.needs_mfa_for_role
    assert not member.is_moderator and not member.needs_mfa_for_role


def test_mfa_takes_effect_once_set_up(moderator_without_mfa):
    assert not moderator_without_mfa.is_moderator
    enable_totp(moderator_without_mfa)
    assert moderator_without_mfa.is_moderator


def test_a_moderator_without_mfa_sees_neither_hidden_topics_nor_removed_text(
    hidden_things, moderator_without_mfa, moderator, member2, client_for
):
    hidden, visible = hidden_things
    for user, sees in ((moderator_without_mfa, False), (member2, False), (moderator, True)):
        client = client_for(user)
        assert (client.get(f"/forum/t/{hidden.pk}/").status_code == 200) is sees, user
        page = client.get(f"/forum/t/{visible.pk}/").content.decode()
        assert ("Something unkind" in page) is sees, user
        listing = client.get(f"/forum/c/{visible.category.slug}/").content.decode()
        assert ("Hidden topic title" in listing) is sees, user


def test_a_moderator_without_mfa_is_told_calmly_where_to_set_it_up(moderator_without_mfa, member, client_for):
    page = client_for(moderator_without_mfa).get("/").content.decode()
    assert "Your team tools are waiting for two-factor authentication" in page
    assert 'href="/accounts/2fa/"' in page
    assert "waiting for two-factor" not in client_for(member).get("/").content.decode()


def test_teen_cleared_staff_without_mfa_does_not_see_teen_spaces(staff_without_mfa, staff, client_for):
    teen_category = make_category(name="Teen lounge", audience=Audience.TEENS)
    assert client_for(staff_without_mfa).get(f"/forum/c/{teen_category.slug}/").status_code == 404
    assert client_for(staff).get(f"/forum/c/{teen_category.slug}/").status_code == 200


def test_a_moderator_without_mfa_cannot_mute_or_remove_in_chat(moderator_without_mfa, moderator, member, client_for):
    from chat import services as chat_services

    room = RoomFactory(name="Evening", slug="evening")
    message = chat_services.post_message(room=room, author=member, body="Hello").message
    refused = client_for(moderator_without_mfa)
    response = refused.post(f"/chat/{room.slug}/messages/{message.pk}/remove/", {"reason": "x"})
    assert response.status_code == 403
    response = refused.post(f"/chat/{room.slug}/mute/", {"member": member.pk, "minutes": 60, "reason": "x"})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.is_visible and not RoomMute.objects.exists()
    # The same action by a moderator with MFA goes through (the check is the role plus MFA, not the page).
    client_for(moderator).post(f"/chat/{room.slug}/messages/{message.pk}/remove/", {"reason": "x"})
    message.refresh_from_db()
    assert not message.is_visible


@pytest.mark.django_db(transaction=True)
async def test_on_the_socket_a_moderator_without_mfa_is_a_plain_member(settings):
    from chat import services as chat_services

    def world():
        teen_room = RoomFactory(name="Teen hangout", slug="teen-hangout", audience=Audience.TEENS)
        room = RoomFactory(name="Evening", slug="evening")
        author = UserFactory(display_name="Author")
        message = chat_services.post_message(room=room, author=author, body="Hello").message
        without = UserFactory(display_name="Mod no code", roles=[Role.MEMBER, Role.MODERATOR], teen_cleared=True)
        with_mfa = UserFactory(display_name="Mod code", roles=[Role.MEMBER, Role.MODERATOR], teen_cleared=True)
        enable_totp(with_mfa)
        return teen_room, room, message, without, with_mfa

    teen_room, room, message, without, with_mfa = await database_sync_to_async(world)()
    # Teen clearance counts only with the role, and the role only with MFA.
    refused = await open_socket(without, teen_room.slug, greet=False)
    assert (await refused.receive()) == {"type": "__closed__", "code": CLOSE_NOT_ALLOWED}
    cleared = await open_socket(with_mfa, teen_room.slug)
    assert cleared.hello["room"]["slug"] == teen_room.slug
    await cleared.close()
    # In an adult room it may delete only its own messages.
    socket = await open_socket(without, room.slug)
    await socket.send({"type": "delete", "id": message.pk})
    reply = await socket.receive_type("error")
    assert reply["code"] == "forbidden"
    await socket.close()
    await database_sync_to_async(message.refresh_from_db)()
    assert message.is_visible


def test_django_admin_refuses_a_superuser_without_mfa(superuser_without_mfa, member, client_for):
    response = client_for(superuser_without_mfa).get("/django-admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert client_for(member).get("/django-admin/").status_code == 403
    enable_totp(superuser_without_mfa)
    assert client_for(superuser_without_mfa).get("/django-admin/").status_code == 200


@pytest.mark.parametrize("path", ["/cms/", "/cms/pages/", "/staff/members/", "/forum/manage/", "/chat/manage/"])
def test_every_team_area_sends_staff_without_mfa_to_set_it_up(path, staff_without_mfa, member, client_for):
    response = client_for(staff_without_mfa).get(path)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert client_for(member).get(path).status_code == 403


def test_superuser_without_mfa_is_refused_by_wagtail_too(superuser_without_mfa, client_for):
    for path in ("/cms/", "/cms/users/"):
        response = client_for(superuser_without_mfa).get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"

"""Access changes reach open sockets held by other server processes (issue 7.3), through the Redis channel layer:
two real Daphne processes hold the sockets, the staff decisions are made in this (third) process."""

import asyncio

import pytest
from django.db import connections
from django.test import Client

from chat import services
from chat.protocol import CLOSE_NOT_ALLOWED, CLOSE_NOT_SIGNED_IN
from members import services as member_services
from members.audience import Audience
from tests.factories import UserFactory, enable_totp, programme_group

from .factories import RoomFactory
from .test_two_processes import Member, servers, services_available  # noqa: F401 - fixtures

pytestmark = pytest.mark.services


def _signed_in(user) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}"


async def _staff_does(action, **kwargs):
    """Run a service in a worker thread, closing that thread's database connection afterwards."""

    def run():
        try:
            return action(**kwargs)
        finally:
            connections.close_all()

    return await asyncio.to_thread(run)


async def _closed_with(member: Member) -> int:
    await asyncio.wait_for(asyncio.shield(member.reader), 10)
    return member.ws.close_code


async def _still_open(member: Member) -> None:
    member.frames.clear()
    await member.send({"type": "catch_up", "after_seq": 0})
    await member.wait_for(lambda f: f["type"] == "caught_up")


def test_staff_decisions_close_sockets_held_by_other_processes(servers):  # noqa: F811 - the imported fixture
    room = RoomFactory(slug="lounge")
    other_room = RoomFactory(slug="porch")
    group_room = RoomFactory(
        slug="rp-only", audience=Audience.GROUPS, programme_groups=[programme_group("relapse-prevention")]
    )
    staff = UserFactory(display_name="Dana", roles=["member", "moderator", "staff"], teen_cleared=True)
    enable_totp(staff)
    adam, dee, sol = (UserFactory(display_name=name) for name in ("Adam", "Dee", "Sol"))
    gina = UserFactory(display_name="Gina", programme_groups=[programme_group("relapse-prevention")])
    cookies = {user.display_name: _signed_in(user)[1] for user in (staff, adam, dee, gina)}
    sol_browser, sol_browser_cookie = _signed_in(sol)
    _, sol_phone_cookie = _signed_in(sol)
    first, second = servers("a"), servers("b")

    async def scenario():
        team = await Member(cookies["Dana"]).open(first, room.slug)
        adam_socket = await Member(cookies["Adam"]).open(second, room.slug)
        gina_socket = await Member(cookies["Gina"]).open(second, group_room.slug)
        dee_a = await Member(cookies["Dee"]).open(first, other_room.slug)
        dee_b = await Member(cookies["Dee"]).open(second, other_room.slug)
        sol_on_browser = await Member(sol_browser_cookie).open(second, other_room.slug)
        sol_on_phone = await Member(sol_phone_cookie).open(first, other_room.slug)

        # The room becomes teens-only: the adult is closed out, teen-cleared staff stay.
        await _staff_does(
            services.save_room,
            actor=staff,
            room=room,
            fields={"name": room.name, "slug": room.slug, "audience": Audience.TEENS},
            programme_groups=[],
        )
        assert await _closed_with(adam_socket) == CLOSE_NOT_ALLOWED
        await _still_open(team)

        # Removed from the room's programme group.
        await _staff_does(member_services.set_programme_groups, member=gina, groups=[], actor=staff)
        assert await _closed_with(gina_socket) == CLOSE_NOT_ALLOWED

        # Deactivated: every socket, in both processes.
        await _staff_does(member_services.deactivate_member, member=dee, actor=staff, reason="asked to")
        assert await _closed_with(dee_a) == CLOSE_NOT_SIGNED_IN
        assert await _closed_with(dee_b) == CLOSE_NOT_SIGNED_IN

        # Signed out in one browser: that session's socket closes, the phone stays.
        response = await _staff_does(sol_browser.post, path="/accounts/logout/")
        assert response.status_code == 302
        assert await _closed_with(sol_on_browser) == CLOSE_NOT_SIGNED_IN
        await _still_open(sol_on_phone)

        for member in (team, sol_on_phone):
            await member.close()

    asyncio.run(scenario())

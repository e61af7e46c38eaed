"""Cache-held chat state: it must forget a server process that died without saying goodbye."""

import time

import pytest

from chat import live

pytestmark = pytest.mark.django_db


def test_a_member_has_at_most_five_sockets_and_closing_one_frees_a_place(member):
    for n in range(5):
        assert live.open_socket(member, f"s{n}")
    assert not live.open_socket(member, "s5")
    live.close_socket(member, "s2")
    assert live.open_socket(member, "s5")


def test_sockets_of_a_dead_process_stop_counting(member, monkeypatch):
    for n in range(5):
        assert live.open_socket(member, f"s{n}")
    # The process holding them is killed: no close_socket. A renewed socket keeps counting, the rest expire.
    later = time.time() + live.SOCKET_TTL * 0.5
    monkeypatch.setattr(live.time, "time", lambda: later)
    live.touch_socket(member, "s0")
    much_later = later + live.SOCKET_TTL * 0.6
    monkeypatch.setattr(live.time, "time", lambda: much_later)
    for n in range(4):
        assert live.open_socket(member, f"new{n}")
    assert not live.open_socket(member, "one-too-many")


def test_presence_counts_sockets_and_forgets_stale_entries(member, member2, monkeypatch):
    live.presence_join(1, member.pk, "Sam")
    live.presence_join(1, member.pk, "Sam")
    live.presence_join(1, member2.pk, "Jordan")
    live.presence_leave(1, member.pk)
    assert [m["name"] for m in live.presence_members(1)] == ["Jordan", "Sam"]
    live.presence_leave(1, member.pk)
    assert [m["name"] for m in live.presence_members(1)] == ["Jordan"]
    later = time.time() + live.PRESENCE_STALE_SECONDS + 1
    monkeypatch.setattr(live.time, "time", lambda: later)
    assert live.presence_members(1) == []

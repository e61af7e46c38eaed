"""Display names are screened by moderation's watched words, through members' hook (members.naming), so that
members never imports moderation (issue 9)."""

import pytest

from members import naming
from members.models import User
from moderation.models import WatchedWord
from moderation.services import add_watched_word, screen_name
from tests.members.signup_data import signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def name_screen():
    naming.register_name_screen(screen_name)
    yield
    naming.unregister_name_screen(screen_name)


def _sign_up(client, settings, **fields):
    settings.COMMUNITY_SIGNUP_MODE = "approval"
    return client.post("/accounts/signup/", signup_data(**fields))


def test_a_display_name_matching_a_block_entry_is_refused_with_its_reason(client, settings, staff):
    add_watched_word(
        actor=staff, kind=WatchedWord.Kind.PHRASE, pattern="pill plug", action="block", note="Please pick another name."
    )
    response = _sign_up(client, settings, display_name="Pill Plug")
    assert "Please pick another name." in response.content.decode()
    assert not User.objects.filter(email="casey@example.org").exists()


def test_a_plain_name_passes(client, settings):
    _sign_up(client, settings, display_name="Casey")
    assert User.objects.filter(display_name="Casey").exists()


def test_the_hook_registers_a_screen_once():
    naming.register_name_screen(screen_name)
    assert naming._screens.count(screen_name) == 1
    assert naming.name_problem("Casey") is None

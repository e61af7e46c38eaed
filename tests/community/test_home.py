"""The member home: a welcome for a newcomer, their own group's spaces first, then what is new."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from chat import services as chat_services
from members.audience import Audience
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory, programme_group
from tests.forum.factories import make_category, make_topic


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_brand_new_member_is_welcomed_with_the_guidelines_not_welcomed_back(db):
    newcomer = UserFactory(display_name="Casey")
    page = _home(_client_for(newcomer))
    assert "Welcome, Casey" in page
    assert "Welcome back" not in page
    assert "Our guidelines, in two lines" in page


def test_a_member_of_some_days_is_welcomed_back_without_the_newcomer_notes(db):
    regular = UserFactory(display_name="Morgan", approved_at=timezone.now() - timedelta(days=3))
    page = _home(_client_for(regular))
    assert "Welcome back, Morgan" in page
    assert "Our guidelines, in two lines" not in page


def test_own_group_spaces_come_first_and_other_groups_stay_hidden(db):
    relapse, dual = programme_group("relapse-prevention"), programme_group("dual-diagnosis")
    member = UserFactory(display_name="Sam", programme_groups=[relapse])
    make_category(name="Everyone's corner", audience=Audience.ADULTS)
    make_category(name="RP alumni", audience=Audience.GROUPS, groups=[relapse])
    make_category(name="DD alumni", audience=Audience.GROUPS, groups=[dual])
    RoomFactory(name="RP room", audience=Audience.GROUPS, programme_groups=[relapse])
    RoomFactory(name="DD room", audience=Audience.GROUPS, programme_groups=[dual])
    page = _home(_client_for(member))
    own = page[page.index("Your group's spaces") : page.index("What's been happening")]
    assert "RP alumni" in own and "RP room" in own
    assert "Everyone's corner" not in own
    assert "DD alumni" not in page and "DD room" not in page


def test_what_is_new_lists_unread_rooms_and_categories(db):
    author = UserFactory(display_name="Jordan")
    reader = UserFactory(display_name="Sam", approved_at=timezone.now() - timedelta(days=5))
    reader.date_joined = timezone.now() - timedelta(days=5)
    reader.save(update_fields=["date_joined"])
    category = make_category(name="Everyday recovery")
    make_topic(category=category, author=author, title="Small routines", hold_first_posts=False)
    room = RoomFactory(name="Open circle")
    chat_services.post_message(room=room, author=author, body="Good morning, everyone.")
    page = _home(_client_for(reader))
    news = page[page.index("Since your last visit") :]
    assert "New posts in Everyday recovery" in news
    assert "1 new message in Open circle" in news


def test_the_teen_home_promises_nothing_a_teen_cannot_reach(teen_client, db):
    make_category(name="Adults only", audience=Audience.ADULTS)
    make_category(name="Teen lounge", audience=Audience.TEENS)
    page = _home(teen_client)
    assert "check-in" not in page.lower()
    assert "Adults only" not in page
    assert "Your teen spaces" in page and "Teen lounge" in page


def _fill(n: int, groups) -> None:
    author = UserFactory()
    for _ in range(n):
        category = make_category(audience=Audience.GROUPS, groups=groups)
        make_topic(category=category, author=author, hold_first_posts=False)
        room = RoomFactory(audience=Audience.GROUPS, programme_groups=groups)
        chat_services.post_message(room=room, author=author, body="Hello")


def _count_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_home_query_count_does_not_grow_with_spaces(db, django_assert_num_queries):
    relapse = programme_group("relapse-prevention")
    for user in (
        UserFactory(programme_groups=[relapse]),
        UserFactory(programme_groups=[relapse], roles=["member", "moderator"]),
    ):
        client = _client_for(user)
        _fill(1, [relapse])
        client.get("/")  # warm caches (site, crisis lines)
        baseline = _count_queries(client)
        _fill(4, [relapse])
        with django_assert_num_queries(baseline):
            assert client.get("/").status_code == 200


def test_the_team_menu_leads_to_every_staff_page(db):
    from members.models import Role
    from tests.factories import enable_totp

    staff = UserFactory(roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    enable_totp(staff)  # team tools wait for two-factor authentication
    page = _home(_client_for(staff))
    menu = page[page.index('class="team-menu"') :]
    for href in ("/staff/invitations/", "/staff/approvals/", "/staff/members/", "/forum/manage/", "/chat/manage/"):
        assert f'href="{href}"' in menu
    assert 'class="team-menu"' not in _home(_client_for(UserFactory()))

"""/moderation/audit/: the log for moderators and staff, with filters, pages and a CSV of what is shown."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from audit.services import record_audit
from members.models import Role
from tests.factories import UserFactory, enable_totp

URL = "/moderation/audit/"
CSV_URL = "/moderation/audit/export.csv"


def _csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_members_are_refused_and_visitors_sent_to_sign_in(url, client, member_client, teen_client):
    assert client.get(url).status_code == 302 and "/accounts/login/" in client.get(url)["Location"]
    # 404, not 403: a member does not learn the moderators' area exists (moderation.permissions.team_page).
    assert member_client.get(url).status_code == 404
    assert teen_client.get(url).status_code == 404


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_moderators_and_staff_get_in(url, moderator_client, staff_client):
    assert moderator_client.get(url).status_code == 200
    assert staff_client.get(url).status_code == 200


def test_a_moderator_without_mfa_is_sent_to_set_it_up(client_for, db):
    moderator = UserFactory(roles=[Role.MEMBER, Role.MODERATOR])
    response = client_for(moderator).get(URL)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"


@pytest.fixture
def log(staff, moderator, member, member2):
    record_audit(
        actor=staff,
        action=AuditAction.SET_ROLE,
        target=member,
        reason="leads a group",
        changes={"role": ["member", "moderator"]},
    )
    record_audit(actor=moderator, action=AuditAction.CHAT_MUTE, target=member2, reason="Lounge: cooling off")
    record_audit(actor=staff, action=AuditAction.DEACTIVATE, target=member2, reason="asked to leave")


def test_the_page_lists_entries_newest_first_with_what_changed(moderator_client, log):
    page = moderator_client.get(URL).content.decode()
    assert page.index("asked to leave") < page.index("Lounge: cooling off") < page.index("leads a group")
    assert "role: member → moderator" in page
    assert "Role changed" in page


def test_filters_by_action_actor_target_type_and_dates(moderator_client, log, moderator):
    def reasons(query):
        response = moderator_client.get(URL, query)
        assert response.status_code == 200
        return [e.reason for e in response.context["page"]]

    assert reasons({"action": "chat.mute"}) == ["Lounge: cooling off"]
    assert reasons({"actor": "dana"}) == ["asked to leave", "leads a group"]  # staff is "Dana team"
    user_type = AuditEntry.objects.get(action="deactivate").target_type_id
    assert len(reasons({"target_type": user_type})) == 3
    today = timezone.localdate()
    assert len(reasons({"date_from": today.isoformat(), "date_to": today.isoformat()})) == 3
    assert reasons({"date_from": (today + timedelta(days=1)).isoformat()}) == []


def test_a_bad_filter_is_explained_and_the_rest_still_apply(moderator_client, log):
    today = timezone.localdate()
    response = moderator_client.get(
        URL, {"action": "chat.mute", "date_from": today.isoformat(), "date_to": (today - timedelta(days=3)).isoformat()}
    )
    assert "end date comes before the start date" in response.content.decode()
    assert [e.reason for e in response.context["page"]] == ["Lounge: cooling off"]
    response = moderator_client.get(URL, {"action": "drop_table"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_csv_exports_the_filtered_rows(staff_client, log, staff):
    rows = _csv_rows(staff_client.get(CSV_URL, {"actor": "Dana"}))
    assert rows[0][:4] == ["time (UTC)", "actor", "actor account id", "action"]
    assert [r[3] for r in rows[1:]] == ["deactivate", "set_role"]
    assert rows[2][1] == "Dana team" and rows[2][2] == str(staff.pk)
    assert rows[2][9] == '{"role": ["member", "moderator"]}'


def test_csv_defuses_spreadsheet_formulas(staff_client, staff, member):
    record_audit(actor=staff, action=AuditAction.DEACTIVATE, target=member, reason='=HYPERLINK("http://x")')
    rows = _csv_rows(staff_client.get(CSV_URL))
    assert rows[1][8] == '\'=HYPERLINK("http://x")'


def test_rows_about_teen_accounts_only_for_teen_cleared_viewers(
    moderator_client, staff_client, staff, teen_member, member
):
    record_audit(actor=staff, action=AuditAction.DEACTIVATE, target=teen_member, reason="about a teen")
    record_audit(actor=staff, action=AuditAction.DEACTIVATE, target=member, reason="about an adult")
    assert "about a teen" not in moderator_client.get(URL).content.decode()  # moderator: not teen-cleared
    assert "about an adult" in moderator_client.get(URL).content.decode()
    assert [r[8] for r in _csv_rows(moderator_client.get(CSV_URL))[1:]] == ["about an adult"]
    assert "about a teen" in staff_client.get(URL).content.decode()  # staff fixture is teen-cleared


def test_an_erased_actor_is_shown_by_account_id(staff_client, member):
    leaving = UserFactory(display_name="Leaving", roles=[Role.MEMBER, Role.MODERATOR])
    enable_totp(leaving)
    record_audit(actor=leaving, action=AuditAction.DEACTIVATE, target=member, reason="x")
    leaving_id = leaving.pk
    leaving.delete()
    assert f"Removed account #{leaving_id}" in staff_client.get(URL).content.decode()


def _fill(staff, member, n):
    for i in range(n):
        record_audit(
            actor=staff,
            action=AuditAction.DEACTIVATE,
            target=member,
            reason=f"row {i}",
            changes={"is_active": [True, False]},
        )


@pytest.mark.parametrize("rows", [2, 60])
def test_query_count_does_not_grow_with_rows(moderator_client, staff, member, rows, django_assert_num_queries):
    _fill(staff, member, rows)
    moderator_client.get(URL)  # warm the content-type cache, as a running server has it
    # session, user, roles, MFA, target kinds for the filter, count, notifications (base page), the page of rows,
    # and the moderation sub-navigation's open-queue and waiting-appeals counts
    with django_assert_num_queries(10):
        response = moderator_client.get(URL, {"actor": "Dana"})
    assert len(response.context["page"]) == min(rows, 50)


def test_pages_keep_the_filters(moderator_client, staff, member):
    _fill(staff, member, 55)
    page = moderator_client.get(URL, {"actor": "Dana"}).content.decode()
    assert "actor=Dana&amp;page=2" in page
    second = moderator_client.get(URL, {"actor": "Dana", "page": 2})
    assert len(second.context["page"]) == 5


def test_rows_about_teen_spaces_only_for_teen_cleared_viewers(moderator_client, staff_client, staff, teen_member):
    """Not only teen accounts: a teen category's post, a teen room's message, the review item about them."""
    from chat import services as chat_services
    from members.audience import Audience
    from moderation.services import act_on_target
    from tests.chat.factories import RoomFactory
    from tests.forum.factories import make_category, make_topic

    teen_category = make_category(name="Teen lounge", audience=Audience.TEENS)
    post = make_topic(category=teen_category, author=teen_member, title="Exams", body="so tired").posts.get()
    act_on_target(kind="post", target=post, actor=staff, action="hide", reason="teen post hidden")
    room = RoomFactory(name="Teen hangout", slug="teen-hangout", audience=Audience.TEENS)
    message = chat_services.post_message(room=room, author=teen_member, body="hello").message
    act_on_target(kind="message", target=message, actor=staff, action="remove", reason="teen message removed")
    adult_category = make_category(name="Everyday")
    adult_post = make_topic(category=adult_category, author=staff, title="Hi", body="hello").posts.get()
    act_on_target(kind="post", target=adult_post, actor=staff, action="hide", reason="adult post hidden")

    seen_by_moderator = moderator_client.get(URL).content.decode()
    assert "teen post hidden" not in seen_by_moderator and "teen message removed" not in seen_by_moderator
    assert "adult post hidden" in seen_by_moderator
    assert {r[8] for r in _csv_rows(moderator_client.get(CSV_URL))[1:]} == {"adult post hidden"}
    seen_by_staff = staff_client.get(URL).content.decode()
    assert "teen post hidden" in seen_by_staff and "teen message removed" in seen_by_staff

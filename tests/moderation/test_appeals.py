"""Members appeal once; moderators grant or decline from the appeals queue; the member hears the decision."""

import pytest

from audit.models import AuditAction, AuditEntry
from moderation import adapters, services
from moderation.models import Appeal, ReviewItem
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def removed(things, member, member2, moderator):
    """member2's thing, reported by member and removed by the moderator."""
    thing = things.add(author=member2, text="A post that went too far")
    services.report(reporter=member, kind="thing", target_id=thing.pk, reason="harassment")
    item = ReviewItem.objects.get()
    services.decide_item(item=item, actor=moderator, decision="remove", reason="Personal attack")
    return thing, item


@pytest.fixture
def author_client(member2, client_for):
    return client_for(member2)


def test_the_author_sees_the_reason_and_appeals_once(removed, author_client, member2):
    _thing, item = removed
    page = author_client.get("/my-standing/").content.decode()
    assert "A moderator removed your test thing" in page and "Personal attack" in page
    url = f"/my-standing/appeal/decision/{item.pk}/"
    response = author_client.post(url, {"message": ""})
    assert response.status_code == 400 and "Please say in a few words" in response.content.decode()
    response = author_client.post(url, {"message": "It was a joke between friends."})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.member, appeal.item, appeal.status) == (member2, item, Appeal.Status.OPEN)
    page = author_client.get("/my-standing/").content.decode()
    assert "You appealed" in page and "Ask for this to be looked at again" not in page
    # A second appeal is refused kindly, and nothing new is stored.
    response = author_client.post(url, {"message": "Again"})
    assert response.status_code == 400
    assert "You have already appealed this; a moderator will let you know" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_nobody_appeals_what_is_not_theirs(removed, member_client, moderator, member2, client_for):
    _thing, item = removed
    assert member_client.post(f"/my-standing/appeal/decision/{item.pk}/", {"message": "x"}).status_code == 404
    sanction = services.issue_sanction(member=member2, kind="warning", actor=moderator, reason="Tone")
    assert member_client.post(f"/my-standing/appeal/sanction/{sanction.pk}/", {"message": "x"}).status_code == 404
    assert client_for(member2).get(f"/my-standing/appeal/sanction/{sanction.pk}/").status_code == 405
    assert not Appeal.objects.exists()


def test_granting_restores_the_content_audits_and_tells_the_member(
    removed, things, author_client, staff, staff_client, member2
):
    thing, item = removed
    author_client.post(f"/my-standing/appeal/decision/{item.pk}/", {"message": "Please look again."})
    appeal = Appeal.objects.get()
    queue = staff_client.get("/moderation/appeals/").content.decode()
    assert "Please look again." in queue and 'Appeals <span class="count">(1 waiting)</span>' in queue
    page = staff_client.get(f"/moderation/appeals/{appeal.pk}/").content.decode()
    assert "A post that went too far" in page and "Personal attack" in page
    response = staff_client.post(f"/moderation/appeals/{appeal.pk}/", {"decision": "grant", "note": ""})
    assert response.status_code == 400 and "Please give a reason" in response.content.decode()
    response = staff_client.post(f"/moderation/appeals/{appeal.pk}/", {"decision": "grant", "note": "Fair point"})
    assert response.status_code == 302
    assert things.states[thing.pk] == adapters.VISIBLE
    assert AuditEntry.objects.filter(action=AuditAction.GRANT_APPEAL, actor=staff, reason="Fair point").count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.RESTORE_POST, actor=staff).count() == 1
    notice = Notification.objects.filter(recipient=member2, kind="appeal_decided").get()
    assert "granted" in notice.text and "Fair point" in notice.text
    page = author_client.get("/my-standing/").content.decode()
    assert "Your appeal was granted" in page
    # Deciding twice is refused.
    response = staff_client.post(f"/moderation/appeals/{appeal.pk}/", {"decision": "decline", "note": "No"})
    assert response.status_code == 400 and "already been decided" in response.content.decode()


def test_declining_a_sanction_appeal_keeps_it_and_tells_the_member(moderator, member2, author_client, staff_client):
    sanction = services.issue_sanction(member=member2, kind="mute", actor=moderator, reason="Spam", days=1)
    author_client.post(f"/my-standing/appeal/sanction/{sanction.pk}/", {"message": "I was sharing a link."})
    appeal = Appeal.objects.get()
    response = staff_client.post(f"/moderation/appeals/{appeal.pk}/", {"decision": "decline", "note": "It was an ad"})
    assert response.status_code == 302
    member2.refresh_from_db()
    assert member2.is_read_only
    assert AuditEntry.objects.filter(action=AuditAction.DECLINE_APPEAL, reason="It was an ad").count() == 1
    notice = Notification.objects.get(recipient=member2, kind="appeal_decided")
    assert "the decision stands" in notice.text
    assert "decision stands" in author_client.get("/my-standing/").content.decode()


def test_granting_a_suspension_appeal_lets_the_member_back_in(moderator, member2, author_client, staff_client):
    sanction = services.issue_sanction(member=member2, kind="suspension", actor=moderator, reason="Threat", days=5)
    author_client.post(f"/my-standing/appeal/sanction/{sanction.pk}/", {"message": "Misunderstanding."})
    staff_client.post(f"/moderation/appeals/{Appeal.objects.get().pk}/", {"decision": "grant", "note": "Agreed"})
    assert author_client.get("/").status_code == 200


def test_teen_appeals_are_hidden_from_moderators_not_cleared(
    moderator, staff, teen_member, moderator_client, client_for
):
    sanction = services.issue_sanction(member=teen_member, kind="warning", actor=staff, reason="Tone")
    client_for(teen_member).post(f"/my-standing/appeal/sanction/{sanction.pk}/", {"message": "Sorry"})
    appeal = Appeal.objects.get()
    assert "Sorry" not in moderator_client.get("/moderation/appeals/").content.decode()
    assert moderator_client.get(f"/moderation/appeals/{appeal.pk}/").status_code == 404
    assert (
        moderator_client.post(f"/moderation/appeals/{appeal.pk}/", {"decision": "grant", "note": "x"}).status_code
        == 404
    )
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_members_get_not_found_at_the_appeals_pages(removed, author_client, member_client):
    _thing, item = removed
    author_client.post(f"/my-standing/appeal/decision/{item.pk}/", {"message": "Please"})
    appeal = Appeal.objects.get()
    assert member_client.get("/moderation/appeals/").status_code == 404
    assert author_client.get(f"/moderation/appeals/{appeal.pk}/").status_code == 404


def test_a_moderator_cannot_decide_their_own_appeal(staff, moderator, client_for):
    sanction = services.issue_sanction(member=moderator, kind="warning", actor=staff, reason="Tone")
    services.submit_appeal(member=moderator, message="Unfair", sanction=sanction)
    other = UserFactory()
    assert other  # an outsider exists; the moderator themself is the one refused
    response = client_for(moderator).post(
        f"/moderation/appeals/{Appeal.objects.get().pk}/", {"decision": "grant", "note": "Me"}
    )
    assert response.status_code == 400 and "your own appeal" in response.content.decode()

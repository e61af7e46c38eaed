"""Editing a chat message starts from its source text (Markdown and mentions), with and without JavaScript."""

import pytest
from django.utils import timezone

from chat import services
from chat.models import Message
from moderation.models import WatchedWord
from moderation.services import add_watched_word

from .conftest import post


def _message(room, author, body="I **really** liked tonight, thanks @Sam_R"):
    return services.post_message(room=room, author=author, body=body).message


@pytest.mark.django_db
def test_the_room_page_gives_the_author_the_source_in_an_edit_form(member_client, member, member2, room):
    mine = _message(room, member)
    theirs = _message(room, member2, body="Glad you came *tonight*")
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert f'action="/chat/{room.slug}/messages/{mine.pk}/edit/"' in page
    assert "I **really** liked tonight, thanks @Sam_R</textarea>" in page
    # Someone else's message has no edit form, and its source is not in the page.
    assert f"/messages/{theirs.pk}/edit/" not in page
    assert "Glad you came *tonight*" not in page


@pytest.mark.django_db
def test_the_edit_page_shows_the_source_and_saving_renders_it_again(member_client, member, room):
    message = _message(room, member)
    page = member_client.get(f"/chat/{room.slug}/messages/{message.pk}/edit/").content.decode()
    assert "I **really** liked tonight, thanks @Sam_R</textarea>" in page
    response = member_client.post(
        f"/chat/{room.slug}/messages/{message.pk}/edit/", {"body": "I *really* liked tonight"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith(f"#m-{message.pk}")
    assert "Your message is updated." in response.content.decode()
    message.refresh_from_db()
    assert message.body == "I *really* liked tonight"
    assert "<em>really</em>" in message.html and message.edited_at is not None


@pytest.mark.django_db
def test_nobody_edits_someone_elses_message(member2_client, member, room):
    message = _message(room, member)
    assert member2_client.get(f"/chat/{room.slug}/messages/{message.pk}/edit/").status_code == 403
    assert member2_client.post(f"/chat/{room.slug}/messages/{message.pk}/edit/", {"body": "changed"}).status_code == 403
    message.refresh_from_db()
    assert message.body.startswith("I **really**") and message.edited_at is None


@pytest.mark.django_db
def test_outside_the_rooms_audience_the_message_does_not_exist(teen_client, member, room):
    message = _message(room, member)
    assert teen_client.get(f"/chat/{room.slug}/messages/{message.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_a_blocked_word_keeps_the_typed_text_and_says_why(member_client, member, room, staff):
    add_watched_word(
        actor=staff, kind=WatchedWord.Kind.PHRASE, pattern="buy pills here", action="block", note="No sources here."
    )
    message = _message(room, member)
    response = member_client.post(f"/chat/{room.slug}/messages/{message.pk}/edit/", {"body": "buy pills here please"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "No sources here." in page and "buy pills here please</textarea>" in page
    message.refresh_from_db()
    assert message.body.startswith("I **really**")


@pytest.mark.django_db
def test_an_empty_edit_is_refused_and_changes_nothing(member_client, member, room):
    message = _message(room, member)
    response = member_client.post(f"/chat/{room.slug}/messages/{message.pk}/edit/", {"body": "   "})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    message.refresh_from_db()
    assert message.edited_at is None


@pytest.mark.django_db
def test_a_muted_member_cannot_edit_and_is_told_until_when(member_client, member, moderator, room):
    message = _message(room, member)
    services.mute_member(room=room, member=member, actor=moderator, minutes=30, reason="cool down")
    response = member_client.post(f"/chat/{room.slug}/messages/{message.pk}/edit/", {"body": "changed"})
    assert response.status_code == 400
    assert "You can read this room but not write in it until" in response.content.decode()
    assert Message.objects.get(pk=message.pk).edited_at is None


@pytest.mark.django_db(transaction=True)
async def test_frames_answering_the_author_carry_the_source_and_others_never_do(connect, room, member, member2):
    await post(room, member, "See you **tomorrow**, @Sam_R")
    sam = await connect(member, room.slug)
    alex = await connect(member2, room.slug)
    await sam.send({"type": "history", "before_seq": 2, "limit": 5})
    (own,) = (await sam.receive_type("history"))["messages"]
    assert own["source"] == "See you **tomorrow**, @Sam_R"
    await alex.send({"type": "history", "before_seq": 2, "limit": 5})
    (seen,) = (await alex.receive_type("history"))["messages"]
    assert "source" not in seen
    await alex.send({"type": "catch_up", "after_seq": 0})
    assert "source" not in await alex.receive_type("message")
    await sam.send({"type": "catch_up", "after_seq": 0})
    assert (await sam.receive_type("message"))["source"] == "See you **tomorrow**, @Sam_R"


@pytest.mark.django_db(transaction=True)
async def test_an_edit_broadcast_does_not_carry_the_source(connect, room, member, member2):
    posted = await post(room, member, "first **draft**")
    sam = await connect(member, room.slug)
    alex = await connect(member2, room.slug)
    await sam.send({"type": "edit", "id": posted.message.pk, "body": "second **draft**"})
    edited = await alex.receive_type("message_edited")
    assert "source" not in edited and "<strong>draft</strong>" in edited["html"]
    since = timezone.now().replace(year=2000).isoformat()
    await sam.send({"type": "catch_up", "after_seq": 1, "since": since})
    frames = [f for f in await sam.drain(0.5) if f["type"] == "message_edited" and "source" in f]
    assert frames and frames[-1]["source"] == "second **draft**"

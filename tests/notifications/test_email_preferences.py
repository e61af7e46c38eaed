"""A member chooses, per kind of notice, how often they are emailed: right away, daily, weekly or never."""

import pytest
from django.core.exceptions import ValidationError

from notifications.forms import EmailPreferencesForm
from notifications.kinds import DEFAULT_FREQUENCY, Frequency, KindGroup, group_for_kind
from notifications.models import EmailPreference
from notifications.selectors import preferences_for
from notifications.services import set_email_preferences


@pytest.mark.parametrize(
    ("kind", "group"),
    [
        ("forum_mention", KindGroup.MENTIONS),
        ("chat_mention", KindGroup.MENTIONS),
        ("forum_reply", KindGroup.REPLIES),
        ("forum_reaction", KindGroup.REACTIONS),
        ("report_reviewed", KindGroup.MODERATION),
        ("content_moderated", KindGroup.MODERATION),
        ("sanction", KindGroup.MODERATION),
        ("sanction_lifted", KindGroup.MODERATION),
        ("appeal_decided", KindGroup.MODERATION),
        ("connections_buddy_request", KindGroup.CONNECTIONS),
        ("connections_nudge", KindGroup.CONNECTIONS),
        ("welcome", None),  # shown in the app only: nobody was asked about emails for it
    ],
)
def test_every_kind_belongs_to_its_group(kind, group):
    assert group_for_kind(kind) == group


def test_a_member_who_never_chose_gets_the_defaults(member):
    assert preferences_for(member) == {
        "mentions": "daily",
        "replies": "daily",
        "reactions": "never",
        "moderation": "immediately",
        "connections": "immediately",
    }
    assert preferences_for(member) == {str(k): str(v) for k, v in DEFAULT_FREQUENCY.items()}


def test_choices_are_kept_per_member_and_per_group(member, member2):
    set_email_preferences(user=member, choices={"mentions": "immediately", "reactions": "weekly"})
    set_email_preferences(user=member, choices={"mentions": "never"})
    mine = preferences_for(member)
    assert (mine["mentions"], mine["reactions"], mine["replies"]) == ("never", "weekly", "daily")
    assert preferences_for(member2)["mentions"] == "daily"


@pytest.mark.parametrize(
    "choices", [{"mentions": "hourly"}, {"gossip": "daily"}, {"mentions": "never", "replies": "sometimes"}]
)
def test_unknown_choices_are_refused_whole(member, choices):
    with pytest.raises(ValidationError):
        set_email_preferences(user=member, choices=choices)
    assert not EmailPreference.objects.exists()


def test_the_form_starts_from_the_members_choices_and_feeds_the_service(member):
    set_email_preferences(user=member, choices={"replies": "weekly"})
    form = EmailPreferencesForm(user=member)
    assert form["replies"].initial == "weekly" and form["moderation"].initial == "immediately"
    data = {f"email-{group}": "never" for group in KindGroup.values}
    form = EmailPreferencesForm(user=member, data=data)
    assert form.is_valid()
    set_email_preferences(user=member, choices=form.cleaned_data)
    assert set(preferences_for(member).values()) == {"never"}


def test_the_form_refuses_a_missing_or_made_up_answer(member):
    data = {f"email-{group}": "daily" for group in KindGroup.values}
    data["email-mentions"] = "hourly"
    del data["email-replies"]
    form = EmailPreferencesForm(user=member, data=data)
    assert not form.is_valid()
    assert set(form.errors) == {"mentions", "replies"}


def test_the_settings_page_shows_one_labelled_group_of_choices_per_kind(member_client):
    page = member_client.get("/notifications/email/").content.decode()
    assert page.count("<fieldset") == len(KindGroup.values)
    for group in KindGroup:
        assert f"<legend>{group.label}</legend>" in page
        for frequency in Frequency.values:
            assert f'name="email-{group.value}" value="{frequency}"' in page
    assert 'value="immediately" id="id_email-moderation_0" required checked' in page  # right away, the default


def test_saving_the_settings_page(member, member_client):
    data = {f"email-{group}": "weekly" for group in KindGroup.values}
    response = member_client.post("/notifications/email/", data, follow=True)
    assert "Saved." in response.content.decode()
    assert set(preferences_for(member).values()) == {"weekly"}


def test_a_bad_answer_on_the_settings_page_is_explained_and_nothing_is_saved(member, member_client):
    data = {f"email-{group}": "weekly" for group in KindGroup.values}
    data["email-moderation"] = "hourly"
    response = member_client.post("/notifications/email/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not EmailPreference.objects.filter(user=member).exists()


def test_the_settings_page_is_for_members_only(client, applicant_client):
    assert client.get("/notifications/email/").status_code == 302
    assert applicant_client.get("/notifications/email/").status_code == 302

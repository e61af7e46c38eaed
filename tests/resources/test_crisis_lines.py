"""The crisis lines come from one place staff edit (the crisis page): a change published in /cms/ shows on /help/,
at the foot of every page, in the composers and in chat's private crisis note."""

from django.template.loader import render_to_string
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from resources.crisis import DEFAULT_CRISIS_LINES, current_crisis_lines
from resources.models import CrisisPage

NEW_NUMBER = "1-800-555-0199"


def crisis_form(page: CrisisPage, lines: list[dict], **extra) -> dict:
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": rich_text("<p>You matter. Reach out now.</p>"),
            "lines": streamfield([("line", line) for line in lines]),
            "while_waiting": streamfield(
                [("steps", {"title": "While you wait", "steps": streamfield([("item", "Stay with someone.")])})]
            ),
            "comments": inline_formset([]),
            **extra,
        }
    )


def _line(**changes) -> dict:
    base = {
        "name": "Clinic after-hours line",
        "short_name": "Clinic line",
        "phone": NEW_NUMBER,
        "can_text": False,
        "chat_url": "",
        "description": "Our on-call counsellor answers day and night.",
        "on_every_page": True,
    }
    return {**base, **changes}


def _defaults() -> list[dict]:
    from dataclasses import asdict

    return [asdict(line) for line in DEFAULT_CRISIS_LINES]


def test_a_visitor_reads_help_without_signing_in(client, db):
    html = client.get("/help/").content.decode()
    for number in ("988", "1-800-662-4357", "911"):
        assert f">{number}</a>" in html
    assert 'href="tel:18006624357"' in html


def test_a_crisis_line_change_made_in_the_admin_shows_everywhere(client, publisher, client_for, member_client):
    member_client.get("/")  # the old lines are cached now, as on a running site
    page = CrisisPage.objects.get()
    response = client_for(publisher).post(
        f"/cms/pages/{page.pk}/edit/", {**crisis_form(page, [*_defaults(), _line()]), "action-publish": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    help_page = client.get("/help/").content.decode()
    assert NEW_NUMBER in help_page and "Stay with someone." in help_page
    for path in ("/", "/resources/", "/notifications/"):
        assert f'href="tel:18005550199">{NEW_NUMBER}</a>' in member_client.get(path).content.decode(), path
    assert NEW_NUMBER in render_to_string("chat/crisis_resources.html")
    assert NEW_NUMBER in render_to_string("forum/includes/crisis_note.html")


def test_a_line_taken_off_the_short_list_stays_on_help_only(client, publisher, client_for, member_client):
    page = CrisisPage.objects.get()
    lines = [*_defaults(), _line(on_every_page=False)]
    client_for(publisher).post(f"/cms/pages/{page.pk}/edit/", {**crisis_form(page, lines), "action-publish": "1"})
    assert NEW_NUMBER in client.get("/help/").content.decode()
    assert NEW_NUMBER not in member_client.get("/").content.decode()


def test_a_number_without_digits_is_refused_and_nothing_changes(publisher, client_for):
    page = CrisisPage.objects.get()
    response = client_for(publisher).post(
        f"/cms/pages/{page.pk}/edit/", {**crisis_form(page, [_line(phone="call us")]), "action-publish": "1"}
    )
    assert response.status_code == 200
    assert "Please write the number with digits" in response.content.decode()
    assert [line.phone for line in current_crisis_lines()] == ["988", "1-800-662-4357", "911"]


def test_an_editors_change_waits_for_review(client, editor, client_for):
    page = CrisisPage.objects.get()
    client_for(editor).post(
        f"/cms/pages/{page.pk}/edit/", {**crisis_form(page, [*_defaults(), _line()]), "action-publish": "1"}
    )
    assert NEW_NUMBER not in client.get("/help/").content.decode()


def test_without_a_published_crisis_page_the_lines_still_show(client, member_client):
    CrisisPage.objects.get().unpublish()
    assert "1-800-662-4357" in client.get("/help/").content.decode()
    assert "1-800-662-4357" in member_client.get("/").content.decode()


def test_the_crisis_page_lives_at_help(member_client, db):
    page = CrisisPage.objects.get()
    assert page.url == "/help/"
    response = member_client.get("/resources/help/")
    assert response.status_code == 302 and response["Location"] == "/help/"


def test_error_pages_show_the_lines(member_client, db):
    response = member_client.get("/resources/no-such-page/")
    assert response.status_code == 404 and "1-800-662-4357" in response.content.decode()
    assert "1-800-662-4357" in render_to_string("500.html")

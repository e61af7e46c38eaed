"""Staff publish through review: a resource editor writes and submits, a resource publisher approves; an editor
cannot publish alone. Pages are created and edited through the Wagtail admin with Wagtail's form-data helpers."""

from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from resources.models import ResourcePage
from tests.resources.conftest import publish


def resource_form(title: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "summary": "What to do when a craving comes.",
            "body": streamfield(
                [
                    ("heading", "Notice it"),
                    ("paragraph", rich_text("<p>A craving rises and falls like a wave.</p>")),
                    ("callout", {"kind": "caution", "title": "Withdrawal", "text": "Call your clinic."}),
                    ("steps", {"title": "Urge surfing", "steps": streamfield([("item", "Breathe out slowly.")])}),
                ]
            ),
            "tags": "cravings, coping skills",
            "comments": inline_formset([]),
            **extra,
        }
    )


def test_an_editor_creates_and_submits_but_cannot_publish(index, editor, client_for):
    client = client_for(editor)
    url = f"/cms/pages/add/resources/resourcepage/{index.pk}/"
    response = client.post(url, {**resource_form("Riding the wave"), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ResourcePage.objects.get(slug="riding-the-wave")
    assert not page.live, "an editor's publish button must not publish"

    response = client.post(f"/cms/pages/{page.pk}/edit/", {**resource_form("Riding the wave"), "action-submit": "1"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow.name == "Resource review"


def test_a_publisher_approves_and_members_then_see_the_page(index, editor, publisher, client_for, member_client):
    client = client_for(editor)
    client.post(
        f"/cms/pages/add/resources/resourcepage/{index.pk}/", {**resource_form("Riding the wave"), "action-submit": "1"}
    )
    page = ResourcePage.objects.get(slug="riding-the-wave")
    assert member_client.get("/resources/").content.decode().count("Riding the wave") == 0
    task_state = page.current_workflow_task_state
    # The editor cannot approve their own submission: only resource publishers are the task's group.
    client.post(f"/cms/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Looks fine to me"})
    page.refresh_from_db()
    assert not page.live
    response = client_for(publisher).post(
        f"/cms/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Lovely, thank you."}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    html = member_client.get(page.url).content.decode()
    assert "Riding the wave" in html and "A craving rises and falls like a wave." in html
    assert "Riding the wave" in member_client.get("/resources/").content.decode()


def test_editors_and_publishers_keep_revisions_and_can_schedule(index, publisher, client_for):
    page = publish(index, "Sleep and recovery")
    client = client_for(publisher)
    response = client.post(
        f"/cms/pages/{page.pk}/edit/",
        {**resource_form("Sleep and recovery", go_live_at="2099-01-01 09:00"), "action-publish": "1"},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    # Publishing with a date in the future schedules it (Wagtail's publish_scheduled command publishes it then).
    assert page.revisions.count() == 2
    assert page.revisions.order_by("-created_at").first().approved_go_live_at is not None
    assert client.get(f"/cms/pages/{page.pk}/history/").status_code == 200
    assert client.get(f"/cms/pages/{page.pk}/edit/preview/").status_code in (200, 405)


def test_only_staff_open_the_cms(member_client, editor, client_for):
    assert member_client.get("/cms/").status_code in (403, 302)
    assert client_for(editor).get("/cms/").status_code == 200


def test_the_admin_names_the_community(editor, client_for):
    html = client_for(editor).get("/cms/").content.decode()
    assert "Alumni Circle" in html
    assert "localhost" not in html


def test_the_admin_names_staff_by_display_name(editor, client_for):
    from wagtail.admin.utils import get_user_display_name

    assert get_user_display_name(editor) == "Casey editor"
    page = client_for(editor).get("/cms/").content.decode()
    assert "None None" not in page
    # The sidebar's account menu names them by their pseudonym too, never by their email address.
    assert editor.email not in page


def test_wagtail_sample_groups_and_the_staff_roles_publishing_are_gone(db):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not GroupPagePermission.objects.filter(group__name="staff").exists()
    assert Page.objects.filter(slug="home", depth=2).count() == 0  # Wagtail's "Welcome" page

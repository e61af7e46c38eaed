"""What members see of resource pages: the blocks, topics, newest first, and the latest on the home page."""

from django.db.models.signals import post_migrate
from wagtail.models import GroupPagePermission, Site

from resources.models import CrisisPage, MeetingSchedulePage, ResourceIndexPage, ResourcePage
from resources.services import EDITORS, ensure_resource_root
from tests.resources.conftest import publish

BODY = [
    ("heading", "Notice the wave"),
    ("paragraph", "<p>A craving <b>passes</b>.</p>"),
    ("quote", {"quote": "It got easier.", "attribution": "An alumnus"}),
    ("callout", {"kind": "caution", "title": "Withdrawal", "text": "Call your clinic team first."}),
    ("steps", {"title": "Urge surfing", "steps": ["Pause and name it.", "Breathe out slowly."]}),
    ("outside_link", {"url": "https://www.samhsa.gov/", "title": "SAMHSA", "description": "Helpline"}),
]


def test_page_types_fit_together(index):
    assert ResourcePage.can_create_at(index)
    assert CrisisPage.can_exist_under(index) and not CrisisPage.can_create_at(index)  # one already exists
    assert MeetingSchedulePage.can_create_at(index)
    assert not ResourceIndexPage.can_create_at(index)
    page = publish(index, "Parent page")
    assert ResourcePage.can_create_at(page) and not MeetingSchedulePage.can_create_at(page)


def test_a_resource_page_shows_every_block(index, member_client):
    page = publish(index, "Urge surfing", body=BODY, tags=["cravings"], summary="Ride it out.")
    html = member_client.get(page.url).content.decode()
    assert "<h2>Notice the wave</h2>" in html and "<b>passes</b>" in html
    assert "<blockquote><p>It got easier.</p></blockquote>" in html
    assert "Caution: Withdrawal" in html
    assert "<li>Pause and name it.</li>" in html and "<ol>" in html
    assert 'href="https://www.samhsa.gov/" target="_blank" rel="noopener noreferrer"' in html
    assert "/resources/?topic=cravings" in html


def test_the_index_lists_newest_first_and_filters_by_topic(index, member_client):
    publish(index, "Older page", tags=["sleep"])
    publish(index, "Newer page", tags=["cravings"])
    html = member_client.get("/resources/").content.decode()
    assert html.index("Newer page") < html.index("Older page")
    assert "Get help now" in html  # the crisis page's card
    filtered = member_client.get("/resources/", {"topic": "sleep"}).content.decode()
    assert "Older page" in filtered and "Newer page" not in filtered
    assert 'aria-current="page">sleep' in filtered


def test_the_home_page_shows_the_latest_resources(index, member_client):
    publish(index, "HALT check")
    html = member_client.get("/").content.decode()
    assert "New in resources" in html and "HALT check" in html


def test_set_up_runs_once_and_keeps_what_staff_changed(index):
    """No post_migrate hook of this app: a later `migrate` must not undo changes made in the admin."""
    assert not [r for r in post_migrate._live_receivers(sender=None)[0] if "resources" in getattr(r, "__module__", "")]
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "Alumni Circle" and site.hostname != "localhost"
    site.site_name = "Our circle"
    site.save()
    GroupPagePermission.objects.filter(group__name=EDITORS, permission__codename="add_page").delete()
    ensure_resource_root()
    assert Site.objects.get(is_default_site=True).site_name == "Our circle"
    assert not GroupPagePermission.objects.filter(group__name=EDITORS, permission__codename="add_page").exists()


def test_no_wagtail_app_fetches_from_other_hosts():
    from django.conf import settings

    assert "wagtail.embeds" not in settings.INSTALLED_APPS
    assert "wagtail.contrib.forms" not in settings.INSTALLED_APPS

from wagtail.models import PageViewRestriction

from resources import demo
from resources.models import MeetingSchedulePage, ResourcePage
from tests.factories import UserFactory, programme_group, teen_year


def test_the_demo_builds_the_tree_once(db, client_for):
    demo.seed()
    demo.seed()  # again: nothing doubles
    titles = set(ResourcePage.objects.values_list("title", flat=True))
    for title in (
        "Coping with cravings: urge surfing",
        "The HALT check: hungry, angry, lonely, tired",
        "5-4-3-2-1 grounding",
        "Writing a relapse prevention plan",
        "Teen Group alumni",
    ):
        assert title in titles
    assert ResourcePage.objects.count() == len(demo.GUIDES) + len(demo.GROUP_PAGES)
    assert MeetingSchedulePage.objects.get().meetings.count() == len(demo.MEETINGS)
    assert PageViewRestriction.objects.count() == len(demo.GROUP_PAGES)
    teen = UserFactory(display_name="Rae", year_of_birth=teen_year(), programme_groups=[programme_group("teen-group")])
    html = client_for(teen).get("/resources/").content.decode()
    assert "Teen Group alumni" in html and "Dual Diagnosis alumni" not in html and "HALT" in html

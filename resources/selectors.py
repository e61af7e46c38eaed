"""Member-facing reads of the resource pages: every listing, search and teaser goes through Wagtail's view
restrictions (page privacy: signed-in users, certain groups, or a shared password), as serving a page does.

Wagtail checks a restriction when a page is served (`PageViewRestriction.accept_request`, in its
`before_serve_page` hook), but `get_children().live()` and search know nothing of it, so titles of private
pages would show in lists. `PageQuerySet.public()` would hide every private page, even from the people it is
for; instead, each request leaves out exactly the private sections it does not pass. Restrictions are few (one
per private section), so they are read in one query, the member's groups in one more, whatever the number of
pages.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from .models import ResourceIndexPage, ResourcePage

MAX_QUERY = 100
MAX_TERMS = 8


def _passes(restriction: PageViewRestriction, request, group_ids: set[int]) -> bool:
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        # accept_request would query the member's groups once per restriction; the same rule on ids read once.
        if request.user.is_site_admin:
            return True
        return any(group.pk in group_ids for group in restriction.groups.all())
    return restriction.accept_request(request)  # login and password: no query (session and user only)


def private_paths_for(request) -> list[str]:
    """Tree paths of the private sections this request may not see (each covers the page and all below it)."""
    user = request.user
    group_ids = set(user.groups.values_list("pk", flat=True)) if user.is_authenticated else set()
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return [r.page.path for r in restrictions if not _passes(r, request, group_ids)]


def _hidden_q(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def visible_pages_for(request, pages=None):
    """Live pages (of `pages`, or all resource pages) that this request may see."""
    pages = ResourcePage.objects.all() if pages is None else pages
    return pages.live().exclude(_hidden_q(private_paths_for(request)))


def children_for(request, page: Page):
    """The live subpages of `page` the request may see, in the order staff arranged them."""
    return visible_pages_for(request, page.get_children()).specific()


def latest_resources_for(request, *, limit: int = 5) -> list[Page]:
    """The most recently published resource pages the request may see (for the home page)."""
    return list(visible_pages_for(request).order_by("-first_published_at", "-pk")[:limit])


def clean_resource_query(query: str) -> str:
    """Words only, and few of them: members search titles and text, not a query language."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in (query or "")[:MAX_QUERY]).split() if len(w) > 1]
    return " ".join(words[:MAX_TERMS])


def search_resources(request, query: str, *, limit: int = 20) -> list[Page]:
    """Resource pages matching `query` that the request may see, best first."""
    query = clean_resource_query(query)
    if not query:
        return []
    hidden = tuple(private_paths_for(request))
    index = ResourceIndexPage.objects.first()
    pages = ResourcePage.objects.live()
    if index is not None:
        pages = pages.descendant_of(index)
    # The search backend filters only on indexed fields; the private sections are left out afterwards, from a
    # few more hits than needed, so that hidden pages can neither show nor crowd out visible ones.
    hits = pages.search(query, operator="and")[: limit + 50]
    return [page for page in hits if not page.path.startswith(hidden)][:limit]

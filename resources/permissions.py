"""Who may see a resource page: Wagtail's page privacy, read with the community's audience rules.

Wagtail's own check (`PageViewRestriction.accept_request`) looks at the member's Django groups only, and lets any
superuser through. Here a "Private: these groups" restriction is read the way spaces' audiences are
(members.audience):

- a group that stands for a programme group (ProgrammeAccessGroup) admits that programme's members;
- a restriction naming a teen programme group (the Teen Group) makes a teen page: only teens in it pass, and
  whatever else it names, adults never do (moderators and staff only when cleared for teens);
- teens pass no other group restriction, so adults' restricted pages never reach them;
- moderators and staff (with their second factor) pass adult restrictions, as they see every adult space;
- any other Django group admits its own members (adults only).

Everything that lists, searches or serves pages asks `RestrictionReader.passes`; it reads what it needs in a few
queries per request, whatever the number of pages or restrictions.
"""

from functools import cached_property

from django.http import Http404
from wagtail.models import PageViewRestriction

from .models import ProgrammeAccessGroup


class RestrictionReader:
    """The view restrictions of the tree, judged for one request."""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def restrictions(self) -> list[PageViewRestriction]:
        return list(PageViewRestriction.objects.select_related("page").prefetch_related("groups").order_by("pk"))

    @cached_property
    def _access(self) -> dict[int, tuple[int, bool]]:
        """Django group id -> (programme group id, is it for teens)."""
        rows = ProgrammeAccessGroup.objects.values_list("group_id", "programme_group_id", "programme_group__for_teens")
        return {group_id: (programme_id, for_teens) for group_id, programme_id, for_teens in rows}

    @cached_property
    def _own_group_ids(self) -> set[int]:
        """The Django groups this member counts as in: their own, and those of their programme groups."""
        if not self.user.is_authenticated:
            return set()
        from members.models import ProgrammeMembership

        programme_ids = set(ProgrammeMembership.objects.filter(user_id=self.user.pk).values_list("group_id", flat=True))
        own = set(self.user.groups.values_list("pk", flat=True))
        return own | {gid for gid, (pid, _teen) in self._access.items() if pid in programme_ids}

    def passes(self, restriction: PageViewRestriction) -> bool:
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            return self._passes_groups({group.pk for group in restriction.groups.all()})
        if restriction.restriction_type == PageViewRestriction.LOGIN:
            return self.user.is_authenticated and self.user.is_approved_member
        return restriction.accept_request(self.request)  # a shared password (switched off in settings)

    def _passes_groups(self, group_ids: set[int]) -> bool:
        user = self.user
        if not user.is_authenticated or not user.is_approved_member:
            return False
        teen_ids = {gid for gid in group_ids if self._access.get(gid, (None, False))[1]}
        if user.is_moderator:
            return user.teen_cleared if teen_ids else True
        if teen_ids:
            return user.is_teen and bool(teen_ids & self._own_group_ids)
        if user.is_teen:
            return False
        return bool(group_ids & self._own_group_ids)

    @cached_property
    def hidden_paths(self) -> tuple[str, ...]:
        """Tree paths of the private sections this request may not see (each covers the page and all below it)."""
        return tuple(r.page.path for r in self.restrictions if not self.passes(r))

    def restrictions_on(self, page) -> list[PageViewRestriction]:
        """The restrictions on `page` and its ancestors, from the ones read already (Wagtail's
        `page.get_view_restrictions()` would query again)."""
        return [r for r in self.restrictions if page.path.startswith(r.page.path)]

    def may_see(self, page) -> bool:
        return not page.path.startswith(self.hidden_paths) if self.hidden_paths else True


def restriction_reader(request) -> RestrictionReader:
    """One reader per request: listings, search and the page itself share its queries."""
    reader = getattr(request, "_resource_restrictions", None)
    if reader is None:
        reader = RestrictionReader(request)
        request._resource_restrictions = reader
    return reader


def check_view_page(request, page) -> list[PageViewRestriction]:
    """Raise Http404 when this signed-in member may not see `page`: as for a space outside their audience, its
    existence stays hidden (not a sign-in prompt, which would say there is something here).

    Returns the shared-password restrictions still to be passed (Wagtail asks for the password).
    """
    reader = restriction_reader(request)
    failing = [r for r in reader.restrictions_on(page) if not reader.passes(r)]
    if any(r.restriction_type != PageViewRestriction.PASSWORD for r in failing):
        raise Http404("No such page.")
    return failing


def check_view_document(request, document) -> None:
    """A document is seen where a page that uses it is seen: Wagtail serves documents by id to anyone signed in,
    so without this a member could fetch a file from a teen or programme group's page by guessing its address.

    Raise Http404 unless a live page that uses the document passes this member's restrictions. Clinic staff (who
    manage documents in /cms/) see every document; a document no live page uses is for staff only.
    """
    from wagtail.models import Page, ReferenceIndex

    if request.user.is_authenticated and request.user.is_clinic_staff:
        return
    page_ids = {
        int(ref.object_id)
        for ref in ReferenceIndex.get_references_to(document)
        if ref.base_content_type.model_class() is Page
    }
    reader = restriction_reader(request)
    if not any(reader.may_see(page) for page in Page.objects.live().filter(pk__in=page_ids)):
        raise Http404("No such document.")

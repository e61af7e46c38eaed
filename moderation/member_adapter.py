"""Members themselves as reviewable things (a report about a person, from their profile). Moderation uses
`members` directly (DESIGN.md: moderation uses members), so this adapter lives here."""

from django.urls import reverse

from members.audience import members_visible_q
from members.models import User

from . import adapters


class MemberAdapter:
    kind = "member"
    label = "Member"
    model = User
    # Acting on a person is a sanction (moderation.services.sanctions), not a content action.
    actions: tuple[str, ...] = ()

    def _members(self):
        return User.objects.filter(is_active=True, approved_at__isnull=False)

    def get(self, target_id):
        return self._members().filter(pk=target_id).first()

    def get_many(self, ids):
        return {u.pk: u for u in self._members().filter(pk__in=list(ids))}

    def author(self, obj):
        return obj

    def text(self, obj) -> str:
        return f"Display name: {obj.display_name}"

    def state(self, obj) -> str:
        return adapters.VISIBLE

    def url(self, obj) -> str:
        return reverse("members:profile", args=[obj.pk])

    def where(self, obj) -> str:
        return "Profile"

    def in_teen_space(self, obj) -> bool:
        return obj.is_teen

    def can_report(self, user, obj) -> bool:
        return self._members().filter(members_visible_q(user), pk=obj.pk).exists()

    def context(self, obj):
        return []

    def act(self, name, obj, *, actor, reason, **options):
        raise adapters.UnknownKind(name)

    def move_choices(self, obj, user):
        return []

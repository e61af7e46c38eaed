"""A small reviewable kind for moderation's own tests, so they do not depend on the forum or chat adapters.

Its targets are taggit Tag rows (any model will do: a flag stores the target's content type); the adapter keeps
each thing's author, text and state in memory and audits its actions like a real app's services would.
"""

import uuid

import pytest
from taggit.models import Tag

from audit.models import AuditAction
from audit.services import record_audit
from moderation import adapters

_AUDIT = {
    adapters.HIDE: AuditAction.HIDE_POST,
    adapters.REMOVE: AuditAction.REMOVE_POST,
    adapters.RESTORE: AuditAction.RESTORE_POST,
    adapters.LOCK: AuditAction.LOCK_TOPIC,
    adapters.UNLOCK: AuditAction.UNLOCK_TOPIC,
    adapters.MOVE: AuditAction.MOVE_TOPIC,
    adapters.CONTENT_WARNING: AuditAction.CONTENT_WARNING,
}
_STATE = {adapters.HIDE: adapters.HIDDEN, adapters.REMOVE: adapters.REMOVED, adapters.RESTORE: adapters.VISIBLE}


class ThingAdapter:
    kind = "thing"
    label = "Test thing"
    actions = tuple(adapters.ACTIONS)

    def __init__(self):
        self.authors, self.texts, self.states, self.teen = {}, {}, {}, set()
        self.warnings, self.locked, self.category = {}, set(), {}

    def add(self, *, author, text="Something someone wrote", teen=False, state=adapters.VISIBLE):
        tag = Tag.objects.create(name=uuid.uuid4().hex, slug=uuid.uuid4().hex)
        self.authors[tag.pk], self.texts[tag.pk], self.states[tag.pk] = author, text, state
        if teen:
            self.teen.add(tag.pk)
        return tag

    def get(self, target_id):
        return Tag.objects.filter(pk=target_id).first() if target_id in self.authors else None

    def get_many(self, ids):
        return {t.pk: t for t in Tag.objects.filter(pk__in=[i for i in ids if i in self.authors])}

    def author(self, obj):
        return self.authors[obj.pk]

    def text(self, obj):
        return self.texts[obj.pk]

    def state(self, obj):
        return self.states[obj.pk]

    def url(self, obj):
        return f"/things/{obj.pk}/"

    def where(self, obj):
        return "Test room"

    def in_teen_space(self, obj):
        return obj.pk in self.teen

    def can_report(self, user, obj):
        return (obj.pk in self.teen) == user.is_teen and self.states[obj.pk] == adapters.VISIBLE

    def context(self, obj):
        return [adapters.ContextLine(author_name="Neighbour", text="The message before", created_at=None)]

    def act(self, name, obj, *, actor, reason, **options):
        if name in _STATE:
            old = self.states[obj.pk]
            self.states[obj.pk] = _STATE[name]
            changes = {"state": (old, _STATE[name])}
        elif name == adapters.CONTENT_WARNING:
            changes = {"warning": (self.warnings.get(obj.pk, ""), options["warning"])}
            self.warnings[obj.pk] = options["warning"]
        elif name == adapters.MOVE:
            changes = {"category": (self.category.get(obj.pk), options["category_id"])}
            self.category[obj.pk] = options["category_id"]
        else:
            (self.locked.add if name == adapters.LOCK else self.locked.discard)(obj.pk)
            changes = None
        record_audit(actor=actor, action=_AUDIT[name], target=obj, reason=reason, changes=changes)

    def move_choices(self, obj, user):
        return [(1, "Coping"), (2, "Sleep")]


@pytest.fixture
def things():
    """Registers the "thing" kind for one test and takes it away afterwards."""
    adapter = ThingAdapter()
    adapters.register(adapter)
    yield adapter
    adapters._adapters.pop(adapter.kind, None)

"""Categories, managed by staff; every change is audited."""

from django.db import transaction
from django.utils.text import slugify

from audit.models import AuditAction
from audit.services import record_audit
from members.audience import Audience, audience_groups_error

from ..models import Category
from .errors import ForumError


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "category"
    slug, n = base, 2
    while Category.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_groups_fit(audience: str, programme_groups) -> None:
    error = audience_groups_error(audience, programme_groups)
    if error:
        raise ForumError(error)


@transaction.atomic
def create_category(
    *,
    actor,
    name: str,
    description: str = "",
    audience: str = Audience.ADULTS,
    programme_groups=(),
    position: int = 0,
    locked: bool = False,
    slow_mode_seconds: int = 0,
    slug: str = "",
) -> Category:
    """Staff add a category; audited."""
    _check_groups_fit(audience, programme_groups)
    category = Category.objects.create(
        name=name.strip(),
        slug=slug or _unique_slug(name),
        description=description.strip(),
        audience=audience,
        position=position,
        locked=locked,
        slow_mode_seconds=slow_mode_seconds,
    )
    category.programme_groups.set(programme_groups if audience == Audience.GROUPS else [])
    record_audit(actor=actor, action=AuditAction.CREATE_CATEGORY, target=category, reason=f"audience: {audience}")
    return category


@transaction.atomic
def update_category(*, category: Category, actor, programme_groups=(), **fields) -> Category:
    """Staff change a category (name, description, audience, order, locked, slow mode); audited."""
    allowed = {"name", "description", "audience", "position", "locked", "slow_mode_seconds"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"update_category() got unexpected fields {sorted(unknown)}")
    audience = fields.get("audience", category.audience)
    _check_groups_fit(audience, programme_groups)
    changes = {k: (getattr(category, k), v) for k, v in fields.items() if getattr(category, k) != v}
    groups = list(programme_groups) if audience == Audience.GROUPS else []
    old_groups = sorted(category.programme_groups.values_list("name", flat=True))
    if old_groups != sorted(g.name for g in groups):
        changes["programme_groups"] = (old_groups, sorted(g.name for g in groups))
    for key, value in fields.items():
        setattr(category, key, value)
    category.save(update_fields=list(fields) or None)
    category.programme_groups.set(groups)
    # Saving the form unchanged writes no audit row (record_audit skips empty changes).
    record_audit(
        actor=actor,
        action=AuditAction.UPDATE_CATEGORY,
        target=category,
        reason="changed: " + ", ".join(changes),
        changes=changes,
    )
    return category

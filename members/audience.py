"""Audiences of spaces (forum categories, chat rooms): who may see a space at all.

A member outside the audience must get 404, so the space's existence stays hidden.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q


class Audience(models.TextChoices):
    ADULTS = "adults", "All adult members"
    GROUPS = "groups", "Selected programme groups (adults)"
    TEENS = "teens", "Teen members only"


class AudienceMixin(models.Model):
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ADULTS)
    programme_groups = models.ManyToManyField(
        "members.ProgrammeGroup", blank=True, related_name="+", help_text="Used when the audience is programme groups."
    )

    class Meta:
        abstract = True


def audience_q(user, model) -> Q:
    """A filter on `model` (an AudienceMixin) for the spaces `user` may see."""
    if not user.is_authenticated or not user.is_approved_member:
        return Q(pk__in=[])
    if user.is_moderator:
        return Q() if user.teen_cleared else ~Q(audience=Audience.TEENS)
    if user.is_teen:
        return Q(audience=Audience.TEENS)
    through = model.programme_groups.through
    own_field = model._meta.model_name + "_id"
    # The member's groups as a subquery, not a list fetched first: one query less on every page that lists spaces.
    in_group = through.objects.filter(**{own_field: OuterRef("pk")}, programmegroup_id__in=_group_ids_of(user))
    return Q(audience=Audience.ADULTS) | (Q(audience=Audience.GROUPS) & Exists(in_group))


def _group_ids_of(user):
    from .models import ProgrammeMembership  # local: models import this module's mixin

    return ProgrammeMembership.objects.filter(user_id=user.pk).values("group_id")


def in_audience(user, space) -> bool:
    """Whether `user` may see this one space (a query only for programme-group audiences)."""
    if not user.is_authenticated or not user.is_approved_member:
        return False
    if user.is_moderator:
        return user.teen_cleared or space.audience != Audience.TEENS
    if user.is_teen:
        return space.audience == Audience.TEENS
    if space.audience == Audience.ADULTS:
        return True
    if space.audience == Audience.GROUPS:
        return space.programme_groups.filter(pk__in=_group_ids_of(user)).exists()
    return False


def members_visible_q(user) -> Q:
    """A filter on users: teens and adults never see each other (staff and moderators are seen by all)."""
    from .models import ADULT_AGE, Role, User, clinic_year  # local: models import this module's mixin

    adult_born_by = clinic_year() - ADULT_AGE
    in_privileged_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=[Role.MODERATOR, Role.STAFF]
    )
    privileged = Exists(in_privileged_group) | Q(is_superuser=True)
    if user.is_moderator and user.teen_cleared:
        return Q()
    if user.is_teen:
        return Q(year_of_birth__gt=adult_born_by) | privileged
    return Q(year_of_birth__lte=adult_born_by) | privileged


def audience_groups_error(audience: str, programme_groups) -> str | None:
    """Why these programme groups do not fit the audience of a space, or None when they do."""
    if audience != Audience.GROUPS:
        return None
    groups = list(programme_groups or [])
    if not groups:
        return "Please choose at least one programme group for this audience."
    if any(g.for_teens for g in groups):
        return "Teen spaces use the “Teen members only” audience, not programme groups."
    return None


def audience_choice_error(user, audience: str) -> str | None:
    """Why `user` may not give a space this audience, or None: teen spaces are set up by teen-cleared staff only.

    Staff who are not cleared do not see teen spaces at all (audience_q), so they could not look after one.
    """
    if audience == Audience.TEENS and not (user.is_moderator and user.teen_cleared):
        return "Only staff cleared to work with teens can set up a teen space. Please ask one of them."
    return None

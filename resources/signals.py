"""Side effects from other apps' and Wagtail's events (the only use of signals here)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .crisis import forget_crisis_lines
from .models import CrisisPage


@receiver(post_save, sender="members.ProgrammeGroup")
def give_a_new_programme_group_its_access_group(sender, instance, raw=False, **kwargs):
    """Staff can restrict pages to a programme group as soon as it exists (and see it under its current name)."""
    if raw:
        return  # loading fixtures
    from .services import ensure_programme_access_group

    ensure_programme_access_group(instance)


@receiver(page_published, sender=CrisisPage)
@receiver(page_unpublished, sender=CrisisPage)
@receiver(post_delete, sender=CrisisPage)
def show_the_new_crisis_lines(sender, **kwargs):
    forget_crisis_lines()

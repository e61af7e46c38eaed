from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import Signal, receiver

# Sent (after commit) whenever something changes what a member may see or enter: groups, role, teen clearance,
# the age line, deactivation, a sanction, sign-out. Keyword argument `user_ids`: the members affected.
# Apps that hold long-lived connections (chat sockets) listen and re-check or close them at once.
member_access_changed = Signal()


def announce_access_changed(*user_ids: int) -> None:
    """Tell listeners once the current transaction commits (at once outside one)."""
    ids = tuple(sorted({uid for uid in user_ids if uid is not None}))
    if ids:
        transaction.on_commit(lambda: member_access_changed.send(sender=None, user_ids=ids))


@receiver(email_confirmed)
def _mirror_verified_email(sender, request, email_address, **kwargs):
    from .services import mark_email_verified

    mark_email_verified(user=email_address.user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        announce_access_changed(user.pk)

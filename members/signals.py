from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed)
def _mirror_verified_email(sender, request, email_address, **kwargs):
    from .services import mark_email_verified

    mark_email_verified(user=email_address.user)

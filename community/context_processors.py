from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    user = getattr(request, "user", None)
    is_member = bool(user and user.is_authenticated and user.is_approved_member)

    def unread():
        from notifications.selectors import unread_count

        return unread_count(user) if is_member else 0

    return {
        "site_name": settings.COMMUNITY_NAME,
        "is_member": is_member,
        # Lazy: pages that do not show the bell (sign-in, /help/) run no query for it.
        "unread_notifications": SimpleLazyObject(unread),
        "mfa_relaxed": not settings.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED,
    }

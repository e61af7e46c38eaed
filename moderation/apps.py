from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self):
        from members.naming import register_name_screen

        from . import adapters
        from .member_adapter import MemberAdapter
        from .services import screen_name

        adapters.register(MemberAdapter())
        _register_teen_scopes(adapters)
        # Display names pass the same watched words; members cannot import moderation, so it offers a hook.
        register_name_screen(screen_name)
        from . import account_data  # noqa: F401 - registers moderation's part of a member's export and erasure


def _register_teen_scopes(adapters) -> None:
    from members.models import ADULT_AGE, User, clinic_year

    from .models import ReviewItem

    def teen_members():
        # Matches User.is_teen (this year minus the year of birth below ADULT_AGE), read when the log is shown.
        return User.objects.filter(year_of_birth__gt=clinic_year() - ADULT_AGE).values("pk")

    adapters.register_teen_scope(User, teen_members)
    adapters.register_teen_scope(ReviewItem, lambda: ReviewItem.objects.filter(in_teen_space=True).values("pk"))

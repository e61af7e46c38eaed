import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

# Each app that has demo content offers `<app>.demo.seed()`; they run in this order.
DEMO_APPS = ["members", "resources", "forum", "chat", "connections"]


class Command(BaseCommand):
    help = "Build a small demo community and print its sign-ins (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "ALLOW_DEMO_SEED", False):
            raise CommandError("seed_demo is for development: it sets known passwords. Use the dev settings.")
        from members.setup import ensure_roles_and_groups
        from resources.services import ensure_resource_root

        # The demo's posts stand for months of history, so the hold on a new member's first posts does not apply to
        # them; the reports and the urgent item the demo adds (forum.demo, chat.demo) fill the review queue instead.
        with transaction.atomic(), override_settings(MODERATION_NEW_MEMBER_HOLD_POSTS=0):
            ensure_roles_and_groups()
            ensure_resource_root()
            sign_ins = []
            for app in DEMO_APPS:
                if importlib.util.find_spec(f"{app}.demo") is None:
                    continue
                result = importlib.import_module(f"{app}.demo").seed()
                if app == "members":
                    sign_ins = result
        self.stdout.write(self.style.SUCCESS(f"Demo community ready ({len(sign_ins)} demo sign-ins)."))

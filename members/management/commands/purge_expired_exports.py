"""Daily: delete members' data exports past their expiry (7 days), files and all."""

from django.core.management.base import BaseCommand

from members.account_data import purge_expired_exports


class Command(BaseCommand):
    help = "Delete members' data exports that have expired (and any that never finished)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_expired_exports()} expired export(s).")

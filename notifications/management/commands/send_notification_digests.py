"""Queue the daily or weekly notification digests: one email task per member who has something to hear about.

Run from cron or a systemd timer, once a day with --period daily and once a week with --period weekly. Each
task marks what it emailed about, so running the command twice sends nothing twice.
"""

from django.core.management.base import BaseCommand

from notifications.email import enqueue_now
from notifications.kinds import DIGEST_PERIODS
from notifications.selectors import digest_recipient_ids
from notifications.tasks import send_digest

CHUNK = 1000


class Command(BaseCommand):
    help = "Queue one digest email task per member with unread notices not yet emailed, in groups set to --period."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, choices=[str(p) for p in DIGEST_PERIODS])

    def handle(self, *args, period: str, **options):
        queued = failed = 0
        # Read in id-ordered chunks, so no cursor stays open while tasks are written (the database backend's
        # queue is a table in the same database).
        last_id = 0
        while True:
            ids = list(digest_recipient_ids(period).filter(recipient_id__gt=last_id)[:CHUNK])
            if not ids:
                break
            last_id = ids[-1]
            for user_id in ids:
                if enqueue_now(send_digest, {"user_id": user_id, "period": period}):
                    queued += 1
                else:
                    failed += 1
        self.stdout.write(f"Queued {queued} {period} digest email(s).")
        if failed:
            self.stderr.write(f"{failed} could not be queued (see the log); the next run will try them again.")

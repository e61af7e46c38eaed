from django.core.management.base import BaseCommand

from connections import services


class Command(BaseCommand):
    help = (
        "Open today's check-in topic (\"Check-in: Tuesday 27 November\", the clinic's date) in each check-in "
        "category. Safe to run any number of times a day: a topic already open is left as it is. Run it daily "
        "shortly after midnight (cron, a systemd timer); a member's first check-in of the day opens it too."
    )

    def handle(self, *args, **options):
        opened = services.open_daily_checkins()
        if not opened:
            self.stdout.write(
                "No check-in topic was opened: there is no check-in category, or no staff account to open it "
                "(set COMMUNITY_CHECKIN_AUTHOR_EMAIL)."
            )
        for checkin in opened:
            self.stdout.write(f"{checkin.category.name}: {checkin.topic.title}")

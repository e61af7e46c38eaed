"""Daily: post the recovery milestones members asked to share (forum.milestones). Run it once a day (cron or a
systemd timer); running it twice on a day posts nothing twice."""

from django.core.management.base import BaseCommand

from forum.milestones import TEEN_SLUG, announce_milestones


class Command(BaseCommand):
    help = "Announce today's recovery milestones in the Celebrations categories (members who opted in)."

    def handle(self, *args, **options):
        outcome = announce_milestones()
        for slug in sorted(outcome.missing_categories):
            teen = slug == TEEN_SLUG
            name, audience = ("Teen celebrations", "teens only") if teen else ("Celebrations", "all adults")
            self.stderr.write(
                f"No forum category with the slug “{slug}”, so those milestones were not announced. Staff can add "
                f"it: a category named “{name}” for {audience} gets that slug."
            )
        self.stdout.write(f"Announced {len(outcome.announced)} milestone(s).")

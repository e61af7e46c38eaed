from django.core.management.base import BaseCommand

from chat.services import purge_expired_messages


class Command(BaseCommand):
    help = (
        "Delete chat messages older than their room's retention period (rooms without one keep everything; "
        "messages with an open report wait for review). Run it daily from cron, e.g. "
        "`15 3 * * * cd /srv/community && .venv/bin/python manage.py purge_chat_messages`."
    )

    def handle(self, *args, **options):
        deleted = purge_expired_messages()
        self.stdout.write(f"Deleted {deleted} chat message{'s' if deleted != 1 else ''} past their retention.")

"""Sessions for the chat load client (bench/chat_fanout.py): N bench members, one room, one cookie each."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chat.models import Room
from members.audience import Audience
from members.models import User

EMAIL = "chat-bench-{n}@bench.invalid"


class Command(BaseCommand):
    help = "Create (or reuse) N bench members and a room, and print their session cookies as JSON (dev only)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50)
        parser.add_argument("--room", default="bench")
        parser.add_argument("--output", default="-", help="A file for the JSON, or - for standard output.")
        parser.add_argument("--allow-production", action="store_true", help="Needed when DEBUG is off.")

    def handle(self, *args, members, room, output, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("This creates sign-ins; run it with the dev settings or pass --allow-production.")
        bench_room, _ = Room.objects.get_or_create(
            slug=room, defaults={"name": f"Bench {room}", "audience": Audience.ADULTS}
        )
        joined = timezone.now() - timedelta(days=365)  # settled members: the higher flood limit
        existing = {u.email: u for u in User.objects.filter(email__endswith="@bench.invalid")}
        cookies = []
        for n in range(members):
            email = EMAIL.format(n=n)
            user = existing.get(email)
            if user is None:
                user = User(
                    email=email,
                    display_name=f"Bench {n}",
                    year_of_birth=1980,
                    approved_at=timezone.now(),
                    email_verified=True,
                    date_joined=joined,
                )
                user.set_unusable_password()  # nobody signs in with these; hashing 500 passwords takes minutes
                user.save()
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookies.append({"user_id": user.pk, "sessionid": session.session_key})
        payload = json.dumps({"room": bench_room.slug, "members": cookies})
        if output == "-":
            self.stdout.write(payload)
        else:
            with open(output, "w") as f:
                f.write(payload)
            self.stderr.write(f"Wrote {len(cookies)} sessions for room {bench_room.slug!r} to {output}")

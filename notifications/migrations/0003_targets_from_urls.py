"""Give notices written before targets existed their target, read from the address they link to.

Every forum notice links to `/forum/p/<post pk>/` and every chat mention to `/chat/<room>/#m-<message pk>`, so
their target is known; with it they are shown through the visibility rules like new ones. A notice whose
address says nothing keeps no target and is shown with its stored text, as before.
"""

import re

from django.db import migrations

PATTERNS = {
    "forum_mention": ("forum.post", re.compile(r"^/forum/p/(\d+)/")),
    "forum_reply": ("forum.post", re.compile(r"^/forum/p/(\d+)/")),
    "chat_mention": ("chat.message", re.compile(r"#m-(\d+)$")),
}


def set_targets(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.filter(target_id__isnull=True, kind__in=list(PATTERNS)).order_by("pk")
    last_pk = 0
    while True:
        # In pk-ordered batches, each read before it is written: no cursor stays open across the updates.
        chunk = list(rows.filter(pk__gt=last_pk).only("pk", "kind", "url")[:2000])
        if not chunk:
            return
        last_pk = chunk[-1].pk
        changed = []
        for notice in chunk:
            target_type, pattern = PATTERNS[notice.kind]
            found = pattern.search(notice.url or "")
            if found:
                notice.target_type, notice.target_id = target_type, int(found.group(1))
                changed.append(notice)
        Notification.objects.bulk_update(changed, ["target_type", "target_id"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_notification_target")]

    operations = [migrations.RunPython(set_targets, migrations.RunPython.noop)]

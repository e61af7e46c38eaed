"""The presence setting moved to the member (members.User.show_presence, edited on /me/): a member who had
chosen to appear in chat's "Here now" lists keeps that choice. The old ChatPreference table goes in the next
migration."""

from django.db import migrations


def copy_presence(apps, schema_editor):
    ChatPreference = apps.get_model("chat", "ChatPreference")
    User = apps.get_model("members", "User")
    chosen = ChatPreference.objects.filter(visible_in_presence=True).values("user_id")
    User.objects.filter(pk__in=chosen).update(show_presence=True)


def copy_back(apps, schema_editor):
    ChatPreference = apps.get_model("chat", "ChatPreference")
    User = apps.get_model("members", "User")
    for user_id in User.objects.filter(show_presence=True).values_list("pk", flat=True):
        ChatPreference.objects.update_or_create(user_id=user_id, defaults={"visible_in_presence": True})


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0003_message_held_hidden"),
        ("members", "0007_own_space_and_blocks"),
    ]

    operations = [migrations.RunPython(copy_presence, copy_back)]

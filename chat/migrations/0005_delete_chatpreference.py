# The presence setting now lives on the member (members.User.show_presence); 0004 copied the choices over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0004_copy_presence_to_members"),
    ]

    operations = [
        migrations.DeleteModel(name="ChatPreference"),
    ]

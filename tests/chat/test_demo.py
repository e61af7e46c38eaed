from chat import demo as chat_demo
from chat.models import Room
from members import demo as members_demo
from members.audience import Audience
from members.models import ProgrammeGroup


def test_every_adult_programme_group_has_a_room_with_a_little_history(db):
    members_demo.seed()
    chat_demo.seed()
    chat_demo.seed()  # idempotent: no second copy of the history
    for group in ProgrammeGroup.objects.filter(for_teens=False):
        room = Room.objects.filter(audience=Audience.GROUPS, programme_groups=group).get()
        assert room.messages.count() == len(chat_demo.HISTORY[room.slug]), group.name
    teen_group = ProgrammeGroup.objects.get(for_teens=True)
    assert not Room.objects.filter(programme_groups=teen_group).exists()
    teen_room = Room.objects.get(audience=Audience.TEENS)
    assert set(teen_room.messages.values_list("author__email", flat=True)) == {"teen@example.com", "staff@example.com"}

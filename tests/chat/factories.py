import factory

from chat.models import Room
from members.audience import Audience


class RoomFactory(factory.django.DjangoModelFactory):
    """An always-open room for all adult members."""

    class Meta:
        model = Room
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    audience = Audience.ADULTS

    @factory.post_generation
    def programme_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.programme_groups.set(extracted)

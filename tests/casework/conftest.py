import pytest

from people.actors import actor_for


@pytest.fixture
def actors(world, alpha):
    """actors("admin_a") -> that person's Actor in Alpha (call inside `with alpha():`)."""
    return lambda name: actor_for(getattr(world, name))


@pytest.fixture
def receive(world, alpha, actors):
    """An opinion received by deputy_a at v1 (east town), with a constituent who agreed to feedback."""
    from casework.services import opinion_receive
    from organisation.models import Village

    def make(content="村口道路坑洼，雨天积水严重", village="village_east", mobile="13912345678", **kwargs):
        return opinion_receive(actor=actors("deputy_a"), content=content, channel="reception",
                               village=Village.objects.get(pk=world.ids[village]), constituent_name="张三",
                               constituent_mobile=mobile, consent=True, **kwargs)
    return make

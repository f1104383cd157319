import pytest

from chuangyou.commitments import services
from chuangyou.commitments.models import Commitment, Item, ItemVersion, Status
from chuangyou.commitments.tests.helpers import DEADLINE, draft, make_campaign
from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import actor_for
from chuangyou.testing import build_world, race


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_double_publish_makes_one_version() -> None:
    world = build_world()
    commitment = draft(world, make_campaign(world))
    services.submit(actor=actor_for(world.wang), commitment=commitment)
    bella = actor_for(world.bella)

    errors = race(4, lambda _i: services.publish(actor=bella, commitment=commitment))

    assert [type(e) for e in errors] == [Conflict] * 3
    assert Commitment.objects.get(pk=commitment.pk).status == Status.PUBLISHED
    assert list(ItemVersion.objects.order_by("item", "number").values_list("number", flat=True)) == [1, 1]
    assert set(Item.objects.values_list("version", flat=True)) == {1}


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_revisions_number_their_versions_in_turn() -> None:
    world = build_world()
    commitment = draft(world, make_campaign(world))
    services.submit(actor=actor_for(world.wang), commitment=commitment)
    services.publish(actor=actor_for(world.bella), commitment=commitment)
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    wang = actor_for(world.wang)

    def revise(i: int) -> None:
        services.revise_item(
            actor=wang, item=item, category="study", content=f"第{i}版内容", measures="做", deadline=DEADLINE,
            reason=f"原因{i}",
        )  # fmt: skip

    assert race(4, revise) == []
    numbers = list(ItemVersion.objects.filter(item=item).order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert Item.objects.get(pk=item.pk).version == 5

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chuangyou.lib.errors import Invalid
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.projects import services
from chuangyou.projects.models import Proposal, Status
from chuangyou.projects.tests.conftest import make_call, panel_of_three, propose
from chuangyou.testing import build_world, race


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_never_overspend_the_budget() -> None:
    world = build_world()
    call = make_call(world, budget=Decimal("3000"), per_project_cap=None)
    day = timezone.localdate() - dt.timedelta(days=30)
    proposals = []
    for i in range(6):
        student = org_services.create_student(
            actor=SYSTEM, school_class=world.class_2, student_no=f"C{i}", name=f"并发{i}", gender="F",
            guardians=[(f"家长{i}", f"1370000000{i}")], on=day,
        )  # fmt: skip
        assert student.user is not None
        proposal = propose(world, student.user, call, title=f"项目{i}", budget_request=Decimal("1000"))
        services.submit_proposal(actor=actor_for(student.user), proposal=proposal)
        proposals.append(proposal)
    panel_of_three(world, call)
    wang = actor_for(world.wang)
    services.open_review(actor=wang, call=call)

    def grant(i: int) -> None:
        services.record_decision(
            actor=wang, proposal=proposals[i], funded=True, amount=Decimal("1000"), reason="评审会纪要"
        )

    errors = race(6, grant)
    assert [type(e) for e in errors] == [Invalid] * 3
    assert {e.message for e in errors if isinstance(e, Invalid)} == {
        "资助金额超出本次征集的剩余经费：剩余 0.00 元，拟资助 1000.00 元。"
    }
    assert Proposal.objects.filter(call=call, status=Status.FUNDED).count() == 3
    assert services.granted_total(call) == Decimal("3000.00")

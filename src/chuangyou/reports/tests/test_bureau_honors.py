from __future__ import annotations

from decimal import Decimal

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.nominations import services as nominations
from chuangyou.nominations.models import AwardType, Nomination
from chuangyou.org.rules import actor_for
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import PERSONAS, World


def at_bureau_level(world: World) -> Nomination:
    s = build(world)
    # The nominations app has no service for a bureau to create its own award type yet (its
    # create_award_type refuses bureau level), so this one row is made directly.
    award = AwardType.objects.create(
        bureau=world.bureau,
        name="县级优秀学生",
        code="XJ",
        level="bureau",
        for_kind="student",
        quota_kind="count",
        quota_value=Decimal(1),
        quota_unit="school",
    )
    n = nominations.nominate(
        actor=actor_for(world.hu), award=award, campaign=s.campaign, student=world.student_xiao, story="事迹"
    )
    n = nominations.advance(actor=actor_for(world.wang), nomination=n, reason="年级推荐")
    return nominations.advance(actor=actor_for(world.bella), nomination=n, reason="学校推荐至教育局")


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_decides_bureau_level_nominations(world: World, name: str) -> None:
    n = at_bureau_level(world)
    before = AuditEntry.objects.count()
    client = world.client(name)
    listing = client.get("/bureau/county/reports/nominations/")
    posted = client.post(
        f"/bureau/county/reports/nominations/{n.pk}/", {"decision": "select", "reason": "局评审"}
    )
    n.refresh_from_db()
    if name == "ju":
        assert listing.status_code == 200
        assert "肖同学" in listing.content.decode()
        assert (posted.status_code, n.status) == (302, "selected")
    else:
        assert (listing.status_code, posted.status_code) == (403, 403)
        assert (n.level, n.status) == ("bureau", "active")
        assert AuditEntry.objects.count() == before

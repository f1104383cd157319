from decimal import Decimal

import pytest
from django.urls import reverse

from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Gate, Nomination
from chuangyou.nominations.tests.helpers import award_of, campaign_of, funds_line
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World

FORM = {
    "name": "三好学生", "code": "SH", "level": "school", "for_kind": "student", "quota_kind": "share",
    "quota_value": "0.2", "quota_unit": "class", "shortlist_ratio": "1.2", "prize": "100",
    "number_pattern": "{year}-{award}-{serial:03d}", "certificate_reason": "品学兼优", "is_active": "on",
}  # fmt: skip


def test_award_type_and_its_gates_from_the_page(world: World) -> None:
    line = funds_line(campaign_of(world))
    wang = world.client("wang")
    response = wang.post(
        reverse("nominations:award_create", args=["yizhong"]), FORM | {"budget_line": line.pk}
    )
    award = AwardType.objects.get()
    assert response.url == reverse("nominations:award", args=["yizhong", award.pk])
    assert (award.quota_kind, award.quota_value, award.prize, award.budget_line_id, award.number_pattern) == (
        "share", Decimal("0.2"), Decimal(100), line.pk, "{year}-{award}-{serial:03d}"
    )  # fmt: skip
    gate_url = reverse("nominations:gate_add", args=["yizhong", award.pk])
    wang.post(gate_url, {"kind": "min_prior_honors", "value": "2", "level": "school"})
    wang.post(gate_url, {"kind": "min_volunteer_hours", "value": "20.5"})
    assert [(g.kind, g.params) for g in Gate.objects.order_by("pk")] == [
        ("min_prior_honors", {"count": 2, "level": "school"}),
        ("min_volunteer_hours", {"hours": "20.5"}),
    ]
    bad = wang.post(reverse("nominations:award", args=["yizhong", award.pk]), FORM | {"quota_value": "2"})
    assert "按比例设置名额时，比例应在 0 到 1 之间（如 0.2 即 20%）。" in bad.content.decode()
    page = wang.get(reverse("nominations:awards", args=["yizhong"]))
    assert "每班不超过 20%" in page.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_award_form(world: World, persona: str) -> None:
    response = world.client(persona).post(reverse("nominations:award_create", args=["yizhong"]), FORM)
    if persona in ("alice", "bella", "wang"):
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert "只有工作小组、领导小组或学校管理员可以设置奖项。" in response.content.decode()
        assert not AwardType.objects.exists()


def test_presets_from_the_page(world: World) -> None:
    line = funds_line(campaign_of(world))
    world.client("alice").post(
        reverse("nominations:award_presets", args=["yizhong"]), {"budget_line": line.pk}
    )
    awards = {a.name: (a.prize, a.budget_line_id) for a in AwardType.objects.all()}
    assert len(awards) == 14
    assert awards["三好学生"] == (Decimal(100), line.pk)
    assert awards["学科第一名"] == (Decimal(0), None)


def test_gate_and_quota_hold_on_the_pages(world: World) -> None:
    campaign = campaign_of(world)
    award = award_of(world, quota=1)
    services.update_award_type(actor=SYSTEM, award=award, shortlist_ratio=Decimal(2))
    hu = world.client("hu")
    services.add_gate(actor=SYSTEM, award=award, kind="min_volunteer_hours", params={"hours": 20})
    refused = hu.post(
        reverse("nominations:create", args=["yizhong"]),
        {"award": award.pk, "student": world.student_xiao.pk, "story": "事迹"},
    )
    assert "不符合评选条件：已认证志愿服务 0 小时，要求不少于 20 小时。" in refused.content.decode()
    assert not Nomination.objects.exists()
    Gate.objects.all().delete()
    ding = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S009", name="丁同学", gender="M",
        guardians=[("丁家长", "13800000009")],
    )  # fmt: skip
    noms = [
        services.nominate(actor=actor_for(world.hu), award=award, campaign=campaign, student=s, story="x")
        for s in (world.student_xiao, ding)
    ]
    for n in noms:
        services.advance(actor=actor_for(world.wang), nomination=n, reason="ok")
    services.select(actor=actor_for(world.bella), nomination=noms[0], reason="ok")
    page = world.client("bella").post(
        reverse("nominations:detail", args=["yizhong", noms[1].pk]), {"action": "select", "reason": "ok"}
    )
    assert "「优秀学生干部」在初一（1）班的入选名额已满：最多 1 名，已有 1 名。" in page.content.decode()
    noms[1].refresh_from_db()
    assert noms[1].status == "active"

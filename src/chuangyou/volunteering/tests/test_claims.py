import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.models import Staff
from chuangyou.org.rules import actor_for
from chuangyou.testing import PINNED_TODAY, World
from chuangyou.volunteering import records, selectors, services
from chuangyou.volunteering.models import Claim, ClaimStatus, Consent

TODAY = PINNED_TODAY


def tian(world: World) -> Staff:
    return Staff.objects.get(user=world.tian)


def claim(world: World, who: str = "xiao", hours: str = "2.5", **kw: object) -> Claim:
    args: dict[str, object] = {
        "served_on": TODAY - dt.timedelta(days=1),
        "service": "敬老院陪伴老人",
        "organization": "校团委",
        "description": "陪老人聊天、打扫房间",
        "hours": Decimal(hours),
        "organizer": tian(world),
    } | kw
    return services.claim_hours(actor=actor_for(world.persona(who)), school=world.school, **args)  # type: ignore[arg-type]


def test_a_student_claim_needs_consent_then_the_organizer_certifies(world: World) -> None:
    c = claim(world)
    assert (c.student, c.staff, c.status, c.consent) == (world.student_xiao, None, "pending", "missing")
    with pytest.raises(Invalid, match="须先取得监护人同意才能认证"):
        services.approve_claim(actor=actor_for(world.tian), claim=c)
    assert Claim.objects.get(pk=c.pk).status == ClaimStatus.PENDING
    services.give_consent(actor=actor_for(world.ma), claim=c)
    c.refresh_from_db()
    assert (c.consent, c.consent_by, c.consent_guardian.name) == (Consent.ONLINE, world.ma, "马家长")  # type: ignore[union-attr]
    services.approve_claim(actor=actor_for(world.tian), claim=c)
    c.refresh_from_db()
    assert (c.status, c.decided_by) == (ClaimStatus.APPROVED, world.tian)
    assert selectors.approved_total(student=world.student_xiao) == Decimal("2.5")
    actions = list(
        AuditEntry.objects.filter(object_type="volunteering.claim")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["volunteer.claim", "volunteer.consent", "volunteer.approve"]


def test_a_double_decision_is_a_conflict_and_changes_nothing(world: World) -> None:
    c = claim(world, who="hu")  # a teacher: no consent needed
    assert c.consent == Consent.NOT_NEEDED
    services.approve_claim(actor=actor_for(world.tian), claim=c)
    entries = AuditEntry.objects.count()
    with pytest.raises(Conflict, match="已经审核过了（当前状态：已认证）"):
        services.approve_claim(actor=actor_for(world.wang), claim=c)
    with pytest.raises(Conflict):
        services.reject_claim(actor=actor_for(world.tian), claim=c, reason="重复")
    assert Claim.objects.get(pk=c.pk).status == ClaimStatus.APPROVED
    assert AuditEntry.objects.count() == entries


def test_reject_needs_a_reason(world: World) -> None:
    c = claim(world, who="hu")
    with pytest.raises(Invalid, match="不通过时须填写理由"):
        services.reject_claim(actor=actor_for(world.tian), claim=c, reason="  ")
    services.reject_claim(actor=actor_for(world.tian), claim=c, reason="当天未到场")
    c.refresh_from_db()
    assert (c.status, c.reason) == (ClaimStatus.REJECTED, "当天未到场")


def test_paper_consent_by_the_organizer(world: World) -> None:
    c = claim(world)
    with pytest.raises(NotAllowed):
        services.record_paper_consent(actor=actor_for(world.hu), claim=c)
    services.record_paper_consent(actor=actor_for(world.tian), claim=c)
    assert Claim.objects.get(pk=c.pk).consent == Consent.PAPER
    with pytest.raises(Conflict):
        services.give_consent(actor=actor_for(world.ma), claim=c)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "时长须大于 0。"),
        ("1.3", "时长须按 0.5 小时为单位填写"),
        ("8.5", "同一项活动每天最多认证 8 小时（不含路途时间）。"),
    ],
)
def test_hours_follow_the_school_rules(world: World, hours: str, message: str) -> None:
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        claim(world, hours=hours)
    assert Claim.objects.count() == 0


def test_at_most_eight_hours_per_activity_per_day(world: World) -> None:
    claim(world, hours="6")
    with pytest.raises(Invalid, match="已申报 6 小时，本次最多还能申报 2 小时"):
        claim(world, hours="2.5", service="敬老院陪伴老人 ")
    claim(world, hours="2")
    claim(world, hours="3", service="社区图书馆整理")  # another activity the same day
    assert Claim.objects.count() == 3


def test_organizer_rules(world: World) -> None:
    with pytest.raises(Invalid, match="不能自己证明自己的时长"):
        services.claim_hours(
            actor=actor_for(world.tian), school=world.school, served_on=TODAY, service="义务家教",
            organization="社区", description="辅导", hours=Decimal(1), organizer=tian(world),
        )  # fmt: skip
    oscar = Staff.objects.get(user=world.oscar)
    with pytest.raises(Invalid, match="组织者须是本校教职工"):
        claim(world, organizer=oscar)
    with pytest.raises(Invalid, match="服务日期不能晚于今天"):
        claim(world, served_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(NotAllowed, match="只有本校学生和教职工"):
        claim(world, who="ma")


def test_the_claimant_cannot_certify_their_own_hours(world: World) -> None:
    c = services.claim_hours(
        actor=actor_for(world.wang), school=world.school, served_on=TODAY, service="义务家教",
        organization="社区", description="辅导", hours=Decimal(1), organizer=tian(world),
    )  # fmt: skip
    with pytest.raises(NotAllowed, match="不能审核自己申报的时长"):
        services.approve_claim(actor=actor_for(world.wang), claim=c)
    assert Claim.objects.get(pk=c.pk).status == ClaimStatus.PENDING


def test_evidence_photo_is_reencoded_without_exif(world: World) -> None:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    c = claim(world, evidence=SimpleUploadedFile("照片.jpg", buffer.getvalue(), content_type="image/jpeg"))
    with c.evidence.open("rb") as stored, Image.open(stored) as reopened:
        assert reopened.size == (40, 30)
        assert dict(reopened.getexif()) == {}
    with pytest.raises(Invalid, match="不支持的文件类型"):
        claim(world, evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"))


def test_settings_are_made_on_first_use_and_change_the_rules(world: World) -> None:
    rules = selectors.settings_for(world.school)
    assert (rules.unit_hours, rules.max_hours_per_activity_day, rules.milestones) == (
        Decimal("0.5"), Decimal("8"), [100, 300, 600, 1000, 1500],
    )  # fmt: skip
    with pytest.raises(NotAllowed):
        services.update_settings(
            actor=actor_for(world.tian), school=world.school, unit_hours=Decimal(1),
            max_hours_per_activity_day=Decimal(6), students_need_consent=False, milestones=[10],
        )  # fmt: skip
    services.update_settings(
        actor=actor_for(world.wang), school=world.school, unit_hours=Decimal(1),
        max_hours_per_activity_day=Decimal(6), students_need_consent=False, milestones=[2, 5],
    )  # fmt: skip
    with pytest.raises(Invalid, match="时长须按 1 小时为单位"):
        claim(world, hours="2.5")
    c = claim(world, hours="3")
    assert c.consent == Consent.NOT_NEEDED
    services.approve_claim(actor=actor_for(world.tian), claim=c)
    p = selectors.progress(selectors.approved_total(student=world.student_xiao), [2, 5])
    assert (p.total, p.reached, p.next_milestone, p.remaining) == (Decimal(3), [2], 5, Decimal(2))


def test_record_lines_carry_hours_and_milestones(world: World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    services.update_settings(
        actor=actor_for(world.wang), school=world.school, unit_hours=Decimal("0.5"),
        max_hours_per_activity_day=Decimal(8), students_need_consent=False, milestones=[3, 100],
    )  # fmt: skip
    for day, hours in ((3, "2"), (2, "1.5")):
        c = claim(world, hours=hours, served_on=TODAY - dt.timedelta(days=day))
        services.approve_claim(actor=actor_for(world.tian), claim=c)
    claim(world, hours="1")  # pending: not on the record
    with django_assert_num_queries(2):
        lines = records.lines_for_students([world.student_xiao.pk, world.student_ming.pk])
    assert lines[world.student_ming.pk] == []
    xiao = lines[world.student_xiao.pk]
    assert [(line.section, line.title, line.detail, line.hours) for line in xiao] == [
        ("志愿服务", "敬老院陪伴老人（校团委）", "已认证 2 小时 · 组织者 田师", Decimal("2.00")),
        ("志愿服务", "敬老院陪伴老人（校团委）", "已认证 1.5 小时 · 组织者 田师", Decimal("1.50")),
        ("志愿服务", "志愿服务累计 3 小时", "里程碑", None),
    ]
    assert xiao[2].on == TODAY - dt.timedelta(days=2)
    assert records.lines_for_staff([tian(world).pk]) == {tian(world).pk: []}

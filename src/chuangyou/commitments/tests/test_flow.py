import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import records, selectors, services
from chuangyou.commitments.models import Commitment, Evidence, Item, ItemVersion, ProgressReport, Status
from chuangyou.commitments.tests.helpers import (
    DEADLINE,
    branch_published,
    draft,
    make_campaign,
    published,
    staff_of,
)
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def campaign(world: World) -> Campaign:
    return make_campaign(world)


def test_a_member_declares_submits_and_the_secretary_publishes(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    commitment.refresh_from_db()
    assert commitment.status == Status.PUBLISHED
    assert commitment.published_by == world.bella
    items = list(Item.objects.filter(commitment=commitment).order_by("pk"))
    assert [(i.category, i.version, i.times_revised) for i in items] == [("study", 1, 0), ("work", 1, 0)]
    assert list(
        ItemVersion.objects.order_by("item", "number").values_list("item_id", "number", "reason")
    ) == [
        (items[0].pk, 1, ""),
        (items[1].pk, 1, ""),
    ]
    actions = list(
        AuditEntry.objects.filter(action__startswith="commitment")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "commitment.declare",
        "commitment_item.create",
        "commitment_item.create",
        "commitment.submit",
        "commitment.publish",
    ]


def test_item_counts_are_checked_on_submission_with_the_school_settings(
    world: World, campaign: Campaign
) -> None:
    wang = actor_for(world.wang)
    one = draft(world, campaign, count=1)
    with pytest.raises(Invalid, match=f"^{re.escape('个人承诺须为 2–5 条，现有 1 条。')}$"):
        services.submit(actor=wang, commitment=one)
    services.update_settings(
        actor=actor_for(world.alice), school=world.school, person_min_items=1, person_max_items=3,
        branch_min_items=12, progress_interval_days=60,
    )  # fmt: skip
    assert services.submit(actor=wang, commitment=one).status == Status.SUBMITTED

    bella = actor_for(world.bella)
    branch = services.declare(actor=bella, campaign=campaign, branch=world.branch)
    for i in range(11):
        services.add_item(
            actor=bella,
            commitment=branch,
            category="work",
            content=f"第{i}条",
            measures="落实",
            deadline=DEADLINE,
        )
    with pytest.raises(Invalid, match=f"^{re.escape('党支部承诺至少 12 条，现有 11 条。')}$"):
        services.submit(actor=bella, commitment=branch)
    assert Commitment.objects.get(pk=branch.pk).status == Status.DRAFT


def test_six_items_is_too_many_for_a_person(world: World, campaign: Campaign) -> None:
    commitment = draft(world, campaign, count=4)
    wang = actor_for(world.wang)
    for content in ("第五条", "第六条"):
        services.add_item(
            actor=wang,
            commitment=commitment,
            category="service",
            content=content,
            measures="做",
            deadline=DEADLINE,
        )
    with pytest.raises(Invalid, match=f"^{re.escape('个人承诺须为 2–5 条，现有 6 条。')}$"):
        services.submit(actor=wang, commitment=commitment)


def test_a_returned_commitment_carries_its_reason_and_can_be_resubmitted(
    world: World, campaign: Campaign
) -> None:
    commitment = draft(world, campaign)
    wang, bella = actor_for(world.wang), actor_for(world.bella)
    services.submit(actor=wang, commitment=commitment)
    with pytest.raises(Invalid, match="请填写退回理由"):
        services.return_commitment(actor=bella, commitment=commitment, reason="  ")
    returned = services.return_commitment(actor=bella, commitment=commitment, reason="措施不够具体")
    assert (returned.status, returned.return_reason) == (Status.RETURNED, "措施不够具体")
    item = Item.objects.filter(commitment=commitment).first()
    assert item is not None
    services.update_item(
        actor=wang,
        item=item,
        category="study",
        content="每月精读一本专著",
        measures="每周读两章",
        deadline=DEADLINE,
    )
    services.submit(actor=wang, commitment=commitment)
    done = services.publish(actor=bella, commitment=commitment)
    assert (done.status, done.return_reason) == (Status.PUBLISHED, "")


def test_a_published_item_is_never_edited_silently(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    wang = actor_for(world.wang)
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    with pytest.raises(Conflict):
        services.update_item(
            actor=wang, item=item, category="study", content="悄悄改", measures="x", deadline=DEADLINE
        )
    with pytest.raises(Invalid, match="请填写修改原因"):
        services.revise_item(
            actor=wang,
            item=item,
            category="study",
            content="新内容",
            measures="x",
            deadline=DEADLINE,
            reason="",
        )
    revised = services.revise_item(
        actor=wang, item=item, category="study", content="每两月精读一本教育专著", measures="写读书笔记",
        deadline=dt.date(2099, 6, 30), reason="课时增加，调整节奏",
    )  # fmt: skip
    assert (revised.version, revised.times_revised, revised.content) == (2, 1, "每两月精读一本教育专著")
    versions = list(
        selectors.versions_of(item).values_list("number", "content", "reason", "changed_by_label")
    )
    assert versions == [
        (2, "每两月精读一本教育专著", "课时增加，调整节奏", str(world.wang)),
        (1, "每月精读一本教育专著", "", str(world.bella)),
    ]
    with pytest.raises(Invalid, match="内容没有变化"):
        services.revise_item(
            actor=wang, item=item, category="study", content="每两月精读一本教育专著", measures="写读书笔记",
            deadline=dt.date(2099, 6, 30), reason="再改",
        )  # fmt: skip


def test_progress_with_evidence_and_the_overdue_lists(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    branch = branch_published(world, campaign)
    today = timezone.localdate()
    wang, bella = actor_for(world.wang), actor_for(world.bella)
    # Both were published 100 days ago: both are overdue for a report (interval 90 days).
    Commitment.objects.update(published_at=timezone.now() - dt.timedelta(days=100))
    assert [c.pk for c in selectors.overdue_progress(bella, campaign, today=today)] == [
        branch.pk,
        commitment.pk,
    ]
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    report = services.report_progress(
        actor=wang, item=item, text="已读完《给教师的建议》", files=[SimpleUploadedFile("读书笔记.png", PNG)]
    )
    assert Evidence.objects.get(report=report).name == "读书笔记.png"
    assert Commitment.objects.get(pk=commitment.pk).last_progress_on == today
    assert [c.pk for c in selectors.overdue_progress(actor_for(world.wang), campaign, today=today)] == [
        branch.pk
    ]
    # Ninety-one days later wang is overdue again.
    later = today + dt.timedelta(days=91)
    assert [c.pk for c in selectors.overdue_progress(bella, campaign, today=later)] == [
        branch.pk,
        commitment.pk,
    ]
    with pytest.raises(NotAllowed):
        selectors.overdue_progress(actor_for(world.tian), campaign, today=today)
    Item.objects.filter(pk=item.pk).update(deadline=today - dt.timedelta(days=1))
    assert [i.pk for i in selectors.items_past_deadline(bella, campaign, today=today)] == [item.pk]


def test_progress_refuses_a_bad_file_and_keeps_nothing(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    item = Item.objects.filter(commitment=commitment).first()
    assert item is not None
    with pytest.raises(Invalid, match="不支持的文件类型"):
        services.report_progress(
            actor=actor_for(world.wang), item=item, text="进展", files=[SimpleUploadedFile("x.exe", b"MZ")]
        )
    assert ProgressReport.objects.count() == 0


def test_fulfilment_needs_a_reason_when_not_fulfilled(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    first, second = Item.objects.filter(commitment=commitment).order_by("pk")
    wang_office = actor_for(world.wang)  # working group
    with pytest.raises(Invalid, match=f"^{re.escape('未兑现的承诺须写明原因。')}$"):
        services.mark_fulfilment(actor=wang_office, item=first, fulfilled=False, reason=" ")
    services.mark_fulfilment(actor=actor_for(world.bella), item=first, fulfilled=True)
    services.mark_fulfilment(actor=wang_office, item=second, fulfilled=False, reason="学生转学，帮扶中断")
    subjects = selectors.ballot_subjects(campaign)
    assert [
        (s.item_id, s.owner_kind, s.owner_id, s.owner_name, s.fulfilment, s.fulfilment_reason)
        for s in subjects
    ] == [
        (first.pk, "staff", staff_of(world, "wang").pk, "王武", "fulfilled", ""),
        (second.pk, "staff", staff_of(world, "wang").pk, "王武", "not_fulfilled", "学生转学，帮扶中断"),
    ]


def test_ballot_subjects_leave_out_unpublished_items(world: World, campaign: Campaign) -> None:
    draft(world, campaign, "tian")
    branch = branch_published(world, campaign)
    subjects = selectors.ballot_subjects(campaign)
    assert len(subjects) == 10
    assert {s.commitment_id for s in subjects} == {branch.pk}


def test_a_teacher_outside_the_party_is_reviewed_by_the_schools_secretary(
    world: World, campaign: Campaign
) -> None:
    commitment = draft(world, campaign, "tian")
    services.submit(actor=actor_for(world.tian), commitment=commitment)
    assert [c.pk for c in selectors.review_queue(actor_for(world.bella), campaign)] == [commitment.pk]
    with pytest.raises(NotAllowed):
        services.publish(actor=actor_for(world.alice), commitment=commitment)
    assert services.publish(actor=actor_for(world.bella), commitment=commitment).status == Status.PUBLISHED


def test_filing_a_branch_commitment_once(world: World, campaign: Campaign) -> None:
    branch = branch_published(world, campaign)
    filing = services.file_with_bureau(actor=actor_for(world.bella), commitment=branch)
    assert (filing.bureau_id, filing.item_count, filing.filed_by_label, filing.filed_on) == (
        world.bureau.pk, 10, str(world.bella), timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(Conflict, match="已经申报备案"):
        services.file_with_bureau(actor=actor_for(world.alice), commitment=branch)
    personal = published(world, campaign)
    with pytest.raises(Invalid):
        services.file_with_bureau(actor=actor_for(world.bella), commitment=personal)
    lines = selectors.bureau_summary(actor_for(world.ju), world.school)
    assert [(x.school.code, x.filings, x.items, x.last_filed_on) for x in lines] == [
        ("erzhong", 0, 0, None),
        ("yizhong", 1, 10, timezone.localdate()),
    ]
    with pytest.raises(NotAllowed):
        selectors.bureau_summary(actor_for(world.oscar), world.school)


def test_declaring_twice_is_a_conflict(world: World, campaign: Campaign) -> None:
    draft(world, campaign)
    with pytest.raises(Conflict):
        services.declare(actor=actor_for(world.wang), campaign=campaign, staff=staff_of(world, "wang"))
    with pytest.raises(NotAllowed, match="只能为自己作出承诺"):
        services.declare(actor=actor_for(world.alice), campaign=campaign, staff=staff_of(world, "tian"))


def test_record_lines_for_staff(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    draft(world, campaign, "tian")
    first = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert first is not None
    services.mark_fulfilment(actor=actor_for(world.bella), item=first, fulfilled=False, reason="调离岗位")
    wang, tian = staff_of(world, "wang"), staff_of(world, "tian")
    lines = records.lines_for_staff([wang.pk, tian.pk])
    assert list(lines) == [wang.pk]
    assert [(x.section, x.title, x.detail) for x in lines[wang.pk]] == [
        ("公开承诺", "每月精读一本教育专著", "学习 · 未兑现 · 调离岗位"),
        ("公开承诺", "所带班级数学平均分提高 5 分", "工作 · 践诺中"),
    ]
    assert lines[wang.pk][0].url == f"/school/yizhong/commitments/{commitment.pk}/"
    assert records.lines_for_students([world.student_xiao.pk]) == {}

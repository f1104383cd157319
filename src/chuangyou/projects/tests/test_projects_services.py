import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.models import Student
from chuangyou.org.rules import actor_for
from chuangyou.projects import review, services
from chuangyou.projects.models import Attachment, Call, Proposal, Recusal, Status, TeamMember
from chuangyou.projects.tests.conftest import make_call, panel_of_three, propose, staff_of
from chuangyou.testing import World


def test_one_call_per_semester(world: World, call: Call) -> None:
    with pytest.raises(Conflict, match="2026 秋季学期已经有创新项目征集了：每学期评选一次。"):
        make_call(world)
    assert call.min_panel_size == 3
    assert list(
        AuditEntry.objects.filter(action="project_call.create").values_list("object_id", flat=True)
    ) == [str(call.pk)]


def test_call_dates_and_cap_are_checked(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(Invalid, match="截止申报日期不能早于开始申报日期。"):
        make_call(world, opens_on=today, closes_on=today - dt.timedelta(days=1))
    with pytest.raises(Invalid, match="单项资助上限不能超过资助总额。"):
        make_call(world, budget=Decimal("1000"), per_project_cap=Decimal("2000"))


def test_a_proposal_is_a_draft_until_submitted_then_frozen(world: World, call: Call) -> None:
    xiao = actor_for(world.xiao)
    proposal = propose(world, world.xiao, call, members=[world.student_ming])
    assert proposal.status == Status.DRAFT
    assert proposal.lead == world.student_xiao
    team = list(TeamMember.objects.filter(proposal=proposal).values_list("student__name", "is_lead"))
    assert team == [("肖同学", True), ("明同学", False)]
    services.update_proposal(
        actor=xiao, proposal=proposal, title="雨水回收 2.0", abstract="新简介", plan="新计划",
        budget_request=Decimal("2500.5"), advisor=staff_of(world.tian), members=[],
    )  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.title, proposal.budget_request) == ("雨水回收 2.0", Decimal("2500.50"))
    assert list(TeamMember.objects.filter(proposal=proposal).values_list("student__name", flat=True)) == [
        "肖同学"
    ]
    services.submit_proposal(actor=xiao, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.submitted_at is not None
    with pytest.raises(Conflict, match="项目已提交，内容已冻结，不能再修改"):
        services.update_proposal(
            actor=xiao, proposal=proposal, title="改", abstract="改", plan="改",
            budget_request=Decimal("1"), advisor=staff_of(world.tian), members=[],
        )  # fmt: skip
    with pytest.raises(Conflict, match="项目已提交"):
        services.submit_proposal(actor=xiao, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).title == "雨水回收 2.0"
    history = list(proposal.transitions.values_list("from_status", "to_status", "by_label", "reason"))
    assert history == [
        ("", "draft", str(world.xiao), ""),
        ("draft", "submitted", str(world.xiao), "申报人提交"),
    ]
    actions = list(
        AuditEntry.objects.filter(object_type="projects.proposal")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["project.create", "project.update", "project.submit"]


def test_the_request_is_capped_and_positive(world: World, call: Call) -> None:
    with pytest.raises(Invalid, match=re.escape("申请经费不能超过本次征集的单项上限 3000.00 元。")):
        propose(world, world.xiao, call, budget_request=Decimal("3000.01"))
    with pytest.raises(Invalid, match="申请经费须大于 0 元。"):
        propose(world, world.xiao, call, budget_request=Decimal("0"))
    assert Proposal.objects.count() == 0


def test_a_student_is_on_one_project_per_call(world: World, call: Call, zhao: Student) -> None:
    propose(world, world.xiao, call, members=[world.student_ming])
    with pytest.raises(Invalid, match="明同学已在本次征集的另一个项目中，每人每学期只能参加一个项目。"):
        propose(world, zhao.user, call, members=[world.student_ming])  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="肖同学已在本次征集的另一个项目中"):
        propose(world, world.xiao, call)
    other = make_call(world, semester="2027 春季学期")
    assert propose(world, world.xiao, other).lead == world.student_xiao


def test_no_proposals_outside_the_window(world: World) -> None:
    today = timezone.localdate()
    later = make_call(world, opens_on=today + dt.timedelta(days=1), closes_on=today + dt.timedelta(days=9))
    with pytest.raises(Invalid, match=r"「创新项目征集」现在不接受申报（申报时间 .* 至 .*）。"):
        propose(world, world.xiao, later)


def test_advisor_and_members_come_from_the_school(world: World, call: Call) -> None:
    with pytest.raises(Invalid, match="指导教师须是本校教职工。"):
        propose(world, world.xiao, call, advisor=staff_of(world.oscar))
    assert Proposal.objects.count() == 0


def test_the_panel_needs_three_and_is_fixed_once_review_opens(
    world: World, call: Call, submitted: Proposal
) -> None:
    wang = actor_for(world.wang)
    with pytest.raises(Invalid, match=r"评审组至少需要 3 人（现为 2 人）。"):
        services.set_panel(actor=wang, call=call, members=[world.staff_hu, staff_of(world.su)])
    with pytest.raises(Invalid, match=r"请先指定评审组：至少 3 人（现为 0 人）。"):
        services.open_review(actor=wang, call=call)
    # tian advises the proposal and sits on the panel: recused when the review opens.
    services.set_panel(
        actor=wang, call=call, members=[world.staff_hu, staff_of(world.su), staff_of(world.tian)]
    )
    moved = services.open_review(actor=wang, call=call)
    assert [p.pk for p in moved] == [submitted.pk]
    assert Proposal.objects.get(pk=submitted.pk).status == Status.UNDER_REVIEW
    assert list(Recusal.objects.values_list("proposal_id", "staff__name", "reason")) == [
        (submitted.pk, "田师", "指导教师回避")
    ]
    assert AuditEntry.objects.filter(action="project.recusal").count() == 1
    with pytest.raises(Conflict, match="评审已经开始，评审组不能再调整。"):
        services.set_panel(
            actor=wang, call=call, members=[world.staff_hu, staff_of(world.su), staff_of(world.bella)]
        )
    with pytest.raises(Conflict, match="这次征集的评审已经开始了。"):
        services.open_review(actor=wang, call=call)


def test_review_closes_submissions(world: World, call: Call, zhao: Student) -> None:
    draft = propose(world, zhao.user, call)  # type: ignore[arg-type]
    panel_of_three(world, call)
    services.open_review(actor=actor_for(world.wang), call=call)
    with pytest.raises(Invalid, match="「创新项目征集」已不接受提交"):
        services.submit_proposal(actor=actor_for(zhao.user), proposal=draft)  # type: ignore[arg-type]
    assert Proposal.objects.get(pk=draft.pk).status == Status.DRAFT


def test_funding_is_recorded_with_who_and_why(world: World, under_review: Proposal) -> None:
    wang = actor_for(world.wang)
    with pytest.raises(Invalid, match=re.escape("资助金额不能超过申请经费 2000.00 元。")):
        services.record_decision(
            actor=wang, proposal=under_review, funded=True, amount=Decimal("2000.01"), reason="纪要"
        )
    with pytest.raises(Invalid, match="请填写决定依据（如评审会纪要）。"):
        services.record_decision(
            actor=wang, proposal=under_review, funded=True, amount=Decimal("1500"), reason=" "
        )
    services.record_decision(
        actor=wang, proposal=under_review, funded=True, amount=Decimal("1500"), reason="评审会纪要第 1 号",
        rank=1, total=Decimal("92.5"),
    )  # fmt: skip
    funded = Proposal.objects.get(pk=under_review.pk)
    assert (funded.status, funded.amount_granted, funded.panel_rank, funded.panel_total) == (
        Status.FUNDED, Decimal("1500.00"), 1, Decimal("92.50"),
    )  # fmt: skip
    assert funded.decided_on == timezone.localdate()
    last = funded.transitions.last()
    assert last is not None
    assert (last.from_status, last.to_status, last.by_label, last.reason) == (
        "under_review", "funded", str(world.wang), "评审会纪要第 1 号",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="project.decide")
    assert entry.after == {
        "status": "funded", "amount_granted": "1500.00", "panel_rank": 1, "panel_total": "92.50",
        "decided_on": str(timezone.localdate()), "reason": "评审会纪要第 1 号",
    }  # fmt: skip
    with pytest.raises(Conflict, match="「校园雨水回收装置」已有评审决定：已立项资助。"):
        services.record_decision(actor=wang, proposal=funded, funded=False, amount=None, reason="改")


def test_a_grant_beyond_the_budget_is_refused(world: World, zhao: Student) -> None:
    call = make_call(world, budget=Decimal("3000"), per_project_cap=None)
    first = propose(world, world.xiao, call, budget_request=Decimal("2000"))
    second = propose(world, zhao.user, call, title="智能花盆", budget_request=Decimal("2000"))  # type: ignore[arg-type]
    for p, user in ((first, world.xiao), (second, zhao.user)):
        services.submit_proposal(actor=actor_for(user), proposal=p)  # type: ignore[arg-type]
    panel_of_three(world, call)
    wang = actor_for(world.wang)
    services.open_review(actor=wang, call=call)
    services.record_decision(actor=wang, proposal=first, funded=True, amount=Decimal("2000"), reason="纪要")
    with pytest.raises(
        Invalid, match=re.escape("资助金额超出本次征集的剩余经费：剩余 1000.00 元，拟资助 2000.00 元。")
    ):
        services.record_decision(
            actor=wang, proposal=second, funded=True, amount=Decimal("2000"), reason="纪要"
        )
    assert Proposal.objects.get(pk=second.pk).status == Status.UNDER_REVIEW
    services.record_decision(actor=wang, proposal=second, funded=True, amount=Decimal("1000"), reason="纪要")
    assert services.granted_total(call) == Decimal("3000.00")
    with pytest.raises(Invalid, match=re.escape("资助总额不能少于已批准的 3000.00 元。")):
        services.update_call(
            actor=wang, call=call, title=call.title, semester=call.semester, opens_on=call.opens_on,
            closes_on=call.closes_on, budget=Decimal("2999"), per_project_cap=None, rules="",
            min_panel_size=3,
        )  # fmt: skip


def test_not_funded_has_no_amount(world: World, under_review: Proposal) -> None:
    wang = actor_for(world.wang)
    with pytest.raises(Invalid, match="未获资助的项目不能填写资助金额。"):
        services.record_decision(
            actor=wang, proposal=under_review, funded=False, amount=Decimal("1"), reason="纪要"
        )
    services.record_decision(
        actor=wang, proposal=under_review, funded=False, amount=None, reason="排名靠后", rank=7
    )
    decided = Proposal.objects.filter(pk=under_review.pk)
    assert decided.values_list("status", "amount_granted", "panel_rank").get() == ("not_funded", None, 7)


def test_a_draft_cannot_be_decided(world: World, call: Call) -> None:
    draft = propose(world, world.xiao, call)
    with pytest.raises(Conflict, match="「校园雨水回收装置」尚未进入评审，不能记录评审决定。"):
        services.record_decision(
            actor=actor_for(world.wang), proposal=draft, funded=False, amount=None, reason="纪要"
        )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def test_attachments_are_cleaned_and_only_while_a_draft(world: World, call: Call) -> None:
    xiao = actor_for(world.xiao)
    proposal = propose(world, world.xiao, call)
    with pytest.raises(Invalid, match=re.escape("文件内容与扩展名 .pdf 不符")):
        services.add_attachment(
            actor=xiao, proposal=proposal, name="计划.pdf", data=io.BytesIO(b"MZ not a pdf")
        )
    with pytest.raises(Invalid, match="不支持的文件类型"):
        services.add_attachment(actor=xiao, proposal=proposal, name="a.exe", data=io.BytesIO(b"MZ"))
    with pytest.raises(NotAllowed, match="只有项目负责人"):
        services.add_attachment(
            actor=actor_for(world.tian), proposal=proposal, name="a.pdf", data=io.BytesIO(b"%PDF-1")
        )
    pdf = services.add_attachment(
        actor=xiao, proposal=proposal, name="计划书.pdf", data=io.BytesIO(b"%PDF-1.4 x")
    )
    photo = services.add_attachment(actor=xiao, proposal=proposal, name="草图.png", data=io.BytesIO(_png()))
    assert (pdf.name, pdf.size, pdf.file.read()) == ("计划书.pdf", 10, b"%PDF-1.4 x")
    assert photo.name == "草图.png"
    services.remove_attachment(actor=xiao, attachment=photo)
    services.submit_proposal(actor=xiao, proposal=proposal)
    with pytest.raises(Conflict, match="项目已提交"):
        services.add_attachment(actor=xiao, proposal=proposal, name="b.pdf", data=io.BytesIO(b"%PDF-1"))
    assert list(Attachment.objects.values_list("name", flat=True)) == ["计划书.pdf"]


def test_the_engine_seam(world: World, call: Call, submitted: Proposal, zhao: Student) -> None:
    draft = propose(world, zhao.user, call, title="智能花盆", advisor=world.staff_hu)  # type: ignore[arg-type]
    wang = actor_for(world.wang)
    members = [world.staff_hu, staff_of(world.su), staff_of(world.tian)]
    services.set_panel(actor=wang, call=call, members=members)
    services.open_review(actor=wang, call=call)
    subjects = review.review_subjects(call)
    assert subjects == [
        review.ReviewSubject(
            proposal_id=submitted.pk,
            title="校园雨水回收装置",
            advisor_staff_id=staff_of(world.tian).pk,
            team_student_ids=(world.student_xiao.pk, world.student_ming.pk),
            recused_staff_ids=frozenset({staff_of(world.tian).pk}),
        )
    ]
    assert review.panel_raters(call) == sorted(m.pk for m in members)
    assert review.recused(call) == {(submitted.pk, staff_of(world.tian).pk)}
    review.record_panel_outcome(
        actor=wang, proposal=submitted, rank=1, total=Decimal("88"), decision="funded",
        amount=Decimal("1800"), reason="评审会计分结果",
    )  # fmt: skip
    assert Proposal.objects.filter(pk=submitted.pk).values_list("status", "amount_granted").get() == (
        "funded", Decimal("1800.00"),
    )  # fmt: skip
    with pytest.raises(NotAllowed):
        review.record_panel_outcome(
            actor=actor_for(world.su), proposal=draft, rank=2, total=None, decision="not_funded", amount=None,
            reason="x",
        )  # fmt: skip

import io
from decimal import Decimal

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.org.models import Student
from chuangyou.org.rules import actor_for
from chuangyou.projects import selectors, services
from chuangyou.projects.models import Attachment, Call, PanelMember, Proposal, Status
from chuangyou.projects.tests.conftest import panel_of_three, propose, staff_of
from chuangyou.testing import PERSONAS, World

MANAGERS = {"alice", "bella", "wang"}
OFFICE = MANAGERS | {"su", "ju"}
STUDENTS = {"xiao", "ming"}


def _state() -> tuple[object, ...]:
    return (
        list(Call.objects.values_list("semester", "budget", "review_opened_at")),
        list(Proposal.objects.order_by("pk").values_list("title", "status", "amount_granted")),
        list(PanelMember.objects.values_list("staff_id", flat=True)),
        Attachment.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_publishing_a_call(world: World, name: str) -> None:
    before = _state()
    response = world.client(name).post(
        "/school/yizhong/projects/calls/new/",
        {
            "title": "创新项目征集", "semester": "2026 秋季学期", "opens_on": "2026-09-01",
            "closes_on": "2026-10-15", "budget": "20000", "per_project_cap": "3000", "min_panel_size": "3",
        },
    )  # fmt: skip
    if name in MANAGERS:
        assert response.status_code == 302
        assert list(Call.objects.values_list("semester", "budget", "per_project_cap")) == [
            ("2026 秋季学期", Decimal("20000.00"), Decimal("3000.00"))
        ]
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_proposing(world: World, call: Call, name: str) -> None:
    before = _state()
    response = world.client(name).post(
        f"/school/yizhong/projects/calls/{call.pk}/propose/",
        {
            "title": "校园雨水回收装置", "abstract": "简介", "plan": "计划", "budget_request": "1200",
            "advisor": staff_of(world.tian).pk, "members": "",
        },
    )  # fmt: skip
    if name in STUDENTS:
        assert response.status_code == 302
        proposal = Proposal.objects.get()
        assert (proposal.lead.user, proposal.status, proposal.budget_request) == (
            world.persona(name), Status.DRAFT, Decimal("1200.00"),
        )  # fmt: skip
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_lead_submits_or_uploads(world: World, call: Call, name: str) -> None:
    draft = propose(world, world.xiao, call, members=[world.student_ming])
    before = _state()
    client = world.client(name)
    upload = io.BytesIO(b"%PDF-1.4 plan")
    upload.name = "计划书.pdf"
    attached = client.post(f"/school/yizhong/projects/proposals/{draft.pk}/attachments/", {"file": upload})
    submitted = client.post(f"/school/yizhong/projects/proposals/{draft.pk}/submit/")
    if name == "xiao":
        assert (attached.status_code, submitted.status_code) == (302, 302)
        assert Proposal.objects.get().status == Status.SUBMITTED
        assert list(Attachment.objects.values_list("name", flat=True)) == ["计划书.pdf"]
    else:
        assert (attached.status_code, submitted.status_code) == (403, 403)
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_naming_the_panel(world: World, call: Call, name: str) -> None:
    before = _state()
    members = [world.staff_hu.pk, staff_of(world.su).pk, staff_of(world.tian).pk]
    response = world.client(name).post(
        f"/school/yizhong/projects/calls/{call.pk}/panel/", {"members": members}
    )
    if name in MANAGERS:
        assert response.status_code == 302
        assert sorted(PanelMember.objects.values_list("staff_id", flat=True)) == sorted(members)
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_recording_the_decision(world: World, under_review: Proposal, name: str) -> None:
    before = _state()
    response = world.client(name).post(
        f"/school/yizhong/projects/proposals/{under_review.pk}/decision/",
        {"decision": "funded", "amount": "1800", "rank": "1", "total": "90", "reason": "评审会纪要"},
    )
    if name in MANAGERS:
        assert response.status_code == 302
        assert Proposal.objects.values_list("status", "amount_granted").get() == (
            "funded",
            Decimal("1800.00"),
        )
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.fixture
def two_proposals(world: World, call: Call, zhao: Student) -> tuple[Proposal, Proposal]:
    """P1: submitted, led by xiao with ming, advised by tian. P2: zhao's draft, advised by bella.
    The panel (hu, bella, su) is named; the review has not opened."""
    p1 = propose(world, world.xiao, call, members=[world.student_ming])
    services.submit_proposal(actor=actor_for(world.xiao), proposal=p1)
    assert zhao.user is not None
    p2 = propose(world, zhao.user, call, title="智能花盆", advisor=staff_of(world.bella))
    services.add_attachment(actor=actor_for(zhao.user), proposal=p2, name="a.pdf", data=io.BytesIO(b"%PDF-1"))
    panel_of_three(world, call)
    return p1, p2


# Who sees which: the office and the bureau all; hu as a panel member only the submitted one;
# tian as P1's advisor; xiao and ming as P1's team; the parent and the other school nothing.
SEES = {
    "alice": {"P1", "P2"}, "bella": {"P1", "P2"}, "wang": {"P1", "P2"},
    "su": {"P1", "P2"}, "ju": {"P1", "P2"},
    "hu": {"P1"}, "tian": {"P1"}, "xiao": {"P1"}, "ming": {"P1"}, "ma": set(), "oscar": set(),
}  # fmt: skip


@pytest.mark.parametrize("name", PERSONAS)
def test_who_sees_which_proposal(world: World, two_proposals: tuple[Proposal, Proposal], name: str) -> None:
    p1, p2 = two_proposals
    labels = {p1.pk: "P1", p2.pk: "P2"}
    actor = actor_for(world.persona(name))
    visible = {labels[p.pk] for p in selectors.proposals_visible_to(actor, world.school)}
    assert visible == SEES[name]
    client = world.client(name)
    for proposal, label in ((p1, "P1"), (p2, "P2")):
        page = client.get(f"/school/yizhong/projects/proposals/{proposal.pk}/")
        printed = client.get(f"/school/yizhong/projects/proposals/{proposal.pk}/print/")
        expected = 200 if label in SEES[name] else 403
        assert (page.status_code, printed.status_code) == (expected, expected)
    attachment = Attachment.objects.get(proposal=p2)
    download = client.get(f"/school/yizhong/projects/proposals/{p2.pk}/attachments/{attachment.pk}/")
    if "P2" in SEES[name]:
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF-1"  # type: ignore[attr-defined]
    else:
        assert download.status_code == 403
    listing = client.get("/school/yizhong/projects/proposals/")
    assert listing.status_code == (403 if name in {"ma", "oscar"} else 200)


def test_a_panel_member_reads_before_the_review_opens(
    world: World, two_proposals: tuple[Proposal, Proposal]
) -> None:
    p1, _ = two_proposals
    html = world.client("hu").get(f"/school/yizhong/projects/proposals/{p1.pk}/").content.decode()
    assert "评审尚未开始：您是评审组成员，可以先阅读（只读）。" in html
    assert "记录评审决定" not in html
    assert "提交申报" not in html


@pytest.mark.parametrize("name", PERSONAS)
def test_recusals_are_shown_to_the_office_and_supervision(world: World, call: Call, name: str) -> None:
    proposal = propose(world, world.xiao, call)
    services.submit_proposal(actor=actor_for(world.xiao), proposal=proposal)
    wang = actor_for(world.wang)
    services.set_panel(
        actor=wang, call=call, members=[world.staff_hu, staff_of(world.su), staff_of(world.tian)]
    )
    services.open_review(actor=wang, call=call)
    response = world.client(name).get(f"/school/yizhong/projects/calls/{call.pk}/")
    recusals = list(selectors.recusals_of(actor_for(world.persona(name)), call))
    if name in OFFICE:
        assert [(r.staff.name, r.proposal.title, r.reason) for r in recusals] == [
            ("田师", "校园雨水回收装置", "指导教师回避")
        ]
        assert "田师 — 校园雨水回收装置（指导教师回避" in response.content.decode()
    else:
        assert recusals == []
        expected = 403 if name in {"ma", "oscar"} else 200
        assert response.status_code == expected
        assert "指导教师回避" not in response.content.decode()

"""Data-proposed nominations. The other apps' workflows (claims, panels, monthly picks, results) are
tested in those apps; here only their stored outcomes matter, so a few rows are written directly."""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import Invalid, NotAllowed
from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Exam, ExamScore, Nomination
from chuangyou.nominations.proposals import proposals
from chuangyou.nominations.selectors import proposals_for
from chuangyou.nominations.tests.helpers import campaign_of
from chuangyou.org import services as org_services
from chuangyou.org.models import Student
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World

TERM = "2026 秋季学期"


def _student(world: World, no: str, name: str, klass: Any = None) -> Student:
    return org_services.create_student(
        actor=SYSTEM, school_class=klass or world.class_1, student_no=no, name=name, gender="M",
        guardians=[(f"{name}家长", f"1380000{no[-4:]}")],
    )  # fmt: skip


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _award(world: World, name: str) -> AwardType:
    services.install_presets(actor=SYSTEM, school=world.school)
    return AwardType.objects.get(school=world.school, name=name)


def _import(world: World, rows: list[list[Any]], actor: Any = None) -> Exam:
    return services.import_exam_scores(
        actor=actor or actor_for(world.wang), school=world.school, year=2026, term=TERM, kind="midterm",
        name="期中.xlsx", data=io.BytesIO(_xlsx(rows)),
    )  # fmt: skip


@pytest.fixture
def ding(world: World) -> Student:
    return _student(world, "S0009", "丁同学")


GOOD = [
    ["学号", "姓名", "科目", "成绩"],
    ["S001", "肖同学", "语文", 90], ["S001", "肖同学", "数学", 95],
    ["S002", "明同学", "语文", 92], ["S002", "明同学", "数学", 80],
    ["S0009", "丁同学", "语文", 85], ["S0009", "丁同学", "数学", 98],
]  # fmt: skip


def test_exam_firsts_per_class_and_grade_on_total_and_subject(world: World, ding: Student) -> None:
    campaign = campaign_of(world)
    exam = _import(world, GOOD)
    assert (str(exam), ExamScore.objects.count()) == ("2026 秋季学期期中考试", 6)
    found = {p.student.name: p.reasons for p in proposals(_award(world, "学科第一名"), campaign)}
    e = "2026 秋季学期期中考试 "
    assert found == {
        "肖同学": [f"{e}初一（1）班总分第一名（185 分）", f"{e}初一（1）班语文第一名（90 分）",
                   f"{e}初一年级总分第一名（185 分）"],
        "明同学": [f"{e}初一（2）班总分第一名（172 分）", f"{e}初一（2）班语文第一名（92 分）",
                   f"{e}初一（2）班数学第一名（80 分）", f"{e}初一年级语文第一名（92 分）"],
        "丁同学": [f"{e}初一（1）班数学第一名（98 分）", f"{e}初一年级数学第一名（98 分）"],
    }  # fmt: skip


def test_a_tie_shares_first_place(world: World, ding: Student) -> None:
    campaign = campaign_of(world)
    _import(world, [["学号", "科目", "成绩"], ["S001", "语文", 90], ["S0009", "语文", 90.0]])
    found = {p.student.name: p.reasons for p in proposals(_award(world, "学科第一名"), campaign)}
    assert found["肖同学"] == found["丁同学"] == [
        "2026 秋季学期期中考试 初一（1）班总分第一名（90 分）",
        "2026 秋季学期期中考试 初一（1）班语文第一名（90 分）",
        "2026 秋季学期期中考试 初一年级总分第一名（90 分）",
        "2026 秋季学期期中考试 初一年级语文第一名（90 分）",
    ]  # fmt: skip


def test_exam_import_is_all_or_nothing_with_row_errors(world: World, ding: Student) -> None:
    bad = [
        ["成绩", "科目", "学号", "姓名"],
        [90, "语文", "S999", ""],
        [90, "语文", "S001", "小明"],
        ["九十", "数学", "S002", "明同学"],
        [88, "语文", "S0009", "丁同学"],
        [89, "语文", "S0009", "丁同学"],
        [151, "英语", "S0009", "丁同学"],
        [None, None, None, None],
        [70, "", "S001", ""],
    ]
    with pytest.raises(Invalid) as exc:
        _import(world, bad)
    assert exc.value.message == "成绩表有 6 处错误，没有导入任何成绩。请改正后重新上传。"
    assert exc.value.errors["file"] == [
        "第 2 行「学号」：本校没有学号为 S999 的学生",
        "第 3 行「姓名」：与学号 S001 的学生「肖同学」不符",
        "第 4 行「成绩」：「九十」不是数字",
        "第 6 行「科目」：与第 5 行重复（同一学生同一科目）",
        "第 7 行「成绩」：应在 0 到 150 之间，至多一位小数",
        "第 9 行「科目」：必填",
    ]
    assert (Exam.objects.count(), ExamScore.objects.count()) == (0, 0)
    with pytest.raises(Invalid) as missing:
        _import(world, [["学号", "分数"], ["S001", 90]])
    assert missing.value.errors["file"] == ["第 1 行「科目」：缺少这一列", "第 1 行「成绩」：缺少这一列"]


def test_exam_import_page_lists_the_errors_and_refuses_the_outsiders(world: World) -> None:
    url = reverse("nominations:exams", args=["yizhong"])
    sheet = SimpleUploadedFile("期中.xlsx", _xlsx([["学号", "科目", "成绩"], ["S001", "语文", "x"]]))
    page = world.client("wang").post(url, {"year": 2026, "term": TERM, "kind": "final", "file": sheet})
    html = page.content.decode()
    assert "成绩表有 1 处错误，没有导入任何成绩。请改正后重新上传。" in html
    assert "第 2 行「成绩」：「x」不是数字" in html
    with pytest.raises(NotAllowed) as exc:
        _import(world, GOOD[:2], actor=actor_for(world.hu))
    assert exc.value.message == "只有工作小组、领导小组或学校管理员可以导入考试成绩。"
    assert not AuditEntry.objects.filter(action="exam.import").exists()
    sheet = SimpleUploadedFile("期中.xlsx", _xlsx(GOOD[:3]))
    ok = world.client("wang").post(
        url, {"year": 2026, "term": TERM, "kind": "final", "file": sheet}, follow=True
    )
    assert "已导入 2026 秋季学期期末考试 的成绩。" in ok.content.decode()


def test_a_head_teacher_confirms_and_nobody_retypes(world: World, ding: Student) -> None:
    campaign = campaign_of(world)
    _import(world, GOOD)
    award = _award(world, "学科第一名")
    mine = proposals_for(actor_for(world.hu), world.school, campaign, award)
    assert [p.student.name for p in mine] == ["丁同学", "肖同学"]  # by 学号; 初一(2)班's ming is not hu's
    response = world.client("hu").post(
        reverse("nominations:proposal_confirm", args=["yizhong", award.pk, world.student_xiao.pk])
    )
    n = Nomination.objects.get()
    assert response.url == reverse("nominations:detail", args=["yizhong", n.pk])
    assert n.story == (
        "系统依据以下记录提名：\n1. 2026 秋季学期期中考试 初一（1）班总分第一名（185 分）\n"
        "2. 2026 秋季学期期中考试 初一（1）班语文第一名（90 分）\n"
        "3. 2026 秋季学期期中考试 初一年级总分第一名（185 分）"
    )
    exam_id = str(Exam.objects.get().pk)
    assert [e["id"] for e in n.evidence] == [exam_id] * 3
    assert (n.level, n.decisions.get().reason) == ("grade", "系统依据数据提名，经确认推荐")
    assert [p.student.name for p in proposals_for(actor_for(world.hu), world.school, campaign, award)] == [
        "丁同学"
    ]
    with pytest.raises(NotAllowed):
        services.nominate_from_proposal(
            actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_ming
        )
    with pytest.raises(Invalid) as exc:
        services.nominate_from_proposal(
            actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_xiao
        )
    assert exc.value.message == "「肖同学」不在系统依据数据提出的「学科第一名」名单中，或已被推荐。"


def _claim(world: World, student: Student, hours: str, on: dt.date, status: str = "approved") -> None:
    from chuangyou.volunteering.models import Claim

    Claim.objects.create(
        school=world.school, student=student, served_on=on, service="社区服务", organization="社区",
        description="服务", hours=Decimal(hours), organizer=world.staff_hu, status=status, consent="given",
    )  # fmt: skip


def test_volunteer_stars_are_the_most_approved_hours_per_grade(world: World, ding: Student) -> None:
    campaign = campaign_of(world)
    fourth = _student(world, "S0010", "四同学")
    day = dt.date(2026, 5, 1)
    _claim(world, world.student_xiao, "30", day)
    _claim(world, world.student_xiao, "12.5", day)
    _claim(world, world.student_ming, "42.5", day)
    _claim(world, ding, "20", day)
    _claim(world, fourth, "10", day)
    _claim(world, fourth, "100", day, status="pending")
    _claim(world, fourth, "100", dt.date(2025, 5, 1))
    found = [(p.student.name, p.reasons) for p in proposals(_award(world, "志愿服务之星"), campaign)]
    assert found == [  # by 学号: S0009, S001, S002
        ("丁同学", ["2026 年已认证志愿服务 20 小时（1 次），初一年级第 3 名"]),
        ("肖同学", ["2026 年已认证志愿服务 42.5 小时（2 次），初一年级第 1 名"]),
        ("明同学", ["2026 年已认证志愿服务 42.5 小时（1 次），初一年级第 1 名"]),
    ]


def test_proposals_keep_to_the_awards_own_gates(world: World, ding: Student) -> None:
    """志愿服务之星 with a 30-hour floor: 丁同学's 20 hours rank third in the grade but fall short."""
    campaign = campaign_of(world)
    day = dt.date(2026, 5, 1)
    _claim(world, world.student_xiao, "42.5", day)
    _claim(world, ding, "20", day)
    award = _award(world, "志愿服务之星")
    assert [p.student.name for p in proposals(award, campaign)] == ["丁同学", "肖同学"]
    services.add_gate(actor=SYSTEM, award=award, kind="min_volunteer_hours", params={"hours": 30})
    assert [p.student.name for p in proposals(award, campaign)] == ["肖同学"]


def test_book_picks_competition_prizes_and_funded_projects(world: World, ding: Student) -> None:
    from chuangyou.activities.models import ExternalAward
    from chuangyou.books.models import BookAward, MonthlyPick, Recommendation
    from chuangyou.projects.models import Call, TeamMember
    from chuangyou.projects.models import Proposal as Project

    campaign = campaign_of(world)
    now = timezone.now()
    for month, student, title in ((dt.date(2026, 3, 1), world.student_xiao, "平凡的世界"),
                                  (dt.date(2026, 4, 1), world.student_xiao, "红岩")):  # fmt: skip
        pick = MonthlyPick.objects.get_or_create(
            school=world.school, month=month,
            defaults={
                "winners_count": 5, "one_per_class": True, "followed_shortlist": True, "decided_at": now,
            },
        )[0]  # fmt: skip
        rec = Recommendation.objects.create(
            school=world.school, student=student, school_class=student.school_class, month=month, title=title,
            author="作者", book_key=title, review="好书",
        )  # fmt: skip
        BookAward.objects.create(
            school=world.school, pick=pick, recommendation=rec, student=student, month=month, rank=2,
            decided_at=now,
        )  # fmt: skip
    books = [(p.student.name, p.reasons) for p in proposals(_award(world, "好书推荐奖"), campaign)]
    assert books == [
        ("肖同学", ["2026年03月好书推荐奖第 2 名：《平凡的世界》", "2026年04月好书推荐奖第 2 名：《红岩》"])
    ]

    for student, award in ((world.student_ming, "first"), (ding, "merit")):
        ExternalAward.objects.create(
            school=world.school, student=student, competition="全国中学生数学竞赛", level="national",
            award=award, awarded_on=dt.date(2026, 10, 1), certificate="x.pdf",
        )  # fmt: skip
    prizes = [(p.student.name, p.reasons) for p in proposals(_award(world, "学科竞赛奖"), campaign)]
    assert prizes == [("明同学", ["全国中学生数学竞赛（国家级）一等奖"])]

    call = Call.objects.create(
        school=world.school, title="秋季创新项目", semester=TERM, opens_on=dt.date(2026, 9, 1),
        closes_on=dt.date(2026, 9, 30), budget=Decimal(5000), min_panel_size=3,
    )  # fmt: skip
    project = Project.objects.create(
        school=world.school, call=call, lead=ding, advisor=world.staff_hu, title="校园节水装置",
        abstract="节水",
        plan="计划", budget_request=Decimal(800), status="funded", decided_on=dt.date(2026, 10, 20),
        amount_granted=Decimal("800.00"),
    )  # fmt: skip
    for student in (ding, world.student_xiao):
        TeamMember.objects.create(
            school=world.school, call=call, proposal=project, student=student, is_lead=student == ding
        )
    funded = [(p.student.name, p.reasons) for p in proposals(_award(world, "创新项目奖"), campaign)]
    assert funded == [
        ("丁同学", ["创新项目《校园节水装置》获立项资助（800 元），任负责人"]),
        ("肖同学", ["创新项目《校园节水装置》获立项资助（800 元），任成员"]),
    ]
    assert proposals(_award(world, "三好学生"), campaign) == []
    assert Campaign.objects.count() == 1


def test_proposals_and_exam_import_through_the_api(world: World, ding: Student) -> None:
    campaign_of(world)
    award = _award(world, "学科第一名")
    api = "/api/v1/schools/yizhong"
    wang, hu = world.client("wang"), world.client("hu")
    form = {"year": 2026, "term": TERM, "kind": "midterm"}
    bad = wang.post(
        f"{api}/exams",
        form
        | {"file": SimpleUploadedFile("a.xlsx", _xlsx([["学号", "科目", "成绩"], ["S001", "语文", 200]]))},
    )
    assert (bad.status_code, bad.json()["errors"]["file"]) == (
        422,
        ["第 2 行「成绩」：应在 0 到 150 之间，至多一位小数"],
    )
    refused = hu.post(f"{api}/exams", form | {"file": SimpleUploadedFile("a.xlsx", _xlsx(GOOD))})
    assert (refused.status_code, refused.json()["detail"]) == (
        403,
        "只有工作小组、领导小组或学校管理员可以导入考试成绩。",
    )
    made = wang.post(f"{api}/exams", form | {"file": SimpleUploadedFile("a.xlsx", _xlsx(GOOD))})
    assert (made.status_code, made.json()["rows"], made.json()["kind"]) == (201, 6, "midterm")
    listed = hu.get(f"{api}/award-types/{award.pk}/proposals", {"year": 2026}).json()
    assert [(p["student_name"], len(p["reasons"])) for p in listed] == [("丁同学", 2), ("肖同学", 3)]
    confirmed = hu.post(f"{api}/award-types/{award.pk}/proposals/{ding.pk}?year=2026")
    assert (confirmed.status_code, confirmed.json()["nominee_name"], confirmed.json()["level"]) == (
        201,
        "丁同学",
        "grade",
    )
    again = hu.post(f"{api}/award-types/{award.pk}/proposals/{ding.pk}?year=2026")
    assert (again.status_code, again.json()["detail"]) == (
        422, "「丁同学」不在系统依据数据提出的「学科第一名」名单中，或已被推荐。"
    )  # fmt: skip


def test_activity_results_with_a_prize_are_proposed(world: World, ding: Student) -> None:
    from chuangyou.activities.models import Registration, Result
    from chuangyou.activities.tests.conftest import make_activity

    activity = make_activity(world.school, world.staff_hu, title="校数学竞赛")
    campaign = activity.campaign
    for student, award in ((world.student_xiao, "second"), (ding, "merit"), (world.student_ming, "")):
        reg = Registration.objects.create(
            school=world.school, activity=activity, student=student, status="confirmed"
        )
        Result.objects.create(school=world.school, registration=reg, award=award, rank=None if award else 9)
    found = [(p.student.name, p.reasons) for p in proposals(_award(world, "学科竞赛奖"), campaign)]
    assert found == [("肖同学", ["校数学竞赛 二等奖"])]

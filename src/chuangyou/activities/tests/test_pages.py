import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook
from PIL import Image

from chuangyou.activities import services
from chuangyou.activities.models import Activity, Evidence, Registration, Result, ResultImport
from chuangyou.activities.tests.conftest import add_students, make_activity
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World

BASE = "/school/yizhong/activities"


def _list_queries(world: World) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = world.client("wang").get(f"{BASE}/?kind=subject_contest")
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_few_and_many(world: World) -> None:
    make_activity(world.school, world.staff_hu)
    few = _list_queries(world)
    for i in range(15):
        activity = make_activity(world.school, world.staff_hu, title=f"竞赛{i}")
        services.sign_up(actor=SYSTEM, activity=activity, person=world.student_xiao)
    assert _list_queries(world) == few
    page = world.client("wang").get(f"{BASE}/?q=竞赛1").content.decode()
    assert page.count('data-testid="activity-row"') == 6  # 竞赛1, 竞赛10…竞赛14


def test_drafts_are_hidden_from_students_and_outsiders_are_refused(world: World) -> None:
    make_activity(world.school, world.staff_hu, title="草稿活动", publish=False)
    assert "草稿活动" in world.client("wang").get(f"{BASE}/").content.decode()
    assert "草稿活动" not in world.client("xiao").get(f"{BASE}/").content.decode()
    refused = world.client("oscar").get(f"{BASE}/")
    assert refused.status_code == 403
    assert "只有本校师生、家长和主管教育局可以查看本校的活动。" in refused.content.decode()


def test_a_student_signs_up_from_the_page_and_sees_the_waitlist(world: World) -> None:
    activity = make_activity(world.school, world.staff_hu, capacity=1)
    services.sign_up(actor=SYSTEM, activity=activity, person=world.student_ming)
    response = world.client("xiao").post(f"{BASE}/{activity.pk}/sign-up/", follow=True)
    assert "名额已满，您已进入候补，顺位第 1。" in response.content.decode()
    assert Registration.objects.get(student=world.student_xiao).waitlist_position == 1


def test_the_registrations_export_lists_everyone(world: World, activity: Activity) -> None:
    services.sign_up(actor=SYSTEM, activity=activity, person=world.student_xiao)
    response = world.client("hu").get(f"{BASE}/{activity.pk}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]][:6] == [1, "肖同学", "S001", "初一（1）班", None, "已报名"]
    assert world.client("xiao").get(f"{BASE}/{activity.pk}/registrations.xlsx").status_code == 403


def _workbook(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["学号/工号", "姓名", "名次", "成绩", "奖项"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("成绩.xlsx", out.getvalue())


def test_results_import_is_all_or_nothing_with_an_annotated_report(world: World, activity: Activity) -> None:
    a = add_students(world.class_1, 1)[0]
    services.sign_up(actor=SYSTEM, activity=activity, person=world.student_xiao)
    services.sign_up(actor=SYSTEM, activity=activity, person=a)
    client = world.client("hu")  # the person in charge
    bad = _workbook(
        [
            ["S001", "肖同学", 1, 98, "一等奖"],
            ["N000", "学生N0", "第二", 90, "特等奖"],
            ["S002", "", 3, "", ""],
        ]
    )
    response = client.post(f"{BASE}/{activity.pk}/results/", {"file": bad})
    assert "发现 3 处错误，未导入任何成绩。" in response.content.decode()
    assert Result.objects.count() == 0
    upload = ResultImport.objects.get()
    report = client.get(f"{BASE}/{activity.pk}/results/imports/{upload.pk}/report/")
    listing = load_workbook(io.BytesIO(b"".join(report.streaming_content)))["错误清单"]  # type: ignore[attr-defined]
    assert [tuple(c.value for c in row) for row in listing.iter_rows(min_row=2)] == [
        (3, "名次", "“第二”不是正整数名次。"),
        (3, "奖项", "“特等奖”不是一等奖、二等奖、三等奖或优秀奖。"),
        (4, "学号/工号", "S002 没有报名成功这个活动。"),
    ]
    good = _workbook([["S001", "肖同学", 1, 98, "一等奖"], ["N000", "学生N0", "第2名", "90.5", "二等奖"]])
    client.post(f"{BASE}/{activity.pk}/results/", {"file": good})
    summaries = {
        r.registration.student.name: r.summary()
        for r in Result.objects.select_related("registration__student")
    }  # type: ignore[union-attr]
    assert summaries == {"肖同学": "一等奖 · 第1名 · 98分", "学生N0": "二等奖 · 第2名 · 90.5分"}
    refused = world.client("tian").post(f"{BASE}/{activity.pk}/results/", {"file": good})
    assert refused.status_code == 403


def test_one_result_is_saved_by_htmx(world: World, activity: Activity) -> None:
    registration = services.sign_up(actor=SYSTEM, activity=activity, person=world.student_xiao)
    response = world.client("wang").post(
        f"{BASE}/{activity.pk}/results/{registration.pk}/",
        {"award": "third", "rank": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert '<td data-testid="result-summary">三等奖 · 第5名</td>' in response.content.decode()


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_evidence_photos_are_reencoded_private_and_approvable(world: World, activity: Activity) -> None:
    raw = _jpeg_with_exif()
    assert b"PhoneMaker" in raw
    client = world.client("wang")
    client.post(
        f"{BASE}/{activity.pk}/evidence/", {"file": SimpleUploadedFile("合影.jpg", raw), "caption": "合影"}
    )
    evidence = Evidence.objects.get()
    stored = evidence.file.read()
    assert b"PhoneMaker" not in stored
    assert Image.open(io.BytesIO(stored)).size == (40, 30)
    assert evidence.exhibition_approved is False
    served = client.get(f"{BASE}/evidence/{evidence.pk}/")
    assert b"".join(served.streaming_content) == stored  # type: ignore[attr-defined]
    assert world.client("xiao").get(f"{BASE}/evidence/{evidence.pk}/").status_code == 403
    client.post(f"{BASE}/evidence/{evidence.pk}/exhibition/")
    assert Evidence.objects.get().exhibition_approved is True
    bad = client.post(
        f"{BASE}/{activity.pk}/evidence/", {"file": SimpleUploadedFile("x.jpg", b"not an image")}
    )
    assert "图片无法识别。" in bad.content.decode()
    assert Evidence.objects.count() == 1


def test_an_external_award_is_recorded_with_its_certificate(world: World) -> None:
    scan = SimpleUploadedFile("证书.png", _jpeg_with_exif())
    scan.name = "证书.jpg"
    response = world.client("hu").post(
        f"{BASE}/awards/",
        {
            "student_no": "S001",
            "competition": "全国中学生数学竞赛",
            "level": "national",
            "award": "first",
            "awarded_on": "2025-11-02",
            "certificate": scan,
        },
        follow=True,
    )
    assert "全国中学生数学竞赛" in response.content.decode()
    refused = world.client("hu").post(
        f"{BASE}/awards/",
        {
            "student_no": "S002",
            "competition": "信息学奥赛",
            "level": "provincial",
            "award": "second",
            "awarded_on": "2025-11-02",
            "certificate": SimpleUploadedFile("c.jpg", _jpeg_with_exif()),
        },
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("name", ["xiao", "ma"])
def test_a_student_and_parent_see_only_their_own_entries(world: World, activity: Activity, name: str) -> None:
    services.sign_up(actor=SYSTEM, activity=activity, person=world.student_xiao)
    services.sign_up(actor=SYSTEM, activity=activity, person=world.student_ming)
    page = world.client(name).get(f"{BASE}/{activity.pk}/").content.decode()
    assert "明同学" not in page
    assert 'data-testid="registration-row"' not in page


def test_calendar_month_lists_the_activity(world: World, activity: Activity) -> None:
    month = activity.starts_at.astimezone().strftime("%Y-%m")
    page = world.client("xiao").get(f"{BASE}/calendar/?month={month}").content.decode()
    assert "数学竞赛" in page
    assert "/s/yizhong/activities/calendar.ics" in page
    assert actor_for(world.xiao)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangyou.org import services
from chuangyou.org.rules import SYSTEM
from chuangyou.records import selectors
from chuangyou.testing import PERSONAS, World


@pytest.fixture(autouse=True)
def fake_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "SOURCE_MODULES", ["chuangyou.records.tests.fake_source"])


OFFICE = {"alice", "bella", "wang", "su", "ju"}
SEES_XIAO = OFFICE | {"hu", "xiao", "ma"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_student_record_page(world: World, persona: str) -> None:
    response = world.client(persona).get(f"/school/yizhong/records/students/{world.student_xiao.pk}/")
    if persona not in SEES_XIAO:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "共 3 项记录，志愿服务 3.5 小时。" in page
    assert page.index("图书馆整理") < page.index("社区敬老院服务")  # newest first


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_record_is_for_oneself_and_the_office(world: World, persona: str) -> None:
    staff = world.tian.staff
    response = world.client(persona).get(f"/school/yizhong/records/staff/{staff.pk}/")
    assert response.status_code == (200 if persona in OFFICE | {"tian"} else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_class_record_is_for_its_head_teacher_and_the_office(world: World, persona: str) -> None:
    response = world.client(persona).get(f"/school/yizhong/records/classes/{world.class_1.pk}/")
    assert response.status_code == (200 if persona in OFFICE | {"hu"} else 403)


def test_export_is_an_xlsx_with_one_row_per_line(world: World) -> None:
    import io

    from openpyxl import load_workbook

    response = world.client("ma").get(
        f"/school/yizhong/records/students/{world.student_xiao.pk}/?format=xlsx"
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "班级/职务", "类别")
    assert [(r[0], r[2], r[4], r[6]) for r in rows[1:]] == [
        ("肖同学", "活动", "秋季运动会", None),
        ("肖同学", "志愿服务", "图书馆整理", 1.0),
        ("肖同学", "志愿服务", "社区敬老院服务", 2.5),
    ]


def test_a_class_costs_the_same_queries_however_many_students(world: World) -> None:
    def count_for_class() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.records_for_class(SYSTEM, world.class_1)
        return len(ctx.captured_queries)

    small = count_for_class()
    for n in range(5):
        services.create_student(
            actor=SYSTEM, school_class=world.class_1, student_no=f"S1{n:02d}", name=f"学生{n}", gender="F",
            guardians=[(f"家长{n}", f"1390000{n:04d}")],
        )  # fmt: skip
    assert count_for_class() == small


def test_api_returns_the_same_record(world: World) -> None:
    data = (
        world.client("xiao").get(f"/api/v1/schools/yizhong/records/students/{world.student_xiao.pk}").json()
    )
    assert data["hours"] == "3.5"
    assert [line["title"] for line in data["lines"]] == ["秋季运动会", "图书馆整理", "社区敬老院服务"]
    other = world.client("xiao").get(f"/api/v1/schools/yizhong/records/students/{world.student_ming.pk}")
    assert other.status_code == 403

"""放假安排: a year's holiday schedule entered by hand, for a year chinese-calendar doesn't cover yet.
Entered by the bureau admin for all its schools, or by a school admin while the bureau has none."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org import services
from chuangyou.org.models import HolidaySchedule
from chuangyou.org.rules import actor_for
from chuangyou.org.selectors import bureau_schedules, school_schedules
from chuangyou.testing import PERSONAS, World

pytestmark = pytest.mark.django_db

NOTE = "国办发明电〔2026〕1号"
NEW_YEAR = [dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3)]
SPRING_SATURDAY = dt.date(2027, 2, 20)  # a Saturday worked in exchange


def enter_for_bureau(world: World, **kw: object) -> HolidaySchedule:
    args: dict[str, object] = {"year": 2027, "holidays": NEW_YEAR, "workdays": [SPRING_SATURDAY]}
    args.update(kw)
    return services.enter_holiday_schedule(
        actor=actor_for(world.ju),
        bureau=world.bureau,
        source_note=NOTE,
        **args,  # type: ignore[arg-type]
    )


# --- the service -------------------------------------------------------------------------------


def test_the_bureau_admin_enters_a_year_and_it_is_audited(world: World) -> None:
    schedule = enter_for_bureau(world)
    assert schedule.holidays == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert schedule.workdays == ["2027-02-20"]
    assert schedule.entered_by == world.ju
    assert schedule.label == f"教育局录入的 2027 年放假安排（{NOTE}）"
    entry = AuditEntry.objects.get(action="holidays.enter")
    assert (entry.actor_id, entry.school_id, entry.object_id) == (world.ju.pk, None, str(schedule.pk))
    assert entry.after == {
        "bureau_id": world.bureau.pk,
        "school_id": None,
        "year": 2027,
        "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
        "workdays": ["2027-02-20"],
        "source_note": NOTE,
    }
    # Every school of the bureau counts with it; the bureau's own notices too.
    for school in (world.school, world.other_school):
        entered = school_schedules(school.pk).get(2027)
        assert entered is not None
        assert entered.label == schedule.label
    assert bureau_schedules(world.bureau.pk).get(2028) is None


def test_editing_is_audited_with_before_and_after(world: World) -> None:
    schedule = enter_for_bureau(world)
    services.edit_holiday_schedule(
        actor=actor_for(world.ju),
        schedule=schedule,
        holidays=[dt.date(2027, 1, 1)],
        workdays=[],
        source_note="国办发明电〔2026〕2号",
    )
    schedule.refresh_from_db()
    assert (schedule.holidays, schedule.workdays) == (["2027-01-01"], [])
    entry = AuditEntry.objects.get(action="holidays.edit")
    assert entry.before == {
        "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
        "workdays": ["2027-02-20"],
        "source_note": NOTE,
    }
    assert entry.after == {"holidays": ["2027-01-01"], "workdays": [], "source_note": "国办发明电〔2026〕2号"}


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"year": 2027, "holidays": [dt.date(2026, 12, 31)]}, "2026-12-31 不在 2027 年内。"),
        ({"year": 2027, "holidays": [dt.date(2027, 1, 1), dt.date(2027, 1, 1)]}, "2027-01-01 重复填写。"),
        (
            {"year": 2027, "holidays": [dt.date(2027, 2, 20)], "workdays": [SPRING_SATURDAY]},
            "2027-02-20 不能既是放假日期又是调休上班日期。",
        ),
        (
            {"year": 2027, "workdays": [dt.date(2027, 2, 22)]},
            "2027-02-22 是工作日，不必列为调休上班日期：调休上班日是周六或周日。",
        ),
        ({"year": 2027, "holidays": []}, "请至少填写一个放假日期。"),
        ({"year": 1999, "holidays": [dt.date(1999, 1, 1)]}, "年份应在 2000 到 2100 之间。"),
    ],
)
def test_wrong_schedules_are_refused_in_chinese_and_nothing_is_saved(
    world: World, kw: dict[str, object], message: str
) -> None:
    with pytest.raises(Invalid) as exc:
        enter_for_bureau(world, **kw)
    assert message in exc.value.message
    assert not HolidaySchedule.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="holidays.").exists()


def test_a_school_admin_enters_one_only_while_the_bureau_has_none(world: World) -> None:
    own = services.enter_holiday_schedule(
        actor=actor_for(world.alice),
        school=world.school,
        year=2027,
        holidays=[dt.date(2027, 1, 1)],
        workdays=[],
        source_note="本校依据国务院通知录入",
    )
    assert AuditEntry.objects.get(action="holidays.enter").school_id == world.school.pk
    entered = school_schedules(world.school.pk).get(2027)
    assert entered is not None
    assert entered.label == "学校录入的 2027 年放假安排（本校依据国务院通知录入）"
    assert school_schedules(world.other_school.pk).get(2027) is None  # the other school's isn't touched
    # Once the bureau enters the year, the bureau's is used and the school may not add another.
    bureau = enter_for_bureau(world)
    entered = school_schedules(world.school.pk).get(2027)
    assert entered is not None
    assert entered.label == bureau.label
    HolidaySchedule.objects.filter(pk=own.pk).delete()
    with pytest.raises(Conflict) as exc:
        services.enter_holiday_schedule(
            actor=actor_for(world.alice),
            school=world.school,
            year=2027,
            holidays=[dt.date(2027, 1, 1)],
            workdays=[],
            source_note="x",
        )
    assert exc.value.message == "教育局已录入 2027 年的放假安排，本校各项工作日按教育局的计算，无需另行录入。"


def test_a_year_is_entered_once(world: World) -> None:
    enter_for_bureau(world)
    with pytest.raises(Conflict):
        enter_for_bureau(world)
    assert HolidaySchedule.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_enter_the_bureaus_schedule(world: World, persona: str) -> None:
    args = {"year": 2027, "holidays": NEW_YEAR, "workdays": [], "source_note": NOTE}
    if persona == "ju":
        services.enter_holiday_schedule(actor=actor_for(world.ju), bureau=world.bureau, **args)  # type: ignore[arg-type]
        assert HolidaySchedule.objects.count() == 1
        return
    with pytest.raises(NotAllowed):
        services.enter_holiday_schedule(actor=actor_for(world.persona(persona)), bureau=world.bureau, **args)  # type: ignore[arg-type]
    assert not HolidaySchedule.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="holidays.").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_enter_the_schools_schedule(world: World, persona: str) -> None:
    args = {"year": 2027, "holidays": NEW_YEAR, "workdays": [], "source_note": NOTE}
    if persona == "alice":
        services.enter_holiday_schedule(actor=actor_for(world.alice), school=world.school, **args)  # type: ignore[arg-type]
        assert HolidaySchedule.objects.count() == 1
        return
    with pytest.raises(NotAllowed):
        services.enter_holiday_schedule(actor=actor_for(world.persona(persona)), school=world.school, **args)  # type: ignore[arg-type]
    assert not HolidaySchedule.objects.exists()


def test_another_schools_admin_may_not_edit_ours(world: World) -> None:
    ours = services.enter_holiday_schedule(
        actor=actor_for(world.alice),
        school=world.school,
        year=2027,
        holidays=NEW_YEAR,
        workdays=[],
        source_note=NOTE,
    )
    with pytest.raises(NotAllowed):
        services.edit_holiday_schedule(
            actor=actor_for(world.oscar),
            schedule=ours,
            holidays=[dt.date(2027, 1, 1)],
            workdays=[],
            source_note="x",
        )
    ours.refresh_from_db()
    assert ours.holidays == ["2027-01-01", "2027-01-02", "2027-01-03"]


# --- the pages ----------------------------------------------------------------------------------


def _link(html: str, testid: str) -> str:
    match = re.search(
        rf'data-testid="{testid}"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*data-testid="{testid}"', html
    )
    assert match, testid
    return match.group(1) or match.group(2)


def test_the_bureau_admin_clicks_from_home_to_the_page_and_enters_a_year(world: World) -> None:
    client = world.client("ju")
    home = client.get("/bureau/county/").content.decode()
    url = _link(home, "bureau-holidays-link")
    assert url == "/bureau/county/holidays/"
    page = client.get(url)
    assert page.status_code == 200
    assert "还没有录入放假安排。" in page.content.decode()
    response = client.post(
        url,
        {
            "year": "2027",
            "holidays": "2027-01-01、2027/1/2，2027-01-03\n2027-02-10 2027-02-11",
            "workdays": "2027/2/20",
            "source_note": NOTE,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url
    schedule = HolidaySchedule.objects.get()
    assert schedule.holidays == ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-10", "2027-02-11"]
    html = client.get(url).content.decode()
    assert html.count('data-testid="holiday-row"') == 1
    edit = _link(html, "holiday-edit")
    assert edit == "/bureau/county/holidays/2027/"
    response = client.post(edit, {"holidays": "2027-01-01", "workdays": "", "source_note": NOTE})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.holidays == ["2027-01-01"]
    assert schedule.year == 2027


def test_garbled_input_is_shown_in_chinese_and_nothing_saved(world: World) -> None:
    client = world.client("ju")
    response = client.post(
        "/bureau/county/holidays/",
        {"year": "2027", "holidays": "2027-01-01 元旦", "workdays": "", "source_note": NOTE},
    )
    assert response.status_code == 200
    assert (
        "「元旦」不是日期：请写成 2027-01-01 或 2027/1/1，每行一个或用顿号、逗号、空格隔开。"
        in response.content.decode()
    )
    response = client.post(
        "/bureau/county/holidays/",
        {"year": "2027", "holidays": "2028-01-01", "workdays": "", "source_note": NOTE},
    )
    assert response.status_code == 200
    assert "2028-01-01 不在 2027 年内。" in response.content.decode()
    assert not HolidaySchedule.objects.exists()


def test_the_school_admin_clicks_from_home_to_the_page(world: World) -> None:
    client = world.client("alice")
    url = _link(client.get("/").content.decode(), "school-holidays-link")
    assert url == "/school/yizhong/people/holidays/"
    html = client.get(url).content.decode()
    assert "本校录入的安排只在教育局没有录入该年时使用。" in html
    assert 'href="/school/yizhong/people/holidays/"' in html  # in the school menu, under 人员
    response = client.post(
        url, {"year": "2027", "holidays": "2027-01-01", "workdays": "", "source_note": "本校录入"}
    )
    assert response.status_code == 302
    assert HolidaySchedule.objects.get().school == world.school
    # The bureau's schedule shows on the school's page, read-only, and the school's is marked unused.
    enter_for_bureau(world)
    html = client.get(url).content.decode()
    assert html.count('data-testid="holiday-row"') == 2
    assert html.count('data-testid="holiday-edit"') == 1
    assert "教育局已录入该年，本校的不再使用" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_opens_the_pages(world: World, persona: str) -> None:
    client = world.client(persona)
    assert client.get("/bureau/county/holidays/").status_code == (200 if persona == "ju" else 403)
    assert client.get("/school/yizhong/people/holidays/").status_code == (200 if persona == "alice" else 403)
    response = client.post(
        "/school/yizhong/people/holidays/",
        {"year": "2027", "holidays": "2027-01-01", "workdays": "", "source_note": NOTE},
    )
    assert response.status_code == (302 if persona == "alice" else 403)
    assert HolidaySchedule.objects.exists() == (persona == "alice")


def test_a_teacher_sees_no_link(world: World) -> None:
    html = world.client("tian").get("/").content.decode()
    assert "holidays" not in html


def test_the_pages_in_english(world: World) -> None:
    from chuangyou.org.tests.test_english import _chinese_left, _english, _page, compiled_catalogue

    compiled_catalogue.__wrapped__()  # type: ignore[attr-defined]
    enter_for_bureau(world)
    html = _page(_english(world.client("ju")), "/bureau/county/holidays/")
    assert "Holiday schedules" in html
    assert "Enter a year's holiday schedule" in html
    assert _chinese_left(html.replace(NOTE, "")) == []
    html = _page(_english(world.client("alice")), "/school/yizhong/people/holidays/")
    assert "Entered by the bureau" in html
    assert _chinese_left(html.replace(NOTE, "")) == []

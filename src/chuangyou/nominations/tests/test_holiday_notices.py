"""A notice reaching into a year chinese-calendar doesn't cover yet (2027 here): refused until a holiday
schedule for that year is entered, then counted with it, and the notice names where its days came from."""

from __future__ import annotations

import datetime as dt

import pytest

from chuangyou.lib.errors import Invalid
from chuangyou.lib.workdays import package_covers
from chuangyou.nominations import services
from chuangyou.nominations.models import Notice
from chuangyou.nominations.tests.bureau_helpers import scenario, sent_up
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org import services as org
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

pytestmark = pytest.mark.django_db

STARTS = dt.date(2026, 12, 28)  # Monday: 12-28..12-31 are four working days
NOTE = "国办发明电〔2026〕1号"
NEW_YEAR = [dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3)]
REFUSAL = (
    "2027 年的法定节假日安排尚未收录，无法计算工作日："
    "请教育局管理员在教育局首页的「放假安排」页录入 2027 年的国务院放假安排"
    "（本局未录入时，学校管理员可在本校的「放假安排」页录入），"
    "或升级 chinese-calendar 软件包（pip install -U chinese-calendar）后再试。"
)


@pytest.fixture(autouse=True)
def _package_lacks_2027() -> None:
    if package_covers(2027):  # pragma: no cover - the day the package learns 2027, move these on a year
        pytest.skip("chinese-calendar now covers 2027")


def _enter_2027(world: World) -> None:
    org.enter_holiday_schedule(
        actor=actor_for(world.ju),
        bureau=world.bureau,
        year=2027,
        holidays=NEW_YEAR,
        workdays=[],
        source_note=NOTE,
    )


def test_a_notice_into_2027_is_refused_without_a_schedule_and_posted_with_one(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    with pytest.raises(Invalid) as exc:
        notice_for(world, campaign, [n], STARTS)
    assert exc.value.message == REFUSAL
    assert not Notice.objects.exists()

    _enter_2027(world)
    notice = notice_for(world, campaign, [n], STARTS)
    assert notice.ends_on == dt.date(2027, 1, 4)  # 01-01..01-03 off, Monday 01-04 is the fifth day
    assert notice.workdays_source == f"chinese-calendar 软件包；教育局录入的 2027 年放假安排（{NOTE}）"

    html = world.client("tian").get(f"/s/yizhong/nominations/notices/{notice.pk}/").content.decode()
    assert "2027-01-04" in html
    assert f"节假日安排依据：chinese-calendar 软件包；教育局录入的 2027 年放假安排（{NOTE}）" in html
    poster = world.client("tian").get(f"/s/yizhong/nominations/notices/{notice.pk}/poster.pdf")
    assert poster.status_code == 200


def test_a_notice_within_covered_years_names_the_package(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    notice = notice_for(world, campaign, [selected(world, award, campaign)], dt.date(2026, 11, 23))
    assert notice.ends_on == dt.date(2026, 11, 27)
    assert notice.workdays_source == "chinese-calendar 软件包"


def test_the_schools_own_schedule_counts_when_the_bureau_has_none(world: World) -> None:
    org.enter_holiday_schedule(
        actor=actor_for(world.alice),
        school=world.school,
        year=2027,
        holidays=[dt.date(2027, 1, 1)],
        workdays=[],
        source_note="本校录入",
    )
    campaign, award = campaign_of(world), award_of(world)
    notice = notice_for(world, campaign, [selected(world, award, campaign)], STARTS)
    assert notice.ends_on == dt.date(2027, 1, 4)  # 01-02 and 01-03 are a weekend anyway
    assert notice.workdays_source == "chinese-calendar 软件包；学校录入的 2027 年放假安排（本校录入）"


def test_objections_on_the_notice_are_timed_on_the_same_schedule(world: World) -> None:
    _enter_2027(world)
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], STARTS)
    o, _code = services.file_objection(
        notice=notice,
        nomination=n,
        anonymous=False,
        name="张三",
        phone="13900000000",
        grounds="材料不实",
        today=dt.date(2026, 12, 31),
    )
    assert o.due_on == dt.date(2027, 1, 5)  # two working days from 01-01: 01-04 and 01-05


def test_the_bureau_notice_uses_the_bureaus_schedule(world: World) -> None:
    b = scenario(world, unit="school", quota=1, ratio="1")
    n = sent_up(world, b.award, b.yz, world.student_xiao)
    n = services.select(actor=actor_for(world.ju), nomination=n, reason="入选")
    args = {
        "actor": actor_for(world.ju),
        "bureau": world.bureau,
        "year": 2026,
        "title": "2026年度县级优秀学生评选结果公示",
        "basis": "《示例县2026年创先争优表彰办法》",
        "starts_on": STARTS,
        "office": "县教育局监督室",
        "phone": "0731-7654321",
        "address": "县教育局三楼",
        "nominations": [n],
    }
    with pytest.raises(Invalid) as exc:
        services.publish_bureau_notice(**args)  # type: ignore[arg-type]
    assert exc.value.message == REFUSAL
    _enter_2027(world)
    notice = services.publish_bureau_notice(**args)  # type: ignore[arg-type]
    assert notice.ends_on == dt.date(2027, 1, 4)
    assert notice.workdays_source.endswith(f"教育局录入的 2027 年放假安排（{NOTE}）")


def test_the_notice_page_tells_the_publisher_where_to_enter_the_schedule(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    form = {
        "title": "2026年度优秀学生干部评选结果公示",
        "basis": "《2026年创先争优活动实施方案》",
        "starts_on": STARTS.isoformat(),
        "working_days": "5",
        "office": "监督小组办公室",
        "phone": "0731-1234567",
        "address": "学校行政楼201",
        "nominations": [str(n.pk)],
    }
    response = world.client("wang").post("/school/yizhong/nominations/notices/", form)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Notice.objects.exists()
    _enter_2027(world)
    response = world.client("wang").post("/school/yizhong/nominations/notices/", form)
    assert response.status_code == 302
    assert Notice.objects.get().ends_on == dt.date(2027, 1, 4)

import datetime as dt

from django.test import Client
from django.utils import timezone

from chuangyou.activities import ics
from chuangyou.activities.tests.conftest import make_activity
from chuangyou.testing import World


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_folding_keeps_utf8_characters_whole_and_lines_short() -> None:
    line = "DESCRIPTION:" + "创先争优，" * 40
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_the_public_feed_parses(world: World) -> None:
    starts = timezone.make_aware(dt.datetime(2031, 5, 4, 9, 0))
    make_activity(
        world.school, world.staff_hu, title="红歌比赛, 初中组; 决赛", venue="礼堂",
        description="第一行\n" + "长" * 60,
        starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
        signup_opens=starts - dt.timedelta(days=30), signup_closes=starts - dt.timedelta(days=1),
    )  # fmt: skip
    make_activity(world.school, world.staff_hu, title="未发布的草稿", publish=False)
    response = Client().get("/s/yizhong/activities/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in body.split("\r\n"))
    lines = _unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT") + 1]
    fields = dict(line.split(":", 1) for line in event)
    assert fields["SUMMARY"] == "红歌比赛\\, 初中组\\; 决赛"
    assert fields["DTSTART"] == "20310504T010000Z"
    assert fields["DTEND"] == "20310504T030000Z"
    assert fields["LOCATION"] == "礼堂"
    assert fields["DESCRIPTION"] == "学科竞赛\\n第一行\\n" + "长" * 60
    assert fields["UID"].startswith("activity-")
    assert "未发布的草稿" not in body
    assert body.count("BEGIN:VEVENT") == 1

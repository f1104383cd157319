import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangyou.campaigns import selectors, services
from chuangyou.campaigns.models import Assignment, Campaign, Phase
from chuangyou.org.rules import actor_for
from chuangyou.testing import World


@pytest.fixture
def campaign(world: World) -> Campaign:
    return services.create_campaign(
        actor=actor_for(world.bella),
        school=world.school,
        year=timezone.localdate().year,
        title="第一中学创先争优活动实施方案",
        theme="筑堡垒、讲党性、树先锋",
    )


def test_create_campaign_page_seeds_phases_and_redirects(world: World) -> None:
    year = timezone.localdate().year
    client = world.client("wang")
    form = client.get("/school/yizhong/campaigns/new/").content.decode()
    assert f"示例县第一中学{year}年创先争优活动实施方案" in form
    response = client.post(
        "/school/yizhong/campaigns/new/",
        {"year": year, "title": "方案", "theme": "树先锋", "goals": "办人民满意的教育", "is_public": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/school/yizhong/campaigns/{year}/"
    campaign = Campaign.objects.get(year=year)
    assert list(campaign.phases.values_list("name", flat=True)) == [
        "动员部署",
        "全面争创",
        "对标定位",
        "总结完善",
    ]
    again = client.post("/school/yizhong/campaigns/new/", {"year": year, "title": "方案", "theme": "树先锋"})
    assert again.status_code == 200
    assert f"{year} 年度的活动方案已经存在。" in again.content.decode()
    assert Campaign.objects.count() == 1


def test_phase_edit_shows_chinese_errors_on_the_field(world: World, campaign: Campaign) -> None:
    second = Phase.objects.get(campaign=campaign, order=2)
    first = Phase.objects.get(campaign=campaign, order=1)
    url = f"/school/yizhong/campaigns/{campaign.year}/phases/{second.pk}/edit/"
    client = world.client("bella")
    backwards = client.post(url, {"name": "全面争创", "starts_on": "2026-05-02", "ends_on": "2026-05-01"})
    assert "结束日期不能早于开始日期。" in backwards.content.decode()
    overlap = client.post(
        url,
        {"name": "全面争创", "starts_on": first.ends_on.isoformat(), "ends_on": second.ends_on.isoformat()},
    )
    html = overlap.content.decode()
    assert f"「全面争创」须在「动员部署」结束（{first.ends_on:%Y-%m-%d}）之后开始" in html
    assert 'class="form-control is-invalid"' in html
    assert Phase.objects.get(pk=second.pk).starts_on == second.starts_on


def test_detail_page_shows_timeline_groups_and_current_phase(world: World, campaign: Campaign) -> None:
    today = timezone.localdate()
    current = campaign.current_phase(today)
    assert current is not None
    html = world.client("su").get(f"/school/yizhong/campaigns/{campaign.year}/").content.decode()
    assert f"今天：{today:%Y-%m-%d}" in html
    current_item = r'class="current"[^>]*aria-current="step">\s*<div class="phase-name">'
    assert re.search(current_item + current.name, html)
    assert html.count('data-status="current"') == 1
    # The groups, 组长 first: bella leads the leading group, su the supervision group.
    assert re.search(r"领导小组.*白拉.*组长.*工作小组.*王武.*监督小组.*苏监.*组长", html, re.S)


def test_assignment_list_filters_and_marks_overdue(world: World, campaign: Campaign) -> None:
    actor = actor_for(world.wang)
    today = timezone.localdate()
    late = services.create_assignment(
        actor=actor,
        campaign=campaign,
        title="编写简报",
        owner=world.staff_hu,
        deadline=today - dt.timedelta(1),
    )
    services.create_assignment(
        actor=actor, campaign=campaign, title="公开承诺", owner=world.staff_hu, deadline=today
    )
    client = world.client("wang")
    url = f"/school/yizhong/campaigns/{campaign.year}/assignments/"
    html = client.get(url).content.decode()
    assert re.search(rf'id="assignment-{late.pk}"[^>]*class="table-danger" data-overdue="1"', html)
    assert html.count('data-overdue="1"') == 1
    overdue = client.get(url + "?status=overdue", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in overdue
    assert "编写简报" in overdue
    assert "公开承诺" not in overdue
    done = client.post(url + f"{late.pk}/done/", headers={"HX-Request": "true"}).content.decode()
    assert f"{today:%Y-%m-%d} 完成" in done
    assert Assignment.objects.get(pk=late.pk).done_on == today
    twice = client.post(url + f"{late.pk}/done/", headers={"HX-Request": "true"}).content.decode()
    assert f"「编写简报」已于 {today:%Y-%m-%d} 标记完成。" in twice
    client.post(url + f"{late.pk}/reopen/", headers={"HX-Request": "true"})
    assert Assignment.objects.get(pk=late.pk).done_on is None


def test_assignment_list_query_count_does_not_grow(world: World, campaign: Campaign) -> None:
    actor = actor_for(world.wang)
    phase = Phase.objects.get(campaign=campaign, order=1)
    client = world.client("wang")
    url = f"/school/yizhong/campaigns/{campaign.year}/assignments/"

    def add(n: int) -> None:
        for i in range(n):
            services.create_assignment(
                actor=actor, campaign=campaign, title=f"任务{i}", owner=world.staff_hu,
                deadline=dt.date(2026, 3, 1), phase=phase,
            )  # fmt: skip

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_resources_show_the_funds_total(world: World, campaign: Campaign) -> None:
    client = world.client("alice")
    url = f"/school/yizhong/campaigns/{campaign.year}/resources/"
    client.post(url, {"kind": "venue", "name": "学校礼堂", "quantity": "1 间"})
    client.post(url, {"kind": "funds", "name": "表彰奖金", "amount": "5000"})
    client.post(url, {"kind": "funds", "name": "简报印刷", "amount": "320.5"})
    missing = client.post(url, {"kind": "funds", "name": "其他"}).content.decode()
    assert "经费须填写金额。" in missing
    html = client.get(url).content.decode()
    assert re.search(r'data-testid="funds-total">5,320.50<', html)
    lines = selectors.resources_of(campaign)
    assert [(r.name, r.amount) for r in lines] == [
        ("学校礼堂", None), ("表彰奖金", Decimal("5000.00")), ("简报印刷", Decimal("320.50")),
    ]  # fmt: skip
    assert html.index("学校礼堂") < html.index("表彰奖金")


def test_safety_page_refuses_a_bad_file_in_chinese(world: World, campaign: Campaign) -> None:
    client = world.client("wang")
    url = f"/school/yizhong/campaigns/{campaign.year}/safety/"
    bad = client.post(url, {"safety_notes": "x", "safety_plan": SimpleUploadedFile("a.txt", b"hello")})
    assert "安全预案只能上传 PDF、Word（doc/docx）或图片（jpg/png）文件。" in bad.content.decode()
    good = client.post(
        url,
        {"safety_notes": "活动前检查场地", "safety_plan": SimpleUploadedFile("应急预案.pdf", b"%PDF-1.7")},
    )
    assert good.status_code == 302
    html = client.get(url).content.decode()
    assert "应急预案.pdf" in html
    assert f"/school/yizhong/campaigns/{campaign.year}/safety/download/" in html
    assert "/media/" not in html

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from chuangyou.campaigns import services
from chuangyou.campaigns.models import Campaign, Phase
from chuangyou.org.models import Staff
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World


def _campaign(world: World, **kw: object) -> Campaign:
    return services.create_campaign(
        actor=actor_for(world.bella),
        school=world.school,
        year=timezone.localdate().year,
        title="第一中学创先争优活动实施方案",
        theme="筑堡垒、讲党性、树先锋",
        **kw,  # type: ignore[arg-type]
    )


def test_public_page_needs_no_login_and_shows_the_plan(world: World) -> None:
    campaign = _campaign(world)
    current = campaign.current_phase(timezone.localdate())
    assert current is not None
    services.update_phase(
        actor=SYSTEM, phase=current, name=current.name, starts_on=current.starts_on,
        ends_on=current.ends_on, description="召开专题动员大会",
    )  # fmt: skip
    services.create_assignment(
        actor=SYSTEM, campaign=campaign, title="内部任务：整理台账", owner=world.staff_hu,
        deadline=timezone.localdate(),
    )  # fmt: skip
    Staff.objects.filter(user=world.bella).update(phone="13912345678")
    response = Client().get("/s/yizhong/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "示例县第一中学" in html
    assert "筑堡垒、讲党性、树先锋" in html
    assert html.count('aria-current="step"') == 1
    now = re.search(r'data-testid="now">(.*?)</section>', html, re.S)
    assert now is not None
    assert current.name in now.group(1)
    assert "召开专题动员大会" in now.group(1)
    assert re.search(r"领导小组.*白拉.*组长", html, re.S)
    assert "13912345678" not in html
    assert "内部任务" not in html
    assert "安全预案" not in html


def test_between_phases_the_page_names_the_next_one(world: World) -> None:
    today = timezone.localdate()
    campaign = _campaign(world)
    for phase in Phase.objects.filter(campaign=campaign, order__gt=1):
        services.delete_phase(actor=SYSTEM, phase=phase)
    only = Phase.objects.get(campaign=campaign)
    services.update_phase(
        actor=SYSTEM, phase=only, name="总结完善", starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=10), description="",
    )  # fmt: skip
    html = Client().get("/s/yizhong/").content.decode()
    starts = (today + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    assert f"下一阶段「总结完善」将于 {starts} 开始。" in html
    assert 'aria-current="step"' not in html


def test_empty_state_without_a_public_campaign(world: World) -> None:
    html = Client().get("/s/yizhong/").content.decode()
    assert "本校尚未公布创先争优活动方案。" in html
    _campaign(world, is_public=False)
    hidden = Client().get("/s/yizhong/").content.decode()
    assert "本校尚未公布创先争优活动方案。" in hidden
    assert "筑堡垒" not in hidden


def test_unknown_school_is_404(world: World) -> None:
    assert Client().get("/s/no-such-school/").status_code == 404


def test_index_lists_schools_with_a_public_campaign(world: World) -> None:
    _campaign(world)
    services.create_campaign(
        actor=SYSTEM, school=world.other_school, year=2026, title="二中方案", theme="主题", is_public=False
    )
    html = Client().get("/s/").content.decode()
    assert '<a href="/s/yizhong/">示例县第一中学</a>' in html
    assert "示例县第二中学" not in html

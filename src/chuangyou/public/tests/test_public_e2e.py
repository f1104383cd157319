import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chuangyou.campaigns import services
from chuangyou.campaigns.models import Campaign
from chuangyou.org.rules import actor_for
from chuangyou.testing import World


@pytest.mark.e2e
def test_the_public_page_works_on_a_375px_phone_without_login(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    phone_page: Page,
) -> None:
    today = timezone.localdate()
    campaign = services.create_campaign(
        actor=actor_for(live_world.bella),
        school=live_world.school,
        year=today.year,
        title="示例县第一中学创先争优活动实施方案",
        theme="筑堡垒，加强党的组织建设；讲党性，突出党员队伍建设；树先锋，强化职业道德建设",
    )
    current = Campaign.objects.prefetch_related("phases").get(pk=campaign.pk).current_phase(today)
    assert current is not None

    phone_page.goto(f"{live_server.url}/s/yizhong/")
    expect(phone_page.get_by_test_id("school-name")).to_have_text("示例县第一中学")
    expect(phone_page.get_by_test_id("public-theme")).to_contain_text("树先锋，强化职业道德建设")
    expect(phone_page.get_by_test_id("now")).to_contain_text(current.name)
    highlighted = phone_page.locator("[data-testid=timeline-phase].current")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_contain_text("当前阶段")
    # On a phone the phases stack as a column, marked on the left.
    expect(phone_page.get_by_test_id("timeline")).to_have_css("flex-direction", "column")
    expect(highlighted).to_have_css("border-left-color", "rgb(179, 38, 30)")
    expect(phone_page.get_by_test_id("groups")).to_contain_text("白拉")
    expect(phone_page.get_by_test_id("whoami")).to_have_count(0)  # nobody signed in
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

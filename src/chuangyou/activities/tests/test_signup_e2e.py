import pytest
from playwright.sync_api import Page, expect

from chuangyou.activities.models import Registration
from chuangyou.activities.tests.conftest import add_students, make_activity
from chuangyou.e2e_support import login_as
from chuangyou.testing import World


@pytest.mark.e2e
def test_a_student_signs_up_and_withdraws(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
) -> None:
    activity = make_activity(live_world.school, live_world.staff_hu, title="英语演讲比赛", capacity=5)
    login_as(page, live_server.url, live_world.xiao)
    page.goto(f"{live_server.url}/school/yizhong/activities/")
    page.get_by_role("link", name="英语演讲比赛").click()
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("报名成功。")
    expect(page.get_by_test_id("my-status")).to_have_text("已报名")
    expect(page.get_by_test_id("capacity")).to_contain_text("1/5")
    page.get_by_role("button", name="退出报名").click()
    expect(page.get_by_role("alert")).to_contain_text("已退出「英语演讲比赛」。")
    expect(page.get_by_role("button", name="报名", exact=True)).to_be_visible()
    assert list(Registration.objects.filter(activity=activity).values_list("status", flat=True)) == [
        "withdrawn"
    ]


@pytest.mark.e2e
def test_a_head_teacher_signs_up_the_class_in_bulk(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
) -> None:
    activity = make_activity(
        live_world.school, live_world.staff_hu, title="校园歌手大赛", capacity=2, classes=[live_world.class_1]
    )
    add_students(live_world.class_1, 2)
    login_as(page, live_server.url, live_world.hu)
    page.goto(f"{live_server.url}/school/yizhong/activities/{activity.pk}/")
    page.get_by_role("link", name="为本班学生报名").click()
    page.get_by_role("checkbox", name="全选").check()
    page.get_by_role("button", name="为所选学生报名").click()
    outcomes = page.get_by_test_id("bulk-outcome")
    expect(outcomes).to_have_count(3)
    expect(outcomes.nth(0)).to_have_text("学生N0：报名成功")
    expect(outcomes.nth(1)).to_have_text("学生N1：报名成功")
    expect(outcomes.nth(2)).to_have_text("肖同学：候补第 1")
    expect(page.get_by_role("alert").first).to_contain_text("已为 3 名学生报名。")
    statuses = sorted(Registration.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted"]

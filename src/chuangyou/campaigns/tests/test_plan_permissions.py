import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns import selectors, services
from chuangyou.campaigns.models import Assignment, Campaign, Phase
from chuangyou.lib.errors import NotAllowed
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, World

MANAGERS = {"alice", "bella", "wang"}
READERS = MANAGERS | {"su", "ju"}


@pytest.fixture
def campaign(world: World) -> Campaign:
    year = timezone.localdate().year
    campaign = services.create_campaign(
        actor=actor_for(world.alice), school=world.school, year=year, title="方案", theme="树先锋"
    )
    services.update_safety_plan(
        actor=actor_for(world.alice),
        campaign=campaign,
        notes="疏散路线",
        upload=SimpleUploadedFile("预案.pdf", b"%PDF-1.4 test"),
    )
    return campaign


def _state(campaign: Campaign) -> tuple[object, ...]:
    return (
        list(Phase.objects.filter(campaign=campaign).values_list("order", "name", "starts_on", "ends_on")),
        list(Assignment.objects.values_list("title", "done_on")),
        Campaign.objects.filter(pk=campaign.pk).values_list("title", "theme").get(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_phase_edit_through_the_service(world: World, campaign: Campaign, name: str) -> None:
    phase = Phase.objects.get(campaign=campaign, order=1)
    before = _state(campaign)
    actor = actor_for(world.persona(name))
    new_end = phase.ends_on - dt.timedelta(days=1)

    def edit() -> None:
        services.update_phase(
            actor=actor, phase=phase, name="动员", starts_on=phase.starts_on, ends_on=new_end, description=""
        )

    if name in MANAGERS:
        edit()
        assert Phase.objects.get(pk=phase.pk).name == "动员"
        assert AuditEntry.objects.filter(action="phase.update").count() == 1
    else:
        with pytest.raises(NotAllowed, match="只有本校管理员、领导小组或工作小组成员可以修改活动方案"):
            edit()
        assert _state(campaign) == before


@pytest.mark.parametrize("name", PERSONAS)
def test_adding_a_task_through_the_page(world: World, campaign: Campaign, name: str) -> None:
    before = _state(campaign)
    response = world.client(name).post(
        f"/school/yizhong/campaigns/{campaign.year}/assignments/",
        {"title": "召开动员大会", "owner": world.staff_hu.pk, "deadline": "2026-12-01"},
    )
    if name in MANAGERS:
        assert response.status_code == 302
        assert list(Assignment.objects.values_list("title", "owner_id")) == [
            ("召开动员大会", world.staff_hu.pk)
        ]
    else:
        assert response.status_code == 403
        assert _state(campaign) == before


@pytest.mark.parametrize("name", PERSONAS)
def test_reading_the_plan(world: World, campaign: Campaign, name: str) -> None:
    client = world.client(name)
    base = f"/school/yizhong/campaigns/{campaign.year}/"
    pages = ["", "phases/", "assignments/", "resources/", "safety/"]
    statuses = [client.get(base + page).status_code for page in pages]
    statuses.append(client.get("/school/yizhong/campaigns/").status_code)
    download = client.get(base + "safety/download/")
    if name in READERS:
        assert statuses == [200] * 6
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]
        assert download["Content-Disposition"].startswith("attachment;")
    else:
        assert statuses == [403] * 6
        assert download.status_code == 403
    visible = list(selectors.campaigns_visible_to(actor_for(world.persona(name)), world.school))
    assert visible == ([campaign] if name in READERS else [])


@pytest.mark.parametrize("name", sorted(READERS - MANAGERS))
def test_readers_see_no_edit_controls(world: World, campaign: Campaign, name: str) -> None:
    client = world.client(name)
    html = client.get(f"/school/yizhong/campaigns/{campaign.year}/phases/").content.decode()
    assert "添加阶段" not in html
    assert "编辑" not in html
    assert client.get(f"/school/yizhong/campaigns/{campaign.year}/edit/").status_code == 403


def test_anonymous_is_sent_to_login(client, campaign: Campaign) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/school/yizhong/campaigns/{campaign.year}/safety/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", PERSONAS)
def test_marking_a_task_done_with_htmx(world: World, campaign: Campaign, name: str) -> None:
    task = services.create_assignment(
        actor=actor_for(world.wang), campaign=campaign, title="编写简报", owner=world.staff_hu,
        deadline=timezone.localdate(),
    )  # fmt: skip
    before = _state(campaign)
    url = f"/school/yizhong/campaigns/{campaign.year}/assignments/{task.pk}/done/"
    response = world.client(name).post(url, headers={"HX-Request": "true"})
    if name in MANAGERS:
        assert response.status_code == 200
        assert Assignment.objects.get(pk=task.pk).done_on == timezone.localdate()
    else:
        assert response.status_code == 403
        assert _state(campaign) == before

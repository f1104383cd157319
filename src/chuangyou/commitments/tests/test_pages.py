import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import services
from chuangyou.commitments.models import Commitment, Item, ItemVersion, Status
from chuangyou.commitments.tests.helpers import DEADLINE, branch_published, draft, make_campaign, published
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.org.services import create_staff
from chuangyou.testing import PERSONAS, World

BASE = "/school/yizhong/commitments/"
STAFF = {"alice", "bella", "wang", "su", "hu", "tian"}
OFFICE = {"alice", "bella", "wang", "su", "ju"}


@pytest.fixture
def campaign(world: World) -> Campaign:
    return make_campaign(world)


def _state() -> tuple[object, ...]:
    return (
        list(Commitment.objects.order_by("pk").values_list("status", "return_reason", "published_at")),
        list(Item.objects.order_by("pk").values_list("content", "version", "fulfilment")),
        ItemVersion.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_who_enters_the_commitments_pages(world: World, campaign: Campaign, name: str) -> None:
    status = world.client(name).get(BASE).status_code
    assert status == (200 if name in STAFF | OFFICE else 403)


@pytest.mark.parametrize("name", PERSONAS)
def test_publishing_through_the_page(world: World, campaign: Campaign, name: str) -> None:
    commitment = draft(world, campaign)
    services.submit(actor=actor_for(world.wang), commitment=commitment)
    before = _state()
    response = world.client(name).post(f"{BASE}{commitment.pk}/publish/")
    if name == "bella":
        assert response.status_code == 302
        assert Commitment.objects.get(pk=commitment.pk).status == Status.PUBLISHED
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_adding_an_item_through_the_page(world: World, campaign: Campaign, name: str) -> None:
    commitment = draft(world, campaign, count=1)
    before = _state()
    data = {"category": "service", "content": "义务辅导", "measures": "每周一次", "deadline": "2099-06-30"}
    response = world.client(name).post(f"{BASE}{commitment.pk}/", data)
    if name == "wang":
        assert response.status_code == 302
        assert Item.objects.filter(commitment=commitment).count() == 2
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_revising_a_published_item_through_the_page(world: World, campaign: Campaign, name: str) -> None:
    commitment = published(world, campaign)
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    before = _state()
    data = {
        "category": "study", "content": "每两月精读一本", "measures": "写笔记", "deadline": "2099-06-30",
        "reason": "课时增加",
    }  # fmt: skip
    response = world.client(name).post(f"{BASE}{commitment.pk}/items/{item.pk}/edit/", data)
    if name in {"wang", "bella"}:
        assert response.status_code == 302
        assert Item.objects.get(pk=item.pk).version == 2
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_marking_fulfilment_through_the_page(world: World, campaign: Campaign, name: str) -> None:
    commitment = published(world, campaign)
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    before = _state()
    response = world.client(name).post(
        f"{BASE}{commitment.pk}/items/{item.pk}/fulfilment/", {"fulfilled": "0", "reason": "调离"}
    )
    if name in {"alice", "bella", "wang"}:
        assert response.status_code == 302
        assert Item.objects.get(pk=item.pk).fulfilment_reason == "调离"
    else:
        assert response.status_code == 403
        assert _state() == before


def test_not_fulfilled_without_a_reason_is_refused_on_the_page(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    client = world.client("bella")
    response = client.post(
        f"{BASE}{commitment.pk}/items/{item.pk}/fulfilment/", {"fulfilled": "0"}, follow=True
    )
    assert "未兑现的承诺须写明原因。" in response.content.decode()
    assert Item.objects.get(pk=item.pk).fulfilment == "pending"


def test_submitting_too_few_shows_the_rule(world: World, campaign: Campaign) -> None:
    commitment = draft(world, campaign, count=1)
    response = world.client("wang").post(f"{BASE}{commitment.pk}/submit/", follow=True)
    assert "个人承诺须为 2–5 条，现有 1 条。" in response.content.decode()
    assert Commitment.objects.get(pk=commitment.pk).status == Status.DRAFT


@pytest.mark.parametrize("name", PERSONAS)
def test_evidence_is_served_only_to_those_with_rights(world: World, campaign: Campaign, name: str) -> None:
    commitment = published(world, campaign)
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    report = services.report_progress(
        actor=actor_for(world.wang),
        item=item,
        text="进展",
        files=[SimpleUploadedFile("总结.pdf", b"%PDF-1.4 ok")],
    )
    evidence = report.evidence.get()
    response = world.client(name).get(f"{BASE}evidence/{evidence.pk}/")
    if name in OFFICE | {"wang"}:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 ok"  # type: ignore[attr-defined]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", PERSONAS)
def test_the_overdue_page_is_for_secretaries_and_the_working_group(
    world: World, campaign: Campaign, name: str
) -> None:
    status = world.client(name).get(f"{BASE}overdue/").status_code
    assert status == (200 if name in {"alice", "bella", "wang"} else 403)


def test_progress_through_the_page_with_a_file(world: World, campaign: Campaign) -> None:
    commitment = published(world, campaign)
    item = Item.objects.filter(commitment=commitment).order_by("pk").first()
    assert item is not None
    url = f"{BASE}{commitment.pk}/items/{item.pk}/progress/"
    bad = world.client("wang").post(url, {"text": "进展", "evidence": SimpleUploadedFile("a.exe", b"MZ")})
    assert bad.status_code == 422
    assert "文件类型不支持。" in bad.content.decode()
    ok = world.client("wang").post(
        url, {"text": "已完成第一阶段", "evidence": SimpleUploadedFile("a.pdf", b"%PDF-1")}
    )
    assert ok.status_code == 302
    assert list(item.reports.values_list("text", flat=True)) == ["已完成第一阶段"]
    assert world.client("bella").post(url, {"text": "代报"}).status_code == 403


def _more_teachers(world: World, campaign: Campaign, start: int, count: int) -> None:
    for i in range(start, start + count):
        staff = create_staff(
            actor=SYSTEM, school=world.school, staff_no=f"X{i:03d}", name=f"教师{i:03d}", gender="F",
            is_party_member=True, party_branch=world.branch,
        )  # fmt: skip
        actor = actor_for(staff.user)  # type: ignore[arg-type]
        commitment = services.declare(actor=SYSTEM, campaign=campaign, staff=staff)
        for n in range(2):
            services.add_item(
                actor=actor, commitment=commitment, category="work", content=f"第{n}条", measures="做",
                deadline=DEADLINE,
            )  # fmt: skip
        services.submit(actor=actor, commitment=commitment)
        services.publish(actor=SYSTEM, commitment=commitment)
        item = commitment.items.first()
        services.report_progress(
            actor=actor, item=item, text="进展", files=[SimpleUploadedFile("p.pdf", b"%PDF-1")]
        )  # type: ignore[arg-type]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_cost_the_same_queries_at_two_sizes(world: World, campaign: Campaign) -> None:
    anonymous, office = Client(), world.client("bella")
    urls = [(anonymous, "/s/yizhong/commitments/"), (office, BASE), (office, f"{BASE}overdue/")]
    _more_teachers(world, campaign, 0, 2)
    # Two on the overdue list at the small size too, so both sizes render its rows.
    Commitment.objects.all().update(last_progress_on=None, published_at="2000-01-01T00:00:00Z")
    small = [_count(client, url) for client, url in urls]
    _more_teachers(world, campaign, 2, 6)
    Commitment.objects.all().update(last_progress_on=None, published_at="2000-01-01T00:00:00Z")
    large = [_count(client, url) for client, url in urls]
    assert small == large


def test_the_public_board_shows_only_published_and_no_files(world: World, campaign: Campaign) -> None:
    shown = published(world, campaign)
    draft(world, campaign, "tian")
    returned = draft(world, campaign, "alice")
    services.submit(actor=actor_for(world.alice), commitment=returned)
    services.return_commitment(actor=actor_for(world.bella), commitment=returned, reason="措施不具体")
    first = Item.objects.filter(commitment=shown).order_by("pk").first()
    assert first is not None
    services.report_progress(
        actor=actor_for(world.wang),
        item=first,
        text="秘密进展",
        files=[SimpleUploadedFile("证明.pdf", b"%PDF-1")],
    )
    services.revise_item(
        actor=actor_for(world.wang), item=first, category="study", content="每两月精读一本教育专著",
        measures="写读书笔记", deadline=DEADLINE, reason="课时增加",
    )  # fmt: skip
    html = Client().get("/s/yizhong/commitments/").content.decode()
    assert "王武" in html
    assert "每两月精读一本教育专著" in html
    assert "已修改 1 次" in html
    assert "佐证材料 1 份" in html
    assert "田师" not in html
    assert "艾丽" not in html
    assert "证明.pdf" not in html
    assert "秘密进展" not in html
    history = Client().get(f"/s/yizhong/commitments/items/{first.pk}/").content.decode()
    assert "课时增加" in history
    assert "每月精读一本教育专著" in history
    draft_item = Item.objects.filter(commitment__owner_staff__name="田师").first()
    assert draft_item is not None
    assert Client().get(f"/s/yizhong/commitments/items/{draft_item.pk}/").status_code == 404


def test_the_board_without_a_campaign_or_commitments(world: World) -> None:
    assert "本校尚未公布创先争优活动方案。" in Client().get("/s/yizhong/commitments/").content.decode()
    make_campaign(world)
    assert "还没有公开的承诺。" in Client().get("/s/yizhong/commitments/").content.decode()


def test_the_office_export(world: World, campaign: Campaign) -> None:
    published(world, campaign)
    response = world.client("wang").get(f"{BASE}export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[:9] for r in rows] == [
        (
            "王武",
            "个人",
            "已公开",
            "学习",
            "每月精读一本教育专著",
            "写读书笔记并在教研组分享",
            "2099-12-31",
            0,
            "践诺中",
        ),
        (
            "王武",
            "个人",
            "已公开",
            "工作",
            "所带班级数学平均分提高 5 分",
            "每周两次课后辅导",
            "2099-12-31",
            0,
            "践诺中",
        ),
    ]
    assert world.client("tian").get(f"{BASE}export.xlsx").status_code == 403


@pytest.mark.parametrize("name", PERSONAS)
def test_filings_page(world: World, campaign: Campaign, name: str) -> None:
    branch = branch_published(world, campaign)
    services.file_with_bureau(actor=actor_for(world.bella), commitment=branch)
    response = world.client(name).get(f"{BASE}filings/")
    if name in OFFICE:
        assert response.status_code == 200
        html = response.content.decode()
        assert "支部承诺第 10 条" in html
        assert ("各校备案情况" in html) == (name == "ju")
    else:
        assert response.status_code == 403


def test_settings_page_changes_the_rules(world: World) -> None:
    data = {
        "person_min_items": 3,
        "person_max_items": 2,
        "branch_min_items": 10,
        "progress_interval_days": 90,
    }
    bad = world.client("wang").post(f"{BASE}settings/", data)
    assert "个人承诺的最少条数须至少为 1，且不大于最多条数。" in bad.content.decode()
    ok = world.client("wang").post(f"{BASE}settings/", data | {"person_max_items": 6})
    assert ok.status_code == 302
    assert world.client("tian").post(f"{BASE}settings/", data).status_code == 403

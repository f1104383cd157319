import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from chuangyou.campaigns.models import Campaign
from chuangyou.commitments.models import Commitment, Item, ItemVersion
from chuangyou.commitments.tests.helpers import make_campaign, staff_of
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/commitments"


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def campaign(world: World) -> Campaign:
    return make_campaign(world)


def _declare_two(client: Client) -> dict[str, Any]:
    created = _send(client, "post", API, {})
    assert created.status_code == 201
    body = created.json()
    for content in ("每月精读一本教育专著", "结对帮扶两名学困生"):
        item = {"category": "study", "content": content, "measures": "每周一次", "deadline": "2099-12-31"}
        assert _send(client, "post", f"{API}/{body['id']}/items", item).status_code == 201
    return body  # type: ignore[no-any-return]


def test_the_whole_flow_through_the_api(world: World, campaign: Campaign) -> None:
    wang, bella = world.client("wang"), world.client("bella")
    declared = _declare_two(wang)
    cid = declared["id"]
    assert declared | {"id": 0} == {
        "id": 0, "campaign_year": campaign.year, "owner_kind": "staff",
        "owner_id": staff_of(world, "wang").pk,
        "owner_name": "王武", "status": "draft", "return_reason": "", "published_at": None,
        "last_progress_on": None, "filed_on": None, "items": [],
    }  # fmt: skip
    again = _send(wang, "post", API, {})
    assert again.status_code == 409
    first = Item.objects.filter(commitment_id=cid).order_by("pk").first()
    assert first is not None
    patched = _send(wang, "patch", f"{API}/{cid}/items/{first.pk}", {"measures": "每周两次"})
    assert patched.json()["measures"] == "每周两次"
    assert patched.json()["content"] == "每月精读一本教育专著"
    assert _send(bella, "post", f"{API}/{cid}/publish").status_code == 409  # not yet submitted
    assert _send(wang, "post", f"{API}/{cid}/submit").json()["status"] == "submitted"
    assert _send(wang, "post", f"{API}/{cid}/publish").status_code == 403
    returned = _send(bella, "post", f"{API}/{cid}/return", {"reason": "措施不具体"})
    assert returned.json()["return_reason"] == "措施不具体"
    _send(wang, "post", f"{API}/{cid}/submit")
    published = _send(bella, "post", f"{API}/{cid}/publish")
    assert published.json()["status"] == "published"
    assert [i["version"] for i in published.json()["items"]] == [1, 1]
    assert _send(wang, "patch", f"{API}/{cid}/items/{first.pk}", {"content": "悄悄改"}).status_code == 409
    revised = _send(
        wang,
        "post",
        f"{API}/{cid}/items/{first.pk}/revisions",
        {"content": "每两月精读一本", "reason": "课时增加"},
    )
    assert revised.status_code == 201
    assert (revised.json()["version"], revised.json()["times_revised"]) == (2, 1)
    versions = _send(bella, "get", f"{API}/{cid}/items/{first.pk}/versions").json()
    assert [(v["number"], v["content"], v["reason"]) for v in versions] == [
        (2, "每两月精读一本", "课时增加"),
        (1, "每月精读一本教育专著", ""),
    ]
    progress = wang.post(
        f"{API}/{cid}/items/{first.pk}/progress",
        {"text": "已读完一本", "files": [SimpleUploadedFile("笔记.pdf", b"%PDF-1.4")]},
    )
    assert progress.status_code == 201
    assert progress.json()["text"] == "已读完一本"
    assert [e["name"] for e in progress.json()["evidence"]] == ["笔记.pdf"]
    assert _send(world.client("tian"), "get", f"{API}/{cid}/progress").status_code == 403
    no_reason = _send(bella, "post", f"{API}/{cid}/items/{first.pk}/fulfilment", {"fulfilled": False})
    assert no_reason.status_code == 422
    assert no_reason.json() == {
        "detail": "未兑现的承诺须写明原因。",
        "errors": {"reason": ["未兑现的承诺须写明原因。"]},
    }
    done = _send(bella, "post", f"{API}/{cid}/items/{first.pk}/fulfilment", {"fulfilled": True})
    assert done.json()["fulfilment"] == "fulfilled"

    board = Client().get(f"{API}-board")
    assert board.status_code == 200
    owners = board.json()["owners"]
    assert [(o["owner_name"], len(o["items"])) for o in owners] == [("王武", 2)]
    assert owners[0]["items"][0] | {"id": 0} == {
        "id": 0, "category": "study", "content": "每两月精读一本", "measures": "每周两次",
        "deadline": "2099-12-31", "times_revised": 1, "fulfilment": "fulfilled", "fulfilment_reason": "",
        "last_report_on": timezone.localdate().isoformat(), "evidence_count": 1,
    }  # fmt: skip


def test_submitting_too_few_is_a_422_in_chinese(world: World, campaign: Campaign) -> None:
    wang = world.client("wang")
    cid = _send(wang, "post", API, {}).json()["id"]
    response = _send(wang, "post", f"{API}/{cid}/submit")
    assert response.status_code == 422
    assert response.json() == {"detail": "个人承诺须为 2–5 条，现有 0 条。"}


def test_a_branch_files_and_the_bureau_lists_it(world: World, campaign: Campaign) -> None:
    bella = world.client("bella")
    cid = _send(bella, "post", API, {"branch_id": world.branch.pk}).json()["id"]
    for i in range(10):
        item = {"category": "work", "content": f"第{i}条", "measures": "落实", "deadline": "2099-12-31"}
        _send(bella, "post", f"{API}/{cid}/items", item)
    _send(bella, "post", f"{API}/{cid}/submit")
    _send(bella, "post", f"{API}/{cid}/publish")
    filed = _send(bella, "post", f"{API}/{cid}/filing")
    assert filed.status_code == 201
    assert filed.json() | {"id": 0} == {
        "id": 0, "school_code": "yizhong", "commitment_id": cid, "owner_name": "示例县第一中学党支部",
        "filed_on": timezone.localdate().isoformat(), "filed_by": str(world.bella), "item_count": 10,
    }  # fmt: skip
    assert _send(bella, "post", f"{API}/{cid}/filing").status_code == 409
    summary = _send(world.client("ju"), "get", f"{API}-filings/bureau").json()
    assert [(s["school_code"], s["filings"], s["items"]) for s in summary] == [
        ("erzhong", 0, 0),
        ("yizhong", 1, 10),
    ]
    assert _send(world.client("oscar"), "get", f"{API}-filings/bureau").status_code == 403
    assert _send(world.client("alice"), "get", f"{API}-filings/bureau").status_code == 403
    listed = _send(world.client("ju"), "get", f"{API}-filings").json()
    assert [f["commitment_id"] for f in listed["items"]] == [cid]


@pytest.mark.parametrize("name", PERSONAS)
def test_publishing_through_the_api(world: World, campaign: Campaign, name: str) -> None:
    cid = _declare_two(world.client("wang"))["id"]
    _send(world.client("wang"), "post", f"{API}/{cid}/submit")
    response = _send(world.client(name), "post", f"{API}/{cid}/publish")
    if name == "bella":
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)
        assert Commitment.objects.get(pk=cid).status == "submitted"
        assert ItemVersion.objects.count() == 0


@pytest.mark.parametrize("name", PERSONAS)
def test_settings_through_the_api(world: World, name: str) -> None:
    body = {"person_min_items": 1, "person_max_items": 4, "branch_min_items": 8, "progress_interval_days": 30}
    response = _send(world.client(name), "put", f"{API}-settings", body)
    if name in {"alice", "bella", "wang"}:
        assert response.json() == body
    else:
        assert response.status_code == 403
        got = _send(world.client("alice"), "get", f"{API}-settings").json()
        assert got == {
            "person_min_items": 2,
            "person_max_items": 5,
            "branch_min_items": 10,
            "progress_interval_days": 90,
        }


def test_follow_up_lists(world: World, campaign: Campaign) -> None:
    response = _send(world.client("wang"), "get", f"{API}-overdue")
    assert response.json() == {"interval_days": 90, "overdue_progress": [], "past_deadline": []}
    assert _send(world.client("tian"), "get", f"{API}-overdue").status_code == 403

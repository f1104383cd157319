import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from chuangyou.activities.models import Activity, ExternalAward, Registration, Result
from chuangyou.activities.tests.conftest import add_students, make_activity, phase_of
from chuangyou.audit.models import AuditEntry
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong"


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, data=json.dumps(body, default=str), content_type="application/json")


def _payload(world: World, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "kind": "arts",
        "title": "书画展",
        "phase_id": phase_of(world.school).pk,
        "person_in_charge_id": world.staff_hu.pk,
        "starts_at": (now + dt.timedelta(days=7)).isoformat(),
        "ends_at": (now + dt.timedelta(days=7, hours=3)).isoformat(),
        "capacity": 1,
        "signup_opens": (now - dt.timedelta(hours=1)).isoformat(),
        "signup_closes": (now + dt.timedelta(days=3)).isoformat(),
        "class_ids": [world.class_1.pk],
        **extra,
    }


def test_create_publish_sign_up_waitlist_withdraw(world: World) -> None:
    wang = world.client("wang")
    created = _send(wang, "post", f"{API}/activities", _payload(world))
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["class_ids"], body["confirmed"]) == ("draft", [world.class_1.pk], 0)
    one = f"{API}/activities/{body['id']}"
    assert _send(wang, "post", f"{one}/publish").json()["status"] == "published"

    xiao = _send(world.client("xiao"), "post", f"{one}/registrations", {})
    assert xiao.status_code == 201
    assert (xiao.json()["name"], xiao.json()["status"]) == ("肖同学", "confirmed")
    again = _send(world.client("xiao"), "post", f"{one}/registrations", {})
    assert again.status_code == 409
    assert again.json() == {"detail": "肖同学已经报名了这个活动。"}
    ming = _send(world.client("ming"), "post", f"{one}/registrations", {})
    assert ming.status_code == 422
    assert ming.json()["detail"] == "本活动只面向初一（1）班的学生，明同学所在的初一（2）班不在其中。"

    other = add_students(world.class_1, 1)[0]
    bulk = _send(
        world.client("hu"),
        "post",
        f"{one}/registrations/bulk",
        {"student_ids": [other.pk, world.student_xiao.pk]},
    )
    assert [
        (o["name"], o["registration"] and o["registration"]["waitlist_position"], o["message"])
        for o in bulk.json()
    ] == [
        ("学生N0", 1, ""),
        ("肖同学", None, "肖同学已经报名了这个活动。"),
    ]
    withdrawn = _send(world.client("xiao"), "post", f"{one}/registrations/{xiao.json()['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    listing = _send(wang, "get", f"{one}/registrations").json()
    assert [(r["name"], r["status"]) for r in listing["items"]] == [("学生N0", "confirmed")]


def test_results_one_by_one_and_by_import(world: World) -> None:
    activity = make_activity(world.school, world.staff_hu)
    one = f"{API}/activities/{activity.pk}"
    reg = _send(world.client("xiao"), "post", f"{one}/registrations", {}).json()
    put = _send(
        world.client("hu"),
        "put",
        f"{one}/registrations/{reg['id']}/result",
        {"award": "merit", "score": "88.5"},
    )
    assert put.json()["summary"] == "优秀奖 · 88.5分"
    assert (
        _send(world.client("tian"), "put", f"{one}/registrations/{reg['id']}/result", {"rank": 1}).status_code
        == 403
    )
    book = Workbook()
    book.active.append(["学号", "名次", "奖项"])
    book.active.append(["S001", "x", "金奖"])
    out = io.BytesIO()
    book.save(out)
    answer = world.client("hu").post(
        f"{one}/results/import", {"file": SimpleUploadedFile("r.xlsx", out.getvalue())}
    )
    assert answer.json()["applied"] is False
    assert answer.json()["errors"] == [
        {"row": 2, "column": "名次", "message": "“x”不是正整数名次。"},
        {"row": 2, "column": "奖项", "message": "“金奖”不是一等奖、二等奖、三等奖或优秀奖。"},
    ]
    assert Result.objects.get().award == "merit"


def test_external_award_and_calendar(world: World, activity: Activity) -> None:
    scan = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 certificate")
    created = world.client("hu").post(
        f"{API}/external-awards",
        {
            "student_id": world.student_xiao.pk,
            "competition": "信息学奥赛",
            "level": "provincial",
            "award": "first",
            "awarded_on": "2025-10-01",
            "certificate": scan,
        },
    )
    assert created.status_code == 201
    assert created.json()["competition"] == "信息学奥赛"
    assert ExternalAward.objects.get().certificate.read() == b"%PDF-1.4 certificate"
    month = timezone.localtime(activity.starts_at).strftime("%Y-%m")
    cal = _send(world.client("ma"), "get", f"{API}/activity-calendar?month={month}").json()
    assert [a["title"] for a in cal] == ["数学竞赛"]


@pytest.mark.parametrize("name", PERSONAS)
def test_only_managers_create_through_the_api(world: World, name: str) -> None:
    payload = _payload(world)
    before = (Activity.objects.count(), AuditEntry.objects.count())
    response = _send(world.client(name), "post", f"{API}/activities", payload)
    if name in {"alice", "bella", "wang"}:
        assert response.status_code == 201
    else:
        assert response.status_code == 403
        assert (Activity.objects.count(), AuditEntry.objects.count()) == before
        assert Registration.objects.count() == 0

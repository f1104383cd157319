import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.practice.models import Answer, ExerciseSet, Question, Submission
from chuangyou.practice.tests.helpers import this_monday
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/practice"


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def draft(world: World) -> dict[str, Any]:
    deadline = (timezone.now() + dt.timedelta(days=2)).isoformat()
    body = {"title": "周练", "subject": "数学", "week": this_monday().isoformat(), "deadline": deadline,
            "class_ids": [world.class_1.pk]}  # fmt: skip
    response = _send(world.client("tian"), "post", f"{API}/sets", body)
    assert response.status_code == 201
    return response.json()  # type: ignore[no-any-return]


def _questions(client: Client, set_id: int) -> list[int]:
    bodies = [
        {"kind": "single", "prompt": "1+1=?", "points": "2", "choices": ["1", "2"], "correct": [1]},
        {"kind": "fill", "prompt": "写出 ABC", "points": "3", "accepted": ["abc"], "ignore_case": True},
        {"kind": "open", "prompt": "谈谈体会", "points": "5"},
    ]
    ids = []
    for body in bodies:
        response = _send(client, "post", f"{API}/sets/{set_id}/questions", body)
        assert response.status_code == 201
        ids.append(response.json()["id"])
    return ids


def test_the_whole_round_through_the_api(world: World, draft: dict[str, Any]) -> None:
    tian, xiao = world.client("tian"), world.client("xiao")
    set_id = draft["id"]
    assert draft["status"] == "draft"
    assert draft["class_ids"] == [world.class_1.pk]
    single, fill, open_q = _questions(tian, set_id)
    published = _send(tian, "post", f"{API}/sets/{set_id}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    frozen = _send(tian, "delete", f"{API}/sets/{set_id}/questions/{single}")
    assert frozen.status_code == 409
    # Before the deadline the student sees no answer key.
    seen = _send(xiao, "get", f"{API}/sets/{set_id}").json()
    assert [q["correct"] for q in seen["questions"]] == [None, None, None]
    saved = _send(xiao, "put", f"{API}/sets/{set_id}/answers/{single}", {"chosen": [1]})
    assert saved.status_code == 200
    assert saved.json()["chosen"] == [1]
    _send(xiao, "put", f"{API}/sets/{set_id}/answers/{fill}", {"text": "ＡＢＣ "})
    assert [a["question_id"] for a in _send(xiao, "get", f"{API}/sets/{set_id}/answers").json()] == [
        single,
        fill,
    ]
    submitted = _send(
        xiao,
        "post",
        f"{API}/sets/{set_id}/submit",
        {"answers": [{"question_id": open_q, "text": "收获很大"}]},
    )
    assert submitted.status_code == 201
    assert submitted.json() | {"id": 0, "submitted_at": None} == {
        "id": 0, "student_id": world.student_xiao.pk, "submitted_at": None, "is_late": False, "score": "5.0",
        "ungraded": 1,
    }  # fmt: skip
    again = _send(xiao, "post", f"{API}/sets/{set_id}/submit", {})
    assert again.status_code == 409
    assert again.json() == {"detail": "你已经提交了这份练习，不能再修改答案。"}
    queue = _send(tian, "get", f"{API}/sets/{set_id}/questions/{open_q}/grading").json()["items"]
    assert [(a["student_name"], a["text"]) for a in queue] == [("肖同学", "收获很大")]
    too_many = _send(tian, "post", f"{API}/sets/{set_id}/answers/{queue[0]['id']}/grade", {"score": "6"})
    assert too_many.status_code == 422
    graded = _send(
        tian, "post", f"{API}/sets/{set_id}/answers/{queue[0]['id']}/grade", {"score": "4", "comment": "好"}
    )
    assert graded.json()["score"] == "4.0"
    rows = _send(world.client("hu"), "get", f"{API}/sets/{set_id}/report").json()["items"]
    assert [(r["name"], r["completion"], r["ungraded"]) for r in rows] == [("肖同学", "on_time", 0)]
    assert float(rows[0]["score"]) == 9.0
    tallies = _send(world.client("hu"), "get", f"{API}/sets/{set_id}/tallies").json()
    assert tallies == [
        {"class_id": world.class_1.pk, "class_name": "初一（1）班", "students": 1, "on_time": 1, "late": 0,
         "missing": 0, "on_time_rate": "100.0"}
    ]  # fmt: skip
    record = _send(world.client("hu"), "get", f"{API}/classes/{world.class_1.pk}/record").json()
    assert record["total"] | {"week": None} == {
        "week": None,
        "sets": 1,
        "expected": 1,
        "on_time": 1,
        "late": 0,
        "missing": 0,
        "on_time_rate": "100.0",
    }
    mine = _send(world.client("ma"), "get", f"{API}/students/{world.student_xiao.pk}/sets").json()["items"]
    assert [(s["title"], float(s["score"]), s["is_late"]) for s in mine] == [("周练", 9.0, False)]
    result = _send(world.client("ma"), "get", f"{API}/sets/{set_id}/students/{world.student_xiao.pk}").json()
    assert [a["score"] for a in result["answers"]] == ["2.0", "3.0", "4.0"]


def test_drafts_are_edited_and_deleted(world: World, draft: dict[str, Any]) -> None:
    tian = world.client("tian")
    patched = _send(
        tian, "patch", f"{API}/sets/{draft['id']}", {"title": "第二周练习", "class_ids": [world.class_2.pk]}
    )
    assert patched.status_code == 200
    assert (patched.json()["title"], patched.json()["class_ids"]) == ("第二周练习", [world.class_2.pk])
    bad = _send(
        tian,
        "patch",
        f"{API}/sets/{draft['id']}",
        {"week": (this_monday() + dt.timedelta(days=2)).isoformat()},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"week": ["请选择这一周的星期一。"]}
    listed = _send(tian, "get", f"{API}/sets?mine=true").json()
    assert [s["title"] for s in listed["items"]] == ["第二周练习"]
    assert _send(tian, "delete", f"{API}/sets/{draft['id']}").status_code == 204
    assert ExerciseSet.objects.count() == 0


@pytest.mark.parametrize("name", PERSONAS)
def test_api_writes_are_checked_like_the_pages(world: World, draft: dict[str, Any], name: str) -> None:
    set_id = draft["id"]
    _questions(world.client("tian"), set_id)
    before = (
        list(ExerciseSet.objects.values_list("title", "status")),
        Question.objects.count(),
        Submission.objects.count(),
        Answer.objects.count(),
        AuditEntry.objects.count(),
    )
    client = world.client(name)
    publish = _send(client, "post", f"{API}/sets/{set_id}/publish")
    if name == "tian":
        assert publish.status_code == 200
        return
    assert publish.status_code == 403
    assert _send(client, "patch", f"{API}/sets/{set_id}", {"title": "改"}).status_code == 403
    assert _send(client, "delete", f"{API}/sets/{set_id}").status_code == 403
    after = (
        list(ExerciseSet.objects.values_list("title", "status")),
        Question.objects.count(),
        Submission.objects.count(),
        Answer.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before

"""Codes used in bursts from one network are flagged for the supervision group, and the public code
ballot (page and API) is limited per address."""

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from chuangyou.evaluations import selectors, services
from chuangyou.evaluations.models import Evaluation, GroupKind, NetUse, Source
from chuangyou.org.rules import Actor, actor_for
from chuangyou.testing import World


def with_codes(world: World, count: int) -> tuple[Evaluation, list[str]]:
    wang = actor_for(world.wang)
    now = timezone.now()
    evaluation = services.create_evaluation(
        actor=wang,
        school=world.school,
        title="家长满意度测评",
        subject_type="class",
        preset="",
        rubric={
            "name": "满意度",
            "criteria": [{"title": "总体", "scale": {"kind": "points", "low": 0, "high": 100}}],
        },
        rules={"burst_size": 3},
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
    )
    services.add_subjects(
        actor=wang, evaluation=evaluation, specs=[services.SubjectSpec("class", None, "一班")]
    )
    group = services.add_group(
        actor=wang, evaluation=evaluation, kind=GroupKind.PARENTS, name="家长", source=Source.CODES
    )
    codes = services.issue_codes(actor=wang, group=group, count=count)
    services.open_voting(actor=wang, evaluation=evaluation)
    return evaluation, codes


def test_codes_used_in_a_burst_from_one_network_are_flagged_and_spread_ones_are_not(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    evaluation, codes = with_codes(world, 6)
    nine = timezone.localtime().replace(hour=9, minute=1, second=0, microsecond=0)
    uses = [
        ("10.1.1.7", nine),  # three in ten minutes from 10.1.1.0/24: a burst
        ("10.1.1.8", nine + dt.timedelta(minutes=3)),
        ("10.1.1.200", nine + dt.timedelta(minutes=5)),
        ("10.2.2.7", nine),  # three from 10.2.2.0/24, twenty minutes apart: not
        ("10.2.2.8", nine + dt.timedelta(minutes=20)),
        ("10.2.2.9", nine + dt.timedelta(minutes=40)),
    ]
    for code, (address, moment) in zip(codes, uses, strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            services.cast_ballot(
                actor=Actor(user=None),
                entitlement=services.entitlement_for_code(code),
                code=code,
                marks={},
                address=address,
                now=moment,
            )
    # slots of ten minutes: 09:01–09:05 → 54; 09:21 → 56; 09:41 → 58
    rows = sorted(NetUse.objects.filter(evaluation=evaluation).values_list("slot", "uses"))
    assert rows == [(54, 1), (54, 3), (56, 1), (58, 1)]
    bursts = selectors.reliability_flags(actor_for(world.su), evaluation)["bursts"]
    assert [(b["time"], b["uses"]) for b in bursts] == [("09:00", 3)]


def test_the_code_ballot_page_is_limited_per_address(world: World) -> None:
    evaluation, codes = with_codes(world, 1)
    cache.clear()
    url, opening = "/s/yizhong/evaluations/v/", {"code": codes[0]}
    with override_settings(EVALUATION_CODE_REQUESTS_PER_MINUTE=3):
        near, far = Client(REMOTE_ADDR="10.9.9.9"), Client(REMOTE_ADDR="10.8.8.8")
        assert [near.post(url, opening).status_code for _ in range(3)] == [200, 200, 200]
        refused = near.post(url, opening)
        assert refused.status_code == 429
        assert "来自您所在网络的投票请求过于频繁，请一分钟后再试。" in refused.content.decode()
        assert far.post(url, opening).status_code == 200  # another address has its own allowance
    assert evaluation.entitlements.filter(has_voted=True).count() == 0


def test_the_code_ballot_api_is_limited_per_address(world: World) -> None:
    evaluation, codes = with_codes(world, 1)
    cache.clear()
    subject = str(evaluation.subjects.get().pk)
    client = Client(REMOTE_ADDR="10.9.9.9")
    body = json.dumps({"code": "WRONGCODE1", "marks": {subject: {"c1": "90"}}})
    with override_settings(EVALUATION_CODE_REQUESTS_PER_MINUTE=2):
        api = "/api/v1/schools/yizhong/evaluations/code-ballot"
        statuses = [client.post(api, body, content_type="application/json").status_code for _ in range(2)]
        assert statuses == [404, 404]  # wrong guesses count too
        good = json.dumps({"code": codes[0], "marks": {subject: {"c1": "90"}}})
        refused = client.post(api, good, content_type="application/json")
        assert refused.status_code == 429
        assert refused.json() == {"detail": "来自您所在网络的投票请求过于频繁，请一分钟后再试。"}
    assert evaluation.ballots.count() == 0


def test_receipt_checks_are_limited_per_address_on_the_page_and_the_api(world: World) -> None:
    evaluation, _codes = with_codes(world, 1)
    page = f"/s/yizhong/evaluations/{evaluation.pk}/receipt/"
    api = f"/api/v1/schools/yizhong/evaluations/{evaluation.pk}/receipt"
    client = Client(REMOTE_ADDR="10.9.9.9")
    body = json.dumps({"receipt": "AAAABBBBCCCC"})
    with override_settings(RECEIPT_CHECKS_PER_MINUTE=2):
        assert client.get(page, {"receipt": "AAAABBBBCCCC"}).status_code == 200
        assert client.post(api, body, content_type="application/json").json() == {"counted": False}
        refused_page = client.get(page, {"receipt": "AAAABBBBCCCC"})
        refused_api = client.post(api, body, content_type="application/json")
        other = Client(REMOTE_ADDR="10.8.8.8").post(api, body, content_type="application/json")
    assert refused_page.status_code == 429
    assert "来自您所在网络的查验请求过于频繁，请一分钟后再试。" in refused_page.content.decode()
    assert "没有找到这个回执码" not in refused_page.content.decode()
    assert (refused_api.status_code, refused_api.json()) == (
        429,
        {"detail": "来自您所在网络的查验请求过于频繁，请一分钟后再试。"},
    )
    assert 1 <= int(refused_api["Retry-After"]) <= 60
    assert other.status_code == 200

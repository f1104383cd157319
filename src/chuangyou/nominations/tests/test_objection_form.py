"""The public objection form: its token is spent once, and the per-address limit counts only what was
filed (issue 9)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from chuangyou.limits.tests.helpers import objection_post, running_notice
from chuangyou.nominations.models import Objection
from chuangyou.testing import World

REPLAYED = "这份表单已经提交过了。如需再提异议，请刷新页面后重新填写。"
TOO_MANY = "提交次数过多，请一小时后再试，或直接联系受理部门。"


def opened_a_minute_ago(nomination: object) -> dict[str, str]:
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=1)):
        return objection_post(nomination)  # type: ignore[arg-type]


def test_a_replayed_form_is_refused_and_files_nothing_more(world: World) -> None:
    notice, nomination = running_notice(world)
    url = f"/s/yizhong/nominations/notices/{notice.pk}/object/"
    post = opened_a_minute_ago(nomination)
    client = Client(REMOTE_ADDR="10.3.3.3")

    first = client.post(url, post)
    replay = client.post(url, post)

    assert first.status_code == 200
    assert "异议已提交" in first.content.decode()
    assert replay.status_code == 409
    assert REPLAYED in replay.content.decode()
    assert Objection.objects.count() == 1


def test_a_form_sent_back_for_correction_may_be_sent_again(world: World) -> None:
    notice, nomination = running_notice(world)
    url = f"/s/yizhong/nominations/notices/{notice.pk}/object/"
    post = {**opened_a_minute_ago(nomination), "anonymous": "on", "grounds": "太短"}
    client = Client(REMOTE_ADDR="10.3.3.3")

    refused = client.post(url, post)
    assert refused.status_code == 200
    assert "匿名异议须具体" in refused.content.decode()
    assert Objection.objects.count() == 0

    corrected = {**post, "anonymous": "", "grounds": "该生本学期曾多次缺席志愿服务，与事迹材料不符。"}
    assert client.post(url, corrected).status_code == 200
    assert Objection.objects.count() == 1


def test_the_limit_counts_objections_filed_not_forms_refused(world: World) -> None:
    notice, nomination = running_notice(world)
    url = f"/s/yizhong/nominations/notices/{notice.pk}/object/"
    client = Client(REMOTE_ADDR="10.3.3.3")
    with override_settings(OBJECTIONS_PER_HOUR=2):
        for _ in range(3):  # refused by the service: not counted
            bad = {**opened_a_minute_ago(nomination), "anonymous": "on", "grounds": "太短"}
            assert "匿名异议须具体" in client.post(url, bad).content.decode()
        statuses = [client.post(url, opened_a_minute_ago(nomination)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        last = client.post(url, opened_a_minute_ago(nomination))
        assert TOO_MANY in last.content.decode()
        assert Client(REMOTE_ADDR="10.4.4.4").post(url, opened_a_minute_ago(nomination)).status_code == 200
    assert Objection.objects.count() == 3

"""The events wired so far (issue 12): voting opens → each voter on the roll; an objection arrives →
the supervision group. Each message lands in the bell and links to the thing to do."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import services as evaluation_services
from chuangyou.evaluations.models import Entitlement, Evaluation
from chuangyou.evaluations.tasks import remind_voters as remind_task
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.evaluations.tests.test_ballots import marks_for
from chuangyou.lib.errors import Conflict
from chuangyou.nominations import services as nomination_services
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.notifications.models import Channel, Message
from chuangyou.org.rules import actor_for
from chuangyou.testing import PINNED_TODAY, World


def _open(world: World) -> int:
    evaluation = build_teacher_evaluation(world, codes=3)
    evaluation_services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    return evaluation.pk


def test_opening_a_vote_tells_each_voter_on_the_roll(world: World) -> None:
    pk = _open(world)
    voters = set(
        Entitlement.objects.filter(evaluation_id=pk).exclude(user=None).values_list("user_id", "group_id")
    )
    assert voters  # the teachers, by account; the parents vote by code and have no account on the roll
    told = set(Message.objects.values_list("recipient_id", "channel", "event", "link"))
    assert told == {
        (user_id, Channel.IN_APP, "evaluation.open", f"/school/yizhong/evaluations/{pk}/vote/{group_id}/")
        for user_id, group_id in voters
    }
    assert Message.objects.filter(recipient=world.ma).count() == 0


def test_a_teacher_clicks_from_the_bell_to_the_ballot(world: World) -> None:
    pk = _open(world)
    tian = world.client("tian")
    assert ">1</span>" in tian.get("/inbox/count/").content.decode()
    inbox = tian.get("/inbox/").content.decode()
    assert "“师德标兵民主测评”开始投票了" in inbox
    message = Message.objects.get(recipient=world.tian)
    response = tian.post(f"/inbox/{message.pk}/read/", {"go": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/school/yizhong/evaluations/{pk}/vote/")
    ballot = tian.get(response["Location"])
    assert ballot.status_code == 200
    assert tian.get("/inbox/count/").content.decode().strip() == "<span></span>"


def test_a_second_opening_is_refused_and_tells_nobody_again(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    evaluation_services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    with pytest.raises(Exception, match="已经开始投票"):
        evaluation_services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    assert Message.objects.filter(recipient=world.tian).count() == 1


def test_an_objection_tells_the_supervision_group(world: World) -> None:
    campaign = campaign_of(world)
    n = selected(world, award_of(world), campaign)
    notice = notice_for(world, campaign, [n], PINNED_TODAY)
    o, _code = nomination_services.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="13700000000",
        grounds="志愿服务时长与班级记录不符。", today=PINNED_TODAY,
    )  # fmt: skip
    [message] = Message.objects.filter(event="objection.file")
    assert (message.recipient_id, message.event) == (world.su.pk, "objection.file")
    assert message.link == f"/school/yizhong/nominations/objections/{o.pk}/"
    assert message.title_text == f"公示“{notice.title}”收到一条异议"
    assert world.client("su").get(message.link).status_code == 200


def test_a_day_before_the_close_those_who_have_not_voted_are_reminded_counted_not_named(world: World) -> None:
    pk = _open(world)
    evaluation = Evaluation.objects.get(pk=pk)
    voters = set(
        Entitlement.objects.filter(evaluation=evaluation).exclude(user=None).values_list("user_id", flat=True)
    )
    evaluation_services.cast_ballot(
        actor=actor_for(world.tian),
        entitlement=Entitlement.objects.get(evaluation=evaluation, user=world.tian),
        marks=marks_for(evaluation, "好", "较好"),
    )
    count = evaluation_services.remind_voters(actor=actor_for(world.wang), evaluation=evaluation)
    reminded = set(Message.objects.filter(event="evaluation.remind").values_list("recipient_id", flat=True))
    assert reminded == voters - {world.tian.pk}
    assert count == len(reminded)
    entry = AuditEntry.objects.get(action="evaluation.remind")
    assert entry.after == {"reminded": count}  # how many, never who
    with pytest.raises(Conflict, match="已经提醒过"):
        evaluation_services.remind_voters(actor=actor_for(world.wang), evaluation=evaluation)


def test_no_reminder_earlier_than_a_day_before_the_close(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    Evaluation.objects.filter(pk=evaluation.pk).update(closes_at=timezone.now() + dt.timedelta(days=3))
    evaluation.refresh_from_db()
    evaluation_services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    with pytest.raises(Conflict, match="截止前一天内"):
        evaluation_services.remind_voters(actor=actor_for(world.wang), evaluation=evaluation)
    with time_machine.travel(evaluation.closes_at - dt.timedelta(hours=23), tick=False):
        assert evaluation_services.remind_voters(actor=actor_for(world.wang), evaluation=evaluation) > 0


def test_the_reminder_task_does_nothing_once_voting_closed(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    assert remind_task.call(evaluation.pk) == 0  # still a draft
    assert not Message.objects.filter(event="evaluation.remind").exists()
    evaluation_services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    assert remind_task.call(evaluation.pk) > 0
    assert remind_task.call(evaluation.pk) == 0  # once


def test_opening_books_the_reminder_for_a_day_before_the_close(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = build_teacher_evaluation(world)
    closes_at = timezone.now() + dt.timedelta(days=3)
    Evaluation.objects.filter(pk=evaluation.pk).update(closes_at=closes_at)
    evaluation.refresh_from_db()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            evaluation_services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
        [booked] = DBTaskResult.objects.filter(task_path="chuangyou.evaluations.tasks.remind_voters")
    assert booked.run_after == closes_at - dt.timedelta(days=1)
    assert booked.args_kwargs == {"args": [evaluation.pk], "kwargs": {}}


def test_a_published_notice_tells_its_nominees_and_the_staff(world: World) -> None:
    campaign = campaign_of(world)
    n = selected(world, award_of(world), campaign)
    notice = notice_for(world, campaign, [n], PINNED_TODAY)
    told = set(Message.objects.filter(event="notice.publish").values_list("recipient_id", "link"))
    link = f"/s/yizhong/nominations/notices/{notice.pk}/"
    staff = {world.alice, world.bella, world.wang, world.su, world.hu, world.tian}
    assert told == {(u.pk, link) for u in {*staff, world.xiao}}  # xiao is the nominee; no parent, no outsider
    assert world.client("xiao").get(link).status_code == 200

"""The events wired so far (issue 12): voting opens → each voter on the roll; an objection arrives →
the supervision group. Each message lands in the bell and links to the thing to do."""

import pytest

from chuangyou.evaluations import services as evaluation_services
from chuangyou.evaluations.models import Entitlement
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
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
    [message] = Message.objects.all()
    assert (message.recipient_id, message.event) == (world.su.pk, "objection.file")
    assert message.link == f"/school/yizhong/nominations/objections/{o.pk}/"
    assert message.title_text == f"公示“{notice.title}”收到一条异议"
    assert world.client("su").get(message.link).status_code == 200

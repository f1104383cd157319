"""`chuangyou send-test-message --school CODE --to PHONE|EMAIL` proves a channel works."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import NotAllowed
from chuangyou.notifications import services
from chuangyou.notifications.backends import Outgoing
from chuangyou.org.rules import actor_for
from chuangyou.testing import World


def test_an_email_goes_out_at_once(world: World) -> None:
    out = StringIO()
    call_command("send-test-message", "--school", "yizhong", "--to", "head@example.cn", stdout=out)
    assert out.getvalue().strip() == "已经由电子邮件发出。"
    [message] = mail.outbox
    assert (message.to, message.subject) == (["head@example.cn"], "创优测试消息：本校的通知渠道可以使用。")
    entry = AuditEntry.objects.get(action="notifications.test_send")
    assert entry.after == {"channel": "email", "to": "h***@example.cn"}


def test_an_sms_goes_through_the_sms_backend(world: World, sent: list[Outgoing]) -> None:
    call_command("send-test-message", "--school", "yizhong", "--to", "13900000000", stdout=StringIO())
    assert [(m.channel, m.address) for m in sent] == [("sms", "13900000000")]
    assert AuditEntry.objects.get(action="notifications.test_send").after["to"] == "139****0000"


@override_settings(NOTIFY_DELIVERY="providers")
def test_a_failure_says_why_and_exits_non_zero(world: World) -> None:
    with pytest.raises(CommandError, match="发送失败：本校尚未接入短信服务商。"):
        call_command("send-test-message", "--school", "yizhong", "--to", "13900000000")


@pytest.mark.parametrize(
    ("school", "to", "why"), [("nowhere", "13900000000", "没有代码为"), ("yizhong", "12", "手机号")]
)
def test_a_wrong_school_or_address_is_refused(world: World, school: str, to: str, why: str) -> None:
    with pytest.raises(CommandError, match=why):
        call_command("send-test-message", "--school", school, "--to", to)
    assert not AuditEntry.objects.filter(action="notifications.test_send").exists()


@pytest.mark.parametrize("name", ["wang", "tian", "oscar", "ju"])
def test_only_the_schools_admin_may_send_one(world: World, name: str, sent: list[Outgoing]) -> None:
    with pytest.raises(NotAllowed):
        services.send_test_message(
            actor=actor_for(world.persona(name)), school=world.school, to="13900000000"
        )
    assert sent == []
    assert mail.outbox == []

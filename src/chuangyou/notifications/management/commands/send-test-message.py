"""`chuangyou send-test-message --school CODE --to PHONE|EMAIL`: prove a school's channel works."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangyou.lib.errors import ServiceError
from chuangyou.notifications.services import send_test_message


@dataclass(frozen=True)
class _Operator:
    """Whoever runs the command on the server: the system (org.rules.SYSTEM, which this app can't import)."""

    user: None = None
    system: bool = True
    label: str = "系统"

    def holds(self, role: str, *, school_id: int | None = None) -> bool:
        return False


class Command(BaseCommand):
    help = "经学校自己的邮件或短信账号立即发一条测试消息，证明渠道可用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help="学校代码")
        parser.add_argument("--to", required=True, help="手机号或电子邮箱")

    def handle(self, *args: Any, **options: Any) -> None:
        school = apps.get_model("org", "School").objects.filter(code=options["school"]).first()
        if school is None:
            raise CommandError(_("没有代码为 %(code)s 的学校。") % {"code": options["school"]})
        try:
            channel = send_test_message(actor=_Operator(), school=school, to=options["to"])
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("已经由%(channel)s发出。") % {"channel": channel.label})

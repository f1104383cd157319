"""`chuangyou load-demo`: build the demo bureau (idempotent) and print one login per role."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chuangyou.demo.loader import DEMO_PASSWORD, VOTING_CODES, is_loaded, load_demo


class Command(BaseCommand):
    help = "载入演示数据：昭陵区教育局、昭陵中学（种子方案）和一所小型学校，并打印各角色的演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2012, help="随机种子：相同的种子生成相同的数据")

    def handle(self, *args: Any, **options: Any) -> None:
        already = is_loaded()
        logins = load_demo(seed=options["seed"])
        self.stdout.write("演示数据已存在，未做改动。" if already else "演示数据已载入。")
        self.stdout.write("")
        self.stdout.write(
            f"演示账号（密码均为 {DEMO_PASSWORD}；学号/工号登录时请选择学校，家长用手机号登录）："
        )
        for login in logins:
            self.stdout.write(f"  {login.role:<16}\t{login.school:<10}\t{login.login:<12}\t{login.name}")
        if not already and VOTING_CODES:
            self.stdout.write("")
            self.stdout.write(
                "五星级党支部创评的一次性投票码（只显示这一次，凭码在“投票”页投票，无需登录）："
            )
            self.stdout.write("  " + "  ".join(VOTING_CODES[:5]))

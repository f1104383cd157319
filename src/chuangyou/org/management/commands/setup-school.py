"""`chuangyou setup-school`: a new deployment's first school and its admin account."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangyou.lib.errors import ServiceError
from chuangyou.org.rules import SYSTEM
from chuangyou.org.services import set_up_school


class Command(BaseCommand):
    help = "开设一所学校：教育局（不存在时创建）、学校和学校管理员账号，并打印管理员的初始密码。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bureau-code", required=True, help="教育局代码，如 zhaoling")
        parser.add_argument("--bureau-name", required=True, help="教育局名称，如 昭陵区教育局")
        parser.add_argument("--school-code", required=True, help="学校代码（字母数字），如 zlzx")
        parser.add_argument("--school-name", required=True, help="校名")
        parser.add_argument("--admin-staff-no", required=True, help="管理员工号（登录名）")
        parser.add_argument("--admin-name", required=True, help="管理员姓名")
        parser.add_argument("--admin-phone", default="", help="管理员手机号（可用手机号登录）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = set_up_school(
                actor=SYSTEM,
                bureau_code=options["bureau_code"],
                bureau_name=options["bureau_name"],
                school_code=options["school_code"],
                school_name=options["school_name"],
                admin_staff_no=options["admin_staff_no"],
                admin_name=options["admin_name"],
                admin_phone=options["admin_phone"],
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已开设 {created.school.name}（代码 {created.school.code}）。")
        self.stdout.write(
            f"管理员 {created.admin.name}：选择学校“{created.school.name}”，账号 {created.admin.staff_no}，"
            f"初始密码 {created.password}（只显示这一次，登录后请修改）。"
        )

import pytest
from django.core.management import CommandError, call_command

from chuangyou.accounts.services import sign_in
from chuangyou.audit.services import verify_chain
from chuangyou.org.models import Role, RoleMembership, School


@pytest.mark.django_db
def test_setup_school_creates_a_school_whose_admin_can_sign_in(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "setup-school", "--bureau-code", "xian", "--bureau-name", "某县教育局", "--school-code", "yz",
        "--school-name", "某县一中", "--admin-staff-no", "A001", "--admin-name", "管理员",
    )  # fmt: skip
    out = capsys.readouterr().out
    password = out.split("初始密码 ")[1].split("（")[0]
    user = sign_in(login="A001", password=password, school_code="yz", ip_address="127.0.0.1")
    school = School.objects.get(code="yz")
    assert school.bureau.name == "某县教育局"
    assert RoleMembership.objects.filter(user=user, role=Role.SCHOOL_ADMIN, school=school).count() == 1
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_taken_school_code_is_refused_in_chinese() -> None:
    args = [
        "--bureau-code",
        "xian",
        "--bureau-name",
        "某县教育局",
        "--school-name",
        "一中",
        "--admin-name",
        "甲",
    ]
    call_command("setup-school", *args, "--school-code", "yz", "--admin-staff-no", "A001")
    with pytest.raises(CommandError, match="学校代码 yz 已被使用"):
        call_command("setup-school", *args, "--school-code", "yz", "--admin-staff-no", "A002")
    assert School.objects.count() == 1

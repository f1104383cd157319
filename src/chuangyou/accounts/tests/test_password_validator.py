"""The password validator knows the person (issue 9): no name, login, phone, 学号 or 工号 inside."""

from __future__ import annotations

import pytest

from chuangyou.accounts.services import change_own_password
from chuangyou.lib.errors import Invalid
from chuangyou.testing import PASSWORD, World


@pytest.mark.parametrize(
    ("persona", "password", "message"),
    [
        ("xiao", "肖同学2026!good", "密码不能包含您的姓名。"),
        ("xiao", "my-s001-password", "密码不能包含您的登录名。"),
        ("tian", "Tian-T006-secret", "密码不能包含您的登录名。"),
        ("ma", "zhen-13800000001-hao-mima", "密码不能包含您的登录名。"),
        ("ma", "马家长-zhen-hao", "密码不能包含您的姓名。"),
    ],
)
def test_a_password_with_the_persons_own_details_is_refused(
    world: World, persona: str, password: str, message: str
) -> None:
    user = world.persona(persona)
    old_hash = user.password

    with pytest.raises(Invalid) as refused:
        change_own_password(user=user, old_password=PASSWORD, new_password=password)

    assert refused.value.errors == {"new_password": [message]}
    user.refresh_from_db()
    assert user.password == old_hash


def test_the_page_shows_the_reason_in_chinese(world: World) -> None:
    response = world.client("xiao").post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "肖同学2026!good", "new_password2": "肖同学2026!good"},
    )

    assert response.status_code == 200
    assert "新密码不符合要求：密码不能包含您的姓名。" in response.content.decode()


def test_an_unrelated_password_passes(world: World) -> None:
    change_own_password(user=world.xiao, old_password=PASSWORD, new_password="Qiu-shui-2026-mima")

    world.xiao.refresh_from_db()
    assert world.xiao.check_password("Qiu-shui-2026-mima")

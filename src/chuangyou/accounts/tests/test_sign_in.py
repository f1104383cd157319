"""Who signs in with what: 工号/学号 within a school, a phone number anywhere; argon2 in production."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client, override_settings

from chuangyou.accounts.models import User
from chuangyou.accounts.services import sign_in
from chuangyou.lib.errors import Invalid
from chuangyou.org import services
from chuangyou.org.rules import SYSTEM
from chuangyou.testing import PASSWORD, World

OTHER_PASSWORD = "Erzhong-password-2026"


@pytest.fixture
def twin_number(world: World) -> User:
    """A student of the other school with the same 学号 as xiao."""
    erzhong_class = services.ensure_class(actor=SYSTEM, school=world.other_school, level=7, number=1)
    student = services.create_student(
        actor=SYSTEM,
        school_class=erzhong_class,
        student_no="S001",
        name="二中同号生",
        gender="F",
        guardians=[("二中家长", "13900000009")],
    )
    assert student.user is not None
    student.user.set_password(OTHER_PASSWORD)
    student.user.save(update_fields=["password"])
    return student.user


def test_parent_signs_in_with_phone_without_choosing_a_school(world: World) -> None:
    assert (
        sign_in(login="13800000001", password=PASSWORD, school_code=None, ip_address="10.0.0.1") == world.ma
    )
    # A school left selected from an earlier visit doesn't get in the way of a phone number.
    assert (
        sign_in(login=" 13800000001 ", password=PASSWORD, school_code="erzhong", ip_address="10.0.0.1")
        == world.ma
    )


def test_parent_phone_login_through_the_page(world: World) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"school": "", "login": "13800000001", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world.ma.pk)


def test_school_selector_tells_equal_numbers_apart(world: World, twin_number: User) -> None:
    assert (
        sign_in(login="S001", password=PASSWORD, school_code="yizhong", ip_address="10.0.0.1") == world.xiao
    )
    assert (
        sign_in(login="S001", password=OTHER_PASSWORD, school_code="erzhong", ip_address="10.0.0.1")
        == twin_number
    )
    with pytest.raises(Invalid):
        sign_in(login="S001", password=OTHER_PASSWORD, school_code="yizhong", ip_address="10.0.0.1")
    with pytest.raises(Invalid):
        sign_in(login="S001", password=PASSWORD, school_code=None, ip_address="10.0.0.1")


def test_school_choice_is_remembered_for_the_next_visit(world: World) -> None:
    client = Client()
    client.post("/accounts/login/", {"school": "yizhong", "login": "T001", "password": PASSWORD})

    assert client.cookies["cy_school"].value == "yizhong"
    page = Client(HTTP_COOKIE="cy_school=yizhong").get("/accounts/login/").content.decode()
    assert '<option value="yizhong" selected>' in page


def test_inactive_account_cannot_sign_in(world: World) -> None:
    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])

    with pytest.raises(Invalid) as exc:
        sign_in(login="T001", password=PASSWORD, school_code="yizhong", ip_address="10.0.0.1")
    assert exc.value.message == "账号或密码不正确。"


def test_next_url_stays_on_this_site(world: World) -> None:
    form = {"school": "yizhong", "login": "T001", "password": PASSWORD}
    inside = Client().post("/accounts/login/?next=/school/yizhong/audit/", form)
    outside = Client().post("/accounts/login/?next=https://evil.example/", form)

    assert inside["Location"] == "/school/yizhong/audit/"
    assert outside["Location"] == "/"


def test_unknown_account_costs_a_password_hash_too(world: World) -> None:
    """Otherwise a quick refusal would tell a guesser which accounts exist."""
    with (
        mock.patch("chuangyou.accounts.models.User.set_password", autospec=True) as hashed,
        pytest.raises(Invalid),
    ):
        sign_in(login="NOBODY", password="whatever-1", school_code="yizhong", ip_address="10.0.0.1")
    assert hashed.call_count == 1


def test_production_hashes_passwords_with_argon2() -> None:
    from chuangyou import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        encoded = make_password("Chuangyou-2026")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("Chuangyou-2026", encoded)
        assert not check_password("Chuangyou-2027", encoded)


def test_password_policy_refuses_weak_passwords_in_chinese(world: World) -> None:
    from chuangyou.accounts.services import change_own_password

    with pytest.raises(Invalid) as exc:
        change_own_password(user=world.tian, old_password=PASSWORD, new_password="12345678")
    assert exc.value.message.startswith("新密码不符合要求：")
    assert "这个密码太常见了。" in exc.value.message
    world.tian.refresh_from_db()
    assert world.tian.check_password(PASSWORD)


def test_an_eleven_digit_student_number_is_not_mistaken_for_a_phone(world: World) -> None:
    from chuangyou.org import services as org_services
    from chuangyou.org.rules import SYSTEM

    student = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="12345678901", name="长学号", gender="F",
        guardians=[("长家长", "13800000009")],
    )  # fmt: skip
    assert student.user is not None
    student.user.set_password("Long-number-2026")
    student.user.save()
    user = sign_in(
        login="12345678901", password="Long-number-2026", school_code="yizhong", ip_address="10.1.1.1"
    )
    assert user.pk == student.user.pk

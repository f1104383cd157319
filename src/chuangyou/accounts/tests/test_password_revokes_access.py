"""A new password ends the old keys (issue 9): tokens and other sessions stop working after a reset or
a change, and after an admin's reset the account must choose its own password before anything else."""

from __future__ import annotations

import pytest
from django.test import Client

from chuangyou.accounts.models import ApiToken, User
from chuangyou.accounts.services import (
    change_own_password,
    create_api_token,
    issue_class_passwords,
    reset_password,
    revoke_api_token,
)
from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import NotAllowed
from chuangyou.org.rules import actor_for
from chuangyou.testing import PASSWORD, World

NEW = "Qiu-shui-2026-mima"
MUST_CHANGE_API = "管理员重置了您的密码，请先修改密码（POST /api/v1/me/password）后再使用接口。"
MUST_CHANGE_PAGE = "管理员重置了您的密码。请先设置一个只有您自己知道的新密码，然后才能继续使用。"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def signed_in(user: User, password: str, school: str = "yizhong") -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"school": school, "login": user.login, "password": password})
    assert response.status_code == 302, response.content.decode()
    return client


def test_an_admin_reset_revokes_tokens_and_sessions(world: World) -> None:
    token = create_api_token(user=world.tian, name="田的脚本")
    old_session = signed_in(world.tian, PASSWORD)
    assert old_session.get("/").status_code == 200

    password = reset_password(actor=actor_for(world.alice), user=world.tian, school=world.school)

    assert Client().get("/api/v1/me", **bearer(token.key)).status_code == 401
    assert ApiToken.objects.get(pk=token.token.pk).revoked_at is not None
    response = old_session.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")
    world.tian.refresh_from_db()
    assert world.tian.must_change_password is True
    assert world.tian.check_password(password)


def test_after_a_reset_every_page_leads_to_the_password_change_first(world: World) -> None:
    password = reset_password(actor=actor_for(world.alice), user=world.tian, school=world.school)
    client = signed_in(world.tian, password)

    for path in ("/", "/school/yizhong/activities/", "/me/", "/accounts/tokens/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/password/"), path
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert MUST_CHANGE_PAGE in page.content.decode()

    response = client.post(
        "/accounts/password/", {"old_password": password, "new_password": NEW, "new_password2": NEW}
    )

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200  # still signed in on this session, and free to go on
    world.tian.refresh_from_db()
    assert world.tian.must_change_password is False


def test_after_a_reset_the_api_answers_403_except_the_password_change(world: World) -> None:
    password = reset_password(actor=actor_for(world.alice), user=world.tian, school=world.school)
    client = signed_in(world.tian, password)

    for path in ("/api/v1/me", "/api/v1/schools/yizhong/classes"):
        response = client.get(path)
        assert (response.status_code, response.json()) == (403, {"detail": MUST_CHANGE_API}), path
    with pytest.raises(NotAllowed):
        create_api_token(user=world.tian, name="绕过")

    response = client.post(
        "/api/v1/me/password",
        {"old_password": password, "new_password": NEW},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"detail": "密码已修改，原有的 API 令牌均已作废。"}
    assert client.get("/api/v1/me").status_code == 200


def test_a_token_of_an_account_that_must_change_reaches_only_the_password_change(world: World) -> None:
    """A token can't outlive a reset, but an account flagged another way is refused the same."""
    issued = create_api_token(user=world.tian, name="田的脚本")
    User.objects.filter(pk=world.tian.pk).update(must_change_password=True)

    refused = Client().get("/api/v1/me", **bearer(issued.key))
    changed = Client().post(
        "/api/v1/me/password",
        {"old_password": PASSWORD, "new_password": NEW},
        content_type="application/json",
        **bearer(issued.key),
    )

    assert (refused.status_code, refused.json()) == (403, {"detail": MUST_CHANGE_API})
    assert changed.status_code == 200
    assert Client().get("/api/v1/me", **bearer(issued.key)).status_code == 401  # revoked by the change


def test_changing_ones_password_ends_the_other_sessions_and_tokens_but_not_this_one(world: World) -> None:
    token = create_api_token(user=world.tian, name="田的脚本")
    elsewhere = signed_in(world.tian, PASSWORD)
    here = signed_in(world.tian, PASSWORD)

    response = here.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password": NEW, "new_password2": NEW}
    )

    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert Client().get("/api/v1/me", **bearer(token.key)).status_code == 401
    entry = AuditEntry.objects.get(action="account.password_change")
    assert (entry.school_id, entry.actor_id, entry.object_id) == (
        world.school.pk,
        world.tian.pk,
        str(world.tian.pk),
    )


def test_token_create_and_revoke_are_audited_in_the_accounts_chain(world: World) -> None:
    issued = create_api_token(user=world.xiao, name="学习机")
    revoke_api_token(user=world.xiao, token_id=issued.token.pk)

    entries = AuditEntry.objects.filter(action__startswith="account.token").order_by("seq")
    assert [(e.action, e.school_id, e.actor_id, e.object_id) for e in entries] == [
        ("account.token_create", world.school.pk, world.xiao.pk, str(issued.token.pk)),
        ("account.token_revoke", world.school.pk, world.xiao.pk, str(issued.token.pk)),
    ]


def test_a_bureau_accounts_token_is_audited_in_the_bureau_chain(world: World) -> None:
    create_api_token(user=world.ju, name="局里的脚本")

    assert list(
        AuditEntry.objects.filter(action="account.token_create").values_list("school_id", flat=True)
    ) == [None]


def test_renewed_slips_are_a_reset(world: World) -> None:
    token = create_api_token(user=world.xiao, name="学习机")

    issue_class_passwords(actor=actor_for(world.alice), school_class=world.class_1, renew=True)

    world.xiao.refresh_from_db()
    assert world.xiao.must_change_password is True
    assert ApiToken.objects.get(pk=token.token.pk).revoked_at is not None


def test_change_own_password_refuses_the_same_password(world: World) -> None:
    from chuangyou.lib.errors import Invalid

    with pytest.raises(Invalid, match="新密码不能与原密码相同"):
        change_own_password(user=world.tian, old_password=PASSWORD, new_password=PASSWORD)

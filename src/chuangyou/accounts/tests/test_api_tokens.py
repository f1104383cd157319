"""Bearer tokens for the API: shown once, stored hashed, refused once revoked."""

from __future__ import annotations

import pytest
from django.test import Client

from chuangyou.accounts.models import ApiToken
from chuangyou.accounts.services import create_api_token, revoke_api_token
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import Role, RoleMembership
from chuangyou.testing import World


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_token_authenticates_and_is_stored_only_as_a_hash(world: World) -> None:
    issued = create_api_token(user=world.alice, name="教务系统")

    response = Client().get("/api/v1/me", **bearer(issued.key))

    assert response.status_code == 200
    assert response.json()["display_name"] == "艾丽"
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert token.key_hash == ApiToken.hash_key(issued.key)
    assert issued.key not in {token.key_hash, token.prefix, token.name}
    assert token.prefix == issued.key[3:8]
    assert token.last_used_at is not None


def test_revoked_unknown_and_disabled_tokens_get_401(world: World) -> None:
    revoked = create_api_token(user=world.alice, name="旧脚本")
    revoke_api_token(user=world.alice, token_id=revoked.token.pk)
    disabled = create_api_token(user=world.tian, name="田的脚本")
    world.tian.is_active = False
    world.tian.save(update_fields=["is_active"])

    for key in (revoked.key, "cy_not-a-real-token", disabled.key):
        response = Client().get("/api/v1/me", **bearer(key))
        assert response.status_code == 401


def test_bearer_post_needs_no_csrf_token(world: World) -> None:
    """A token is not sent by browsers on their own, so a script's write needs no CSRF cookie."""
    issued = create_api_token(user=world.alice, name="排课脚本")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/api/v1/schools/{world.school.code}/memberships",
        {"user_id": world.tian.pk, "role": "working_group"},
        content_type="application/json",
        **bearer(issued.key),
    )

    assert response.status_code == 201, response.content
    assert RoleMembership.objects.filter(user=world.tian, role=Role.WORKING_GROUP).count() == 1


def test_token_carries_the_users_rights_and_no_more(world: World) -> None:
    issued = create_api_token(user=world.tian, name="田的脚本")

    response = Client().post(
        f"/api/v1/schools/{world.school.code}/memberships",
        {"user_id": world.tian.pk, "role": "school_admin"},
        content_type="application/json",
        **bearer(issued.key),
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "只有本校管理员可以分配角色。"}
    assert not RoleMembership.objects.filter(user=world.tian, role=Role.SCHOOL_ADMIN).exists()


def test_only_the_owner_can_revoke(world: World) -> None:
    issued = create_api_token(user=world.alice, name="教务系统")

    with pytest.raises(NotFound):
        revoke_api_token(user=world.oscar, token_id=issued.token.pk)
    assert Client().get("/api/v1/me", **bearer(issued.key)).status_code == 200
    revoke_api_token(user=world.alice, token_id=issued.token.pk)
    with pytest.raises(NotFound):
        revoke_api_token(user=world.alice, token_id=issued.token.pk)


def test_token_needs_a_name(world: World) -> None:
    with pytest.raises(Invalid) as exc:
        create_api_token(user=world.alice, name="  ")
    assert exc.value.message == "请填写令牌名称。"
    assert not ApiToken.objects.exists()


def test_tokens_page_shows_a_new_key_once_and_revokes(world: World) -> None:
    client = world.client("alice")

    created = client.post("/accounts/tokens/", {"name": "教务系统"}).content.decode()
    token = ApiToken.objects.get(user=world.alice)
    listed = client.get("/accounts/tokens/").content.decode()
    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True).content.decode()

    assert 'data-testid="new-token">cy_' in created
    assert 'data-testid="new-token"' not in listed
    assert "教务系统" in listed
    assert "令牌已作废。" in revoked
    assert "还没有令牌。" in revoked
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked_from_the_page(world: World) -> None:
    issued = create_api_token(user=world.alice, name="教务系统")

    response = world.client("oscar").post(f"/accounts/tokens/{issued.token.pk}/revoke/", follow=True)

    assert "没有这个令牌。" in response.content.decode()
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None

"""Each role sees exactly what it may see, and nothing else, on the people pages and API.

Every test is parametrized over all personas (chuangyou/testing.py). A refusal must also leave the
database as it was.
"""

from __future__ import annotations

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.org.models import Role, RoleMembership
from chuangyou.testing import PERSONAS, World

OFFICE = {"alice", "bella", "wang", "su", "ju"}  # the school's admin, three groups, and its bureau

# Who sees which students on the roster page: names visible to each persona.
ROSTER_VISIBLE = {
    **{name: {"肖同学", "明同学"} for name in OFFICE},
    "hu": {"肖同学"},  # 班主任 of 初一(1)班 only
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_student_list(world: World, persona: str) -> None:
    response = world.client(persona).get("/school/yizhong/people/students/")
    expected = ROSTER_VISIBLE.get(persona)
    if expected is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert {name for name in ("肖同学", "明同学") if name in page} == expected


XIAO_VISIBLE = OFFICE | {"hu", "xiao", "ma"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_student_detail(world: World, persona: str) -> None:
    response = world.client(persona).get(f"/school/yizhong/people/students/{world.student_xiao.pk}/")
    assert response.status_code == (200 if persona in XIAO_VISIBLE else 403)
    # A guardian's phone number is only on the page for those allowed to see it.
    assert ("13800000001" in response.content.decode()) == (persona in XIAO_VISIBLE)


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_list(world: World, persona: str) -> None:
    response = world.client(persona).get("/school/yizhong/people/staff/")
    assert response.status_code == (200 if persona in OFFICE else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_record_shows_only_own_or_children(world: World, persona: str) -> None:
    page = world.client(persona).get("/me/").content.decode()
    shown = {name for name in ("肖同学", "明同学") if name in page}
    assert shown == {"xiao": {"肖同学"}, "ma": {"肖同学"}, "ming": {"明同学"}}.get(persona, set())


@pytest.mark.parametrize("persona", PERSONAS)
def test_granting_a_group_seat(world: World, persona: str) -> None:
    seats_before = RoleMembership.objects.count()
    audit_before = AuditEntry.objects.count()
    response = world.client(persona).post(
        "/school/yizhong/people/roles/",
        {"login": "T006", "role": Role.WORKING_GROUP, "starts_on": "2026-09-01"},
    )
    granted = RoleMembership.objects.filter(user=world.tian, role=Role.WORKING_GROUP).exists()
    if persona == "alice":
        assert response.status_code == 302
        assert granted
        assert AuditEntry.objects.filter(action="role.grant").first().object_repr.startswith("田师")  # type: ignore[union-attr]
        return
    assert not granted
    assert RoleMembership.objects.count() == seats_before
    assert AuditEntry.objects.count() == audit_before
    assert response.status_code == 403
    if persona in OFFICE:  # they may read the page, so they are told why they may not write
        assert "只有本校管理员可以分配角色。" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_resetting_a_students_password(world: World, persona: str) -> None:
    xiao = world.xiao
    old_hash = xiao.password
    response = world.client(persona).post(f"/school/yizhong/people/accounts/{xiao.pk}/reset-password/")
    xiao.refresh_from_db()
    if persona == "alice":
        assert response.status_code == 200
        assert xiao.password != old_hash
        assert AuditEntry.objects.filter(action="account.password_reset", object_id=str(xiao.pk)).count() == 1
    else:
        assert response.status_code == 403
        assert xiao.password == old_hash
        assert not AuditEntry.objects.filter(action="account.password_reset").exists()


def test_an_admin_cannot_reset_an_account_of_another_school(world: World) -> None:
    xiao = world.xiao
    old_hash = xiao.password
    response = world.client("oscar").post(f"/school/erzhong/people/accounts/{xiao.pk}/reset-password/")
    assert response.status_code == 404
    xiao.refresh_from_db()
    assert xiao.password == old_hash


# Through the API a student or parent may also list their own (or their children's) rows.
API_ROSTER_VISIBLE = {**ROSTER_VISIBLE, "xiao": {"肖同学"}, "ma": {"肖同学"}, "ming": {"明同学"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_student_list_is_scoped(world: World, persona: str) -> None:
    response = world.client(persona).get("/api/v1/schools/yizhong/students")
    assert response.status_code == 200
    names = {item["name"] for item in response.json()["items"]}
    assert names == API_ROSTER_VISIBLE.get(persona, set())


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_grant_is_refused_to_all_but_the_school_admin(world: World, persona: str) -> None:
    before = RoleMembership.objects.count()
    response = world.client(persona).post(
        "/api/v1/schools/yizhong/memberships",
        {"user_id": world.tian.pk, "role": "working_group", "starts_on": "2026-09-01"},
        content_type="application/json",
    )
    if persona == "alice":
        assert response.status_code == 201
        assert response.json()["role"] == "working_group"
        assert RoleMembership.objects.count() == before + 1
    else:
        assert response.status_code == 403
        assert response.json() == {"detail": "只有本校管理员可以分配角色。"}
        assert RoleMembership.objects.count() == before


def test_api_needs_authentication(world: World) -> None:
    from django.test import Client

    assert Client().get("/api/v1/schools/yizhong/students").status_code == 401


@pytest.mark.parametrize("persona", PERSONAS)
def test_bureau_page(world: World, persona: str) -> None:
    response = world.client(persona).get("/bureau/county/")
    assert response.status_code == (200 if persona == "ju" else 403)

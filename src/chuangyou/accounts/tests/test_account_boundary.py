"""No school's admin can take over an account that is not its own (issue 9, the critical hole).

The attack was: the admin of 第二中学 (oscar) gives the bureau admin (ju) a 'parent' seat in his school,
resets ju's password, and signs in as ju; both audit entries landed in oscar's chain. Now a seat is
granted only to the school's own people, a school resets only its own people's accounts, and an
account that also belongs elsewhere is reset by the bureau, audited in every chain it belongs to.
"""

from __future__ import annotations

import pytest
from django.test import Client

from chuangyou.accounts.models import ApiToken, User
from chuangyou.accounts.services import (
    create_api_token,
    issue_class_passwords,
    reset_password,
    reset_password_by_bureau,
)
from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import NotAllowed, NotFound
from chuangyou.org import services as org_services
from chuangyou.org.models import Bureau, Role, RoleMembership
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='脚本').key}"}


def state(*users: User) -> tuple[object, ...]:
    """What an attack would change: passwords, seats, tokens and the audit log."""
    for user in users:
        user.refresh_from_db()
    return (
        tuple(u.password for u in users),
        tuple(u.must_change_password for u in users),
        RoleMembership.objects.count(),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
        AuditEntry.objects.count(),
    )


# --- granting seats -------------------------------------------------------------------------------

FOREIGN = ["ju", "alice", "su", "xiao", "ma"]  # the bureau, and 第一中学's staff, student and parent


@pytest.mark.parametrize("victim", FOREIGN)
@pytest.mark.parametrize("role", [Role.PARENT, Role.STUDENT, Role.TEACHER, Role.SUPERVISION_GROUP])
def test_another_schools_admin_cannot_seat_someone_not_on_its_roster(
    world: World, victim: str, role: Role
) -> None:
    target = world.persona(victim)
    headers = bearer(world.oscar)
    before = state(target)

    response = Client().post(
        "/api/v1/schools/erzhong/memberships",
        {"user_id": target.pk, "role": role},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 404, response.content
    assert "本校名单上没有这个人" in response.json()["detail"]
    assert state(target) == before
    assert not RoleMembership.objects.filter(user=target, school=world.other_school).exists()


def test_the_roles_page_refuses_a_parent_of_another_school_found_by_phone(world: World) -> None:
    before = state(world.ma)

    response = world.client("oscar").post(
        "/school/erzhong/people/roles/",
        {"login": "13800000001", "role": Role.WORKING_GROUP, "starts_on": "2026-09-01"},
    )

    assert response.status_code == 200
    assert "本校名单上没有这个人" in response.content.decode()
    assert state(world.ma) == before


@pytest.mark.parametrize(
    ("victim", "role", "allowed"),
    [
        ("tian", Role.WORKING_GROUP, True),  # staff may hold any staff seat
        ("xiao", Role.WORKING_GROUP, False),  # a student may not sit on a group
        ("ma", Role.SCHOOL_ADMIN, False),  # nor a parent become the school's admin
        ("ma", Role.PARENT, True),
    ],
)
def test_a_seat_needs_the_matching_roster_row(world: World, victim: str, role: Role, allowed: bool) -> None:
    target = world.persona(victim)
    actor = actor_for(world.alice)
    if allowed:
        org_services.grant_role(actor=actor, user=target, role=role, school=world.school)
        assert RoleMembership.objects.filter(user=target, role=role, school=world.school).count() >= 1
        return
    before = state(target)
    with pytest.raises(NotFound):
        org_services.grant_role(actor=actor, user=target, role=role, school=world.school)
    assert state(target) == before


# --- resetting passwords --------------------------------------------------------------------------


def test_the_attack_of_issue_9_fails_even_with_a_seat_already_granted(world: World) -> None:
    """Seats handed out before the fix don't open the door: the roster decides, not the seat."""
    RoleMembership.objects.create(
        user=world.ju, role=Role.PARENT, school=world.other_school, starts_on="2026-01-01"
    )
    before = state(world.ju)

    response = Client().post(
        f"/api/v1/schools/erzhong/accounts/{world.ju.pk}/reset-password", **bearer(world.oscar)
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "本校没有这个账号。"}
    assert state(world.ju)[:2] == before[:2]
    assert not AuditEntry.objects.filter(action="account.password_reset").exists()


def test_linking_the_bureau_admin_as_a_guardian_does_not_hand_over_the_account(world: World) -> None:
    """Put ju's phone on a student's guardians: ju is then on 第二中学's roster as a parent, but also
    serves the bureau, so 第二中学 may neither reset nor print a password for the account."""
    world.ju.phone = "13900000009"
    world.ju.save(update_fields=["phone"])
    erzhong_1 = org_services.ensure_class(actor=SYSTEM, school=world.other_school, level=7, number=1)
    org_services.create_student(
        actor=actor_for(world.oscar), school_class=erzhong_1, student_no="E001", name="二同学", gender="M",
        guardians=[("假家长", "13900000009")],
    )  # fmt: skip
    before = state(world.ju)

    response = Client().post(
        f"/api/v1/schools/erzhong/accounts/{world.ju.pk}/reset-password", **bearer(world.oscar)
    )
    slips = issue_class_passwords(actor=actor_for(world.oscar), school_class=erzhong_1, renew=True)

    assert response.status_code == 403
    assert response.json() == {"detail": "这个账号还属于其他学校或在教育局任职，须由教育局管理员重置密码。"}
    assert [slip.login for slip in slips] == ["E001"]
    assert state(world.ju)[:2] == before[:2]
    assert (
        not AuditEntry.objects.filter(object_type="accounts.user", object_id=str(world.ju.pk))
        .exclude(action="role.grant")
        .exists()
    )


def two_school_teacher(world: World) -> User:
    """田师 also teaches at 第二中学: a staff row in each school."""
    RoleMembership.objects.create(
        user=world.tian, role=Role.TEACHER, school=world.other_school, starts_on="2026-09-01"
    )
    return world.tian


def test_a_school_cannot_reset_a_teacher_who_also_serves_another_school(world: World) -> None:
    tian = two_school_teacher(world)
    before = state(tian)

    with pytest.raises(NotAllowed, match="须由教育局管理员重置密码"):
        reset_password(actor=actor_for(world.alice), user=tian, school=world.school)

    assert state(tian) == before


def test_the_bureau_resets_it_and_both_schools_see_it_in_their_chains(world: World) -> None:
    tian = two_school_teacher(world)
    old = tian.password

    response = Client().post(f"/api/v1/bureaus/county/accounts/{tian.pk}/reset-password", **bearer(world.ju))

    assert response.status_code == 200, response.content
    tian.refresh_from_db()
    assert tian.password != old
    assert tian.check_password(response.json()["password"])
    entries = AuditEntry.objects.filter(action="account.password_reset", object_id=str(tian.pk))
    assert sorted(entries.values_list("school_id", flat=True)) == sorted(
        [world.school.pk, world.other_school.pk]
    )
    assert set(entries.values_list("actor_id", flat=True)) == {world.ju.pk}


def test_a_school_admins_reset_lands_in_its_own_chain(world: World) -> None:
    reset_password(actor=actor_for(world.alice), user=world.tian, school=world.school)

    entry = AuditEntry.objects.get(action="account.password_reset")
    assert (entry.school_id, entry.object_id, entry.actor_id) == (
        world.school.pk,
        str(world.tian.pk),
        world.alice.pk,
    )


def test_another_bureau_cannot_reset_this_bureaus_accounts(world: World) -> None:
    other = Bureau.objects.create(code="city", name="示例市教育局")
    stranger = User.objects.create_user("city:zhao", login="zhao", display_name="赵局")
    RoleMembership.objects.create(user=stranger, role=Role.BUREAU_ADMIN, bureau=other, starts_on="2026-01-01")
    before = state(world.tian, world.ju)

    for victim in (world.tian, world.ju):
        with pytest.raises(NotFound):
            reset_password_by_bureau(actor=actor_for(stranger), bureau=other, user=victim)
        with pytest.raises(NotAllowed):
            reset_password_by_bureau(actor=actor_for(stranger), bureau=world.bureau, user=victim)

    assert state(world.tian, world.ju) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_bureau_admin_uses_the_bureau_reset(world: World, persona: str) -> None:
    tian = two_school_teacher(world)
    client = world.client(persona)
    before = state(tian)

    response = client.post(f"/api/v1/bureaus/county/accounts/{tian.pk}/reset-password")

    if persona == "ju":
        assert response.status_code == 200
        return
    assert response.status_code == 403
    assert response.json() == {"detail": "只有本局管理员可以重置这个账号的密码。"}
    assert state(tian) == before


def test_the_bureau_resets_on_its_page_found_by_unit_and_login(world: World) -> None:
    tian = two_school_teacher(world)
    old = tian.password
    client = world.client("ju")
    assert "/bureau/county/accounts/reset-password/" in client.get("/bureau/county/").content.decode()

    response = client.post("/bureau/county/accounts/reset-password/", {"unit": "yizhong", "login": "T006"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="new-password"' in page
    tian.refresh_from_db()
    assert tian.password != old
    assert tian.must_change_password is True


@pytest.mark.parametrize("persona", ["alice", "oscar", "tian"])
def test_the_bureau_reset_page_is_the_bureaus_alone(world: World, persona: str) -> None:
    before = state(world.tian)

    response = world.client(persona).post(
        "/bureau/county/accounts/reset-password/", {"unit": "yizhong", "login": "T006"}
    )

    assert response.status_code == 403
    assert "只有本局管理员可以重置这个账号的密码。" in response.content.decode()
    assert state(world.tian) == before

import pytest

from chuangyou.accounts.services import issue_class_passwords, sign_in
from chuangyou.audit.models import AuditEntry
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, World


def _make_unused(world: World) -> None:
    """As after a roster import: the class's accounts have never had a password."""
    for user in (world.xiao, world.ma):
        user.set_unusable_password()
        user.save(update_fields=["password"])


def test_slips_give_working_first_passwords_to_students_and_parents(world: World) -> None:
    _make_unused(world)
    slips = issue_class_passwords(actor=actor_for(world.alice), school_class=world.class_1)
    assert [(s.role, s.login, s.name) for s in slips] == [
        ("学生", "S001", "肖同学"),
        ("家长", "13800000001", "马家长"),
    ]
    student, parent = slips
    assert sign_in(
        login="S001", password=student.password, school_code="yizhong", ip_address="10.0.0.1"
    ).pk == (world.xiao.pk)
    assert sign_in(
        login="13800000001", password=parent.password, school_code=None, ip_address="10.0.0.1"
    ).pk == (world.ma.pk)
    entries = AuditEntry.objects.filter(action="account.password_issued")
    assert entries.count() == 2
    assert all(student.password not in str(e.after) for e in entries)


def test_accounts_in_use_are_not_reset_unless_asked(world: World) -> None:
    old = world.xiao.password
    assert issue_class_passwords(actor=actor_for(world.alice), school_class=world.class_1) == []
    world.xiao.refresh_from_db()
    assert world.xiao.password == old
    renewed = issue_class_passwords(actor=actor_for(world.alice), school_class=world.class_1, renew=True)
    assert len(renewed) == 2


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_school_admin_prints_slips(world: World, persona: str) -> None:
    _make_unused(world)
    response = world.client(persona).post(
        f"/school/yizhong/people/classes/{world.class_1.pk}/slips/", {"guardians": "1"}
    )
    world.xiao.refresh_from_db()
    if persona == "alice":
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="slip"') == 2
        assert world.xiao.has_usable_password()
    else:
        assert response.status_code == 403
        assert not world.xiao.has_usable_password()
        assert not AuditEntry.objects.filter(action="account.password_issued").exists()


@pytest.mark.django_db(transaction=True)
def test_the_passwords_are_hashed_before_the_transaction_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11: hashing a class's passwords inside the write transaction held SQLite's write lock for a
    minute and more, and other people's sign-ins failed meanwhile. Every hash happens outside it."""
    from django.db import connection

    from chuangyou.accounts import services
    from chuangyou.testing import build_world

    world = build_world()
    _make_unused(world)
    inside: list[bool] = []
    real = services.make_password

    def watched(password: str) -> str:
        inside.append(connection.in_atomic_block)
        return real(password)

    monkeypatch.setattr(services, "make_password", watched)
    slips = issue_class_passwords(actor=actor_for(world.alice), school_class=world.class_1)
    assert len(slips) == 2
    assert inside == [False, False]
    assert sign_in(
        login="S001", password=slips[0].password, school_code="yizhong", ip_address="10.0.0.1"
    ).pk == (world.xiao.pk)

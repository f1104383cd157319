"""No service lets one school's admin, or the bureau where it has no business, touch another school's
things (issue 9). See `boundaries.py` for how each public service function is accounted for."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

import chuangyou
from chuangyou.audit.models import AuditEntry
from chuangyou.audit.services import change_for, record
from chuangyou.lib.errors import NotAllowed, NotFound, ServiceError
from chuangyou.org.models import PartyBranch, School, Staff
from chuangyou.org.rules import actor_for, can_manage_people, require
from chuangyou.testing import World
from chuangyou.tests.boundaries import BUREAU_MAY, COVERED, NO_FOREIGN_ID, PENDING
from chuangyou.tests.builders import Builder, fillable, models_by_name

PACKAGE = Path(chuangyou.__file__).parent


def _is_service_module(name: str) -> bool:
    return name.endswith(".services") or ".services." in name


def _takes_an_actor(fn: Callable[..., Any]) -> bool:
    """A write path outside a services module: the house signature (keyword-only `actor`), and no
    request (page helpers that take one call the services themselves). Selectors only read: they
    are checked by their own tests."""
    params = inspect.signature(fn).parameters
    actor = params.get("actor")
    return actor is not None and actor.kind is actor.KEYWORD_ONLY and "request" not in params


def public_services() -> dict[str, Callable[..., Any]]:
    """Every public function defined in a `chuangyou.<app>.services` module or package, and every
    public function elsewhere that takes a keyword-only `actor` (the uses built on the evaluation
    engine, such as `projects.review`), by dotted name without the `chuangyou.` prefix."""
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(chuangyou.__path__, "chuangyou."):
        name = info.name
        not_writes = (".views", "_views", ".urls", ".selectors")
        if ".tests" in name or ".migrations" in name or name.endswith(not_writes):
            continue
        module = importlib.import_module(name)
        for attr, fn in inspect.getmembers(module, inspect.isfunction):
            if attr.startswith("_") or fn.__module__ != name:
                continue
            if _is_service_module(name) or _takes_an_actor(fn):
                found[f"{name.removeprefix('chuangyou.')}.{attr}"] = fn
    return found


SERVICES = public_services()


def app_of(service: str) -> str:
    return service.split(".")[0]


def probeable(service: str, fn: Callable[..., Any]) -> bool:
    params = inspect.signature(fn).parameters
    if "actor" not in params:
        return False
    by_name = models_by_name(app_of(service))
    return all(
        fillable(str(p.annotation), by_name)
        for p in params.values()
        if p.name != "actor" and p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD
    )


PROBED = sorted(
    name
    for name, fn in SERVICES.items()
    if probeable(name, fn) and name not in NO_FOREIGN_ID and name not in PENDING and name not in COVERED
)


def fingerprint() -> tuple[int, ...]:
    """How many rows each table holds, and the audit log's length: a refused write changes neither."""
    counts = [m._default_manager.count() for m in apps.get_models() if m.__module__.startswith("chuangyou.")]
    return (AuditEntry.objects.count(), *counts)


def _branch_commitment(builder: Builder) -> dict[str, Any]:
    from chuangyou.campaigns.models import Campaign
    from chuangyou.commitments.models import Commitment

    campaign = builder.row(Campaign)
    commitment, _ = Commitment.objects.get_or_create(
        school=builder.world.school, campaign=campaign, owner_branch=builder.world.branch
    )
    return {"commitment": commitment}


# Arguments the probe can't guess from the annotations alone: a service that first checks its input
# is what it handles (one student at least; a branch's commitment) gets an input that passes, so the
# probe reaches the rights check.
PROBE_ARGS: dict[str, Callable[[Builder], dict[str, Any]]] = {
    "activities.services.signup.bulk_sign_up": lambda b: {"students": [b.world.student_xiao]},
    "commitments.services.declare": lambda b: {"staff": b.world.staff_hu},
    "commitments.services.file_with_bureau": _branch_commitment,
    "nominations.services.nominating.nominate": lambda b: {"student": b.world.student_xiao},
}


class Rollback(Exception):
    pass


def probe(world: World, builder: Builder, service: str, stranger: str) -> str | None:
    """Call `service` as `stranger` on 第一中学's things; what went wrong, or None when refused cleanly."""
    fn = SERVICES.get(service) or EXTRA[service]
    kwargs = builder.arguments(fn, actor_for(world.persona(stranger)))
    assert kwargs is not None
    if service in PROBE_ARGS:
        kwargs.update(PROBE_ARGS[service](builder))
    before = fingerprint()
    outcome: str | None = None
    try:
        with transaction.atomic():  # whatever happens is undone before the next probe
            try:
                fn(**kwargs)
            except (NotAllowed, NotFound):
                changed = fingerprint() != before
                outcome = "refused, but rows changed" if changed else None
            except Exception as exc:
                outcome = f"raised {type(exc).__name__}: {exc}"
            else:
                outcome = "accepted"
            raise Rollback
    except Rollback:
        pass
    return outcome


APPS = sorted({app_of(name) for name in PROBED})


@pytest.mark.parametrize("app", APPS)
def test_a_foreign_actor_is_refused(world: World, app: str) -> None:
    """Each service of `app` that takes an actor, called with 第一中学's objects by the admin of
    第二中学 and by the bureau admin (unless it is the bureau's own work), refuses and changes nothing."""
    builder = Builder(world, app)
    problems = {}
    for service in (name for name in PROBED if app_of(name) == app):
        for stranger in ("oscar", "ju"):
            if stranger == "ju" and service in BUREAU_MAY:
                continue
            outcome = probe(world, builder, service, stranger)
            if outcome is not None:
                problems[f"{service} as {stranger}"] = outcome
    assert problems == {}, "\n".join(f"{name}: {what}" for name, what in problems.items())


def has_test(node: str) -> bool:
    path, _, test = node.partition("::")
    source = PACKAGE / path
    if not source.exists():
        return False
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == test for n in ast.walk(tree))


def account_for(service: str) -> str | None:
    """How `service` is accounted for, or None."""
    if service in NO_FOREIGN_ID:
        return "no foreign id"
    if service in COVERED:
        missing = [node for node in COVERED[service] if not has_test(node)]
        assert not missing, f"{service}: COVERED names tests that don't exist: {missing}"
        return "covered"
    if service in PROBED:
        return "probed"
    return None


@pytest.mark.parametrize(
    "service",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=PENDING[name]))
        if name in PENDING
        else name
        for name in sorted(SERVICES)
    ],
)
def test_every_service_has_a_refusal_test(service: str) -> None:
    how = account_for(service)
    assert how is not None, (
        f"{service} has no refusal test: write one (a persona of another school is refused and nothing "
        "changes) and name it in tests/boundaries.py COVERED, or say in NO_FOREIGN_ID why it takes no "
        "foreign id"
    )


def test_the_registry_names_only_services_that_exist() -> None:
    named = set(NO_FOREIGN_ID) | set(COVERED) | set(PENDING) | set(BUREAU_MAY)
    assert sorted(named - set(SERVICES)) == []


# --- a foreign person, class or branch handed to a service of one's own school ---------------------

PEOPLE_TYPES = {"Student", "Staff", "SchoolClass", "Person", "PartyBranch", "User"}


def _core(annotation: str) -> tuple[str, bool]:
    """('Student', True) for 'Sequence[Student] | None': the model named, and whether it is a list."""
    text = annotation.replace(" ", "").removesuffix("|None")
    many = "[" in text
    return text.split("[")[-1].rstrip("]"), many


def foreign_slots(fn: Callable[..., Any]) -> list[tuple[str, str, bool]]:
    """The parameters after the first model-typed one that name a person, class or branch: where a
    caller could slip in another school's. (The first one decides the school; the probe above covers it.)"""
    slots: list[tuple[str, str, bool]] = []
    seen_model = False
    for param in inspect.signature(fn).parameters.values():
        if param.name == "actor":
            continue
        core, many = _core(str(param.annotation))
        if core in PEOPLE_TYPES and seen_model:
            slots.append((param.name, core, many))
        if core in PEOPLE_TYPES or (core[:1].isupper() and core not in {"Decimal", "Any", "Literal", "Role"}):
            seen_model = True
    return slots


MIXED = sorted(
    name
    for name, fn in SERVICES.items()
    if name in PROBED and foreign_slots(fn) and "actor" in inspect.signature(fn).parameters
)


def foreign_things(world: World) -> dict[str, Any]:
    """第二中学's student, teacher, class and branch, and its admin's account."""
    from chuangyou.org import services as org_services
    from chuangyou.org.rules import SYSTEM

    school_class = org_services.ensure_class(actor=SYSTEM, school=world.other_school, level=7, number=1)
    student = org_services.create_student(
        actor=SYSTEM, school_class=school_class, student_no="E001", name="外校生", gender="M",
        guardians=[("外校家长", "13900000001")],
    )  # fmt: skip
    branch = org_services.create_party_branch(actor=SYSTEM, school=world.other_school, name="第二中学党支部")
    staff = Staff.objects.get(user=world.oscar)
    return {
        "Student": student, "Person": student, "Staff": staff, "SchoolClass": school_class,
        "PartyBranch": branch, "User": world.oscar,
    }  # fmt: skip


@pytest.mark.parametrize("service", MIXED)
def test_another_schools_person_class_or_branch_is_refused(world: World, service: str) -> None:
    """The school's own admin passes one of 第二中学's people, classes or branches to a service about
    第一中学's things: refused (or found invalid), and nothing changes."""
    fn = SERVICES[service]
    builder = Builder(world, app_of(service))
    foreign = foreign_things(world)
    problems = {}
    for name, core, many in foreign_slots(fn):
        kwargs = builder.arguments(fn, actor_for(world.alice))
        assert kwargs is not None
        if service in PROBE_ARGS:
            kwargs.update(PROBE_ARGS[service](builder))
        kwargs[name] = [foreign[core]] if many else foreign[core]
        before = fingerprint()
        try:
            with transaction.atomic():
                try:
                    fn(**kwargs)
                except ServiceError:
                    if fingerprint() != before:
                        problems[name] = "refused, but rows changed"
                except Exception as exc:
                    problems[name] = f"raised {type(exc).__name__}: {exc}"
                else:
                    problems[name] = "accepted"
                raise Rollback
        except Rollback:
            pass
    assert problems == {}, "\n".join(
        f"{service}({name}=第二中学的): {what}" for name, what in problems.items()
    )


# --- the probe can fail ----------------------------------------------------------------------------


def _careless(*, actor: Any, school: School, name: str) -> None:
    """A service that forgets to check who is asking."""
    with transaction.atomic():
        branch = PartyBranch.objects.create(school=school, name=name)
        record(actor, change_for("branch.create", branch, school_id=school.pk))


def _checks_too_late(*, actor: Any, school: School, name: str) -> None:
    """A service that writes, then refuses: the write must not count as a refusal."""
    PartyBranch.objects.create(school=school, name=name)
    require(can_manage_people(actor, school))


EXTRA: dict[str, Callable[..., Any]] = {"careless": _careless, "checks_too_late": _checks_too_late}


def test_the_probe_catches_a_service_that_forgets_its_check(world: World) -> None:
    builder = Builder(world)

    assert probe(world, builder, "careless", "oscar") == "accepted"
    assert probe(world, builder, "checks_too_late", "oscar") == "refused, but rows changed"
    assert PartyBranch.objects.filter(name="探针").count() == 0  # each probe is rolled back

"""Arguments for probing a service as a stranger (issue 9): every object belongs to 第一中学 of the
`World`, every other argument is a plain value of the annotated type.

Rows the World doesn't have are made here with the least the model requires, each foreign key
pointing at the World's rows (its school, bureau, class, student, teacher) or at another row made the
same way, so that an activity's campaign, phase and school all agree. The probe checks rights, not the
workflows, so the rows need not be the ones a real school would make through its services.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from chuangyou.accounts.models import User
from chuangyou.org.models import (
    Bureau,
    PartyBranch,
    Role,
    RoleMembership,
    School,
    SchoolClass,
    Staff,
    Student,
)
from chuangyou.testing import World

MISSING = object()


def models_by_name(app: str = "") -> dict[str, type[models.Model]]:
    """Each chuangyou model by its class name. A name two apps share means the model of `app` (the
    service's own app), else the one in PREFERRED (exhibition shows activities' photos)."""
    seen: dict[str, list[type[models.Model]]] = {}
    for model in apps.get_models():
        if model.__module__.startswith("chuangyou."):
            seen.setdefault(model.__name__, []).append(model)
    chosen: dict[str, type[models.Model]] = {}
    for name, found in seen.items():
        if len(found) == 1:
            chosen[name] = found[0]
            continue
        for wanted in (app, PREFERRED.get(name, "")):
            match = [m for m in found if m._meta.app_label == wanted]
            if match:
                chosen[name] = match[0]
                break
    return chosen


PREFERRED = {"Evidence": "activities"}

# Inputs that are plain dataclasses of a form's fields. The probe passes None: a service checks the
# actor before it reads its input, so a stranger is refused before the input matters.
FORM_INPUTS = {"ActivityInput", "AnswerInput"}


class Builder:
    def __init__(self, world: World, app: str = "") -> None:
        self.world = world
        self.made: dict[type[models.Model], models.Model] = {
            School: world.school,
            Bureau: world.bureau,
            SchoolClass: world.class_1,
            Student: world.student_xiao,
            Staff: world.staff_hu,
            User: world.tian,
            PartyBranch: world.branch,
            RoleMembership: RoleMembership.objects.get(user=world.hu, role=Role.HEAD_TEACHER),
        }
        self.by_name = models_by_name(app)

    # --- rows -------------------------------------------------------------------------------------

    def row(self, model: type[models.Model]) -> models.Model:
        if model in self.made:
            return self.made[model]
        existing = self._existing(model)
        instance = existing if existing is not None else self._make(model)
        self.made[model] = instance
        return instance

    def _existing(self, model: type[models.Model]) -> models.Model | None:
        fields = {f.name for f in model._meta.concrete_fields}
        if "school" in fields:
            return model._default_manager.filter(school=self.world.school).order_by("pk").first()
        return None

    def _make(self, model: type[models.Model]) -> models.Model:
        values: dict[str, Any] = {}
        optional: list[models.Field[Any, Any]] = []  # nullable foreign keys, tried one by one
        for f in model._meta.concrete_fields:
            if f.primary_key or f.auto_created:
                continue
            if isinstance(f, models.ForeignKey | models.OneToOneField):
                related = f.related_model
                if related == "self" or related is model:
                    continue
                if f.null and related is not School:
                    optional.append(f)
                    continue
                values[f.name] = self.row(related)  # type: ignore[arg-type]
                continue
            if (
                f.has_default()
                or f.null
                or getattr(f, "auto_now", False)
                or getattr(f, "auto_now_add", False)
            ):
                continue
            values[f.name] = self._value_for_field(f, model)
        # A check constraint may want exactly one of several nullable keys (a registration is a
        # student's or a staff member's): try none, then each one alone, then without a nullable school.
        tries = [values] + [{**values, f.name: self.row(f.related_model)} for f in optional]  # type: ignore[arg-type]
        school_fields = [f.name for f in model._meta.concrete_fields if f.null and f.related_model is School]
        tries += [
            {k: v for k, v in {**values, f.name: self.row(f.related_model)}.items() if k not in school_fields}  # type: ignore[arg-type]
            for f in optional
        ]
        last: Exception | None = None
        for attempt in tries:
            try:
                with transaction.atomic():
                    return model._default_manager.create(**attempt)
            except IntegrityError as exc:
                last = exc
        raise TypeError(f"can't make a {model.__name__}: {last}")

    def _value_for_field(self, f: models.Field[Any, Any], model: type[models.Model]) -> Any:
        if f.choices:
            return next(iter(f.flatchoices))[0]
        if isinstance(f, models.BooleanField):
            return False
        if isinstance(f, models.DecimalField):
            return Decimal(1)
        if isinstance(f, models.IntegerField | models.PositiveIntegerField | models.SmallIntegerField):
            return 1
        if isinstance(f, models.DateTimeField):
            return timezone.now()
        if isinstance(f, models.DateField):
            return timezone.localdate()
        if isinstance(f, models.JSONField):
            return {}
        if isinstance(f, models.FileField):
            return f"probe/{model.__name__.lower()}.bin"
        if isinstance(f, models.CharField | models.TextField | models.SlugField):
            unique = getattr(f, "unique", False)
            text = f"probe-{model.__name__.lower()}-{f.name}" if unique else "探针"
            return text[: f.max_length] if f.max_length else text
        raise TypeError(f"can't make {model.__name__}.{f.name} ({type(f).__name__})")

    # --- arguments ---------------------------------------------------------------------------------

    def value(self, annotation: str) -> Any:
        """A value for an annotation as written in the source (the modules use postponed annotations)."""
        text = annotation.replace(" ", "")
        optional = text.endswith("|None")
        core = text.removesuffix("|None")
        plain = PLAIN.get(core)
        if plain is not None:
            return plain()
        if core.split("[")[0] in EMPTY:
            return EMPTY[core.split("[")[0]]()
        if core.startswith("Literal["):
            return core[len("Literal['") :].split("'")[0]
        model = self.by_name.get(core)
        if model is not None:
            return self.row(model)
        if core == "Person":
            return self.world.student_xiao
        if core == "Role":
            return Role.TEACHER
        if core in FORM_INPUTS:
            return None
        if optional:
            return None
        return MISSING

    def arguments(self, fn: Callable[..., Any], actor: Any) -> dict[str, Any] | None:
        """Keyword arguments to call `fn` with, or None when a required one can't be made."""
        kwargs: dict[str, Any] = {}
        for param in inspect.signature(fn).parameters.values():
            if param.kind is param.VAR_KEYWORD:
                continue
            if param.name == "actor":
                kwargs["actor"] = actor
                continue
            if param.default is not inspect.Parameter.empty:
                continue
            value = self.value(str(param.annotation))
            if value is MISSING:
                return None
            kwargs[param.name] = value
        return kwargs


def fillable(annotation: str, by_name: dict[str, type[models.Model]]) -> bool:
    core = annotation.replace(" ", "").removesuffix("|None")
    return (
        core in PLAIN
        or core.split("[")[0] in EMPTY
        or core.startswith("Literal[")
        or core in by_name
        or core in {"Person", "Role", *FORM_INPUTS}
        or annotation.replace(" ", "").endswith("|None")
    )


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("probe.txt", b"probe", content_type="text/plain")


PLAIN: dict[str, Callable[[], Any]] = {
    "str": lambda: "探针",
    "int": lambda: 1,
    "bool": lambda: False,
    "Decimal": lambda: Decimal(1),
    "dt.date": timezone.localdate,
    "dt.datetime": lambda: timezone.now() + dt.timedelta(days=1),
    "Any": lambda: None,
    "UploadedFile": _upload,
    "Readable": lambda: io.BytesIO(b"probe"),
    "BinaryIO": lambda: io.BytesIO(b"probe"),
    "IO[bytes]": lambda: io.BytesIO(b"probe"),
}
EMPTY: dict[str, Callable[[], Any]] = {
    "list": list,
    "Sequence": list,
    "Collection": list,
    "Iterable": list,
    "dict": dict,
    "Mapping": dict,
}

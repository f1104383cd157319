"""Small helpers the routers share: who is calling, which school, and a row of that school."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chuangyou.lib.errors import Invalid, ServiceError
from chuangyou.org.models import School, Staff
from chuangyou.org.rules import Actor, actor_for
from chuangyou.org.selectors import school_by_code


def actor_of(request: HttpRequest) -> Actor:
    return actor_for(request.auth)  # type: ignore[attr-defined]


def school_or_404(code: str) -> School:
    return school_by_code(code)


def of_school(rows: Any, school: School, pk: int | None, error: ServiceError) -> Any:
    """Row `pk` of this school, from a model or a queryset, else `error` (a 404 or a 422, as the caller
    says)."""
    queryset = rows.objects.all() if hasattr(rows, "objects") else rows
    found = queryset.filter(school=school, pk=pk).first()
    if found is None:
        raise error
    return found


def staff_of_school(school: School, staff_id: int, *, field: str, message: str) -> Staff:
    """A staff member of this school named in the input, else a 422 that puts `message` on `field`."""
    staff: Staff = of_school(Staff, school, staff_id, Invalid(message, {field: [message]}))
    return staff

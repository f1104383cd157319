"""Small helpers every router uses: who is calling, which school, and one pagination shape."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext

from chuangyou.lib.errors import NotFound
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, actor_for


def actor_of(request: HttpRequest) -> Actor:
    return actor_for(request.auth)  # type: ignore[attr-defined]


def school_or_404(code: str) -> School:
    school = School.objects.select_related("bureau").filter(code=code).first()
    if school is None:
        raise NotFound(gettext("没有这所学校。"))
    return school

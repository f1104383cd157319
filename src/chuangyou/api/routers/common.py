"""Small helpers every router uses: who is calling, which school, and one pagination shape."""

from __future__ import annotations

from django.http import HttpRequest

from chuangyou.org.models import School
from chuangyou.org.rules import Actor, actor_for
from chuangyou.org.selectors import school_by_code


def actor_of(request: HttpRequest) -> Actor:
    return actor_for(request.auth)  # type: ignore[attr-defined]


def school_or_404(code: str) -> School:
    return school_by_code(code)

"""Public honor pages: the certificate verification a QR opens, and the honor roll (光荣榜)."""

from __future__ import annotations

from collections import defaultdict

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chuangyou.honors import certificates
from chuangyou.honors.models import Honor
from chuangyou.lib.strokes import by_strokes
from chuangyou.web import school_by_code


def verify(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    number = certificates.unsign_number(request.GET.get("c", ""))
    honor = (
        Honor.objects.select_related("award_type").filter(school=school, number=number).first()
        if number
        else None
    )
    return render(request, "honors/verify.html", {"school": school, "honor": honor})


def roll(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Only issued (hence final) honors that are not revoked; names in 姓氏笔画 order within each award."""
    school = school_by_code(code)
    honors = Honor.objects.filter(school=school, campaign__year=year, revoked_on__isnull=True).select_related(
        "award_type"
    )
    groups: dict[str, list[Honor]] = defaultdict(list)
    for h in honors.order_by("award_type_id"):
        groups[h.award_type.name].append(h)
    awards = [(name, by_strokes(items, lambda h: h.name)) for name, items in groups.items()]
    return render(request, "honors/roll.html", {"school": school, "year": year, "awards": awards})


def photo(request: HttpRequest, code: str, honor_id: int) -> FileResponse:
    honor = Honor.objects.filter(school__code=code, pk=honor_id, revoked_on__isnull=True).first()
    if honor is None or not honor.photo:
        raise Http404
    return FileResponse(honor.photo.open("rb"), content_type="image/jpeg")


__all__ = ["photo", "roll", "verify"]

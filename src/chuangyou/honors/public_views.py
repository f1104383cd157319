"""Public honor pages: the certificate verification a QR opens, and the honor roll (光荣榜)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chuangyou.honors import poster, selectors
from chuangyou.honors.models import Honor
from chuangyou.web import school_by_code


def verify(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    honor = selectors.verified(school, request.GET.get("c", ""))
    return render(request, "honors/verify.html", {"school": school, "honor": honor})


def roll(request: HttpRequest, code: str, year: int) -> HttpResponse:
    school = school_by_code(code)
    awards = selectors.roll(school, year)
    return render(request, "honors/roll.html", {"school": school, "year": year, "awards": awards})


def roll_poster(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The 光荣榜 as a printable landscape A4 PDF: the same final, not revoked honors as the page."""
    school = school_by_code(code)
    title = f"{school.name}{year}年度创先争优光荣榜"
    response = HttpResponse(
        poster.render(title, selectors.roll(school, year)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="honor-roll-{school.code}-{year}.pdf"'
    return response


def photo(request: HttpRequest, code: str, honor_id: int) -> FileResponse:
    honor = Honor.objects.filter(school__code=code, pk=honor_id, revoked_on__isnull=True).first()
    if honor is None or not honor.photo:
        raise Http404
    return FileResponse(honor.photo.open("rb"), content_type="image/jpeg")

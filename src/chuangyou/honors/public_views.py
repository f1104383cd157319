"""Public honor pages: the certificate verification a QR opens, and the honor roll (光荣榜)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chuangyou.honors import poster, selectors
from chuangyou.honors.forms import VerifyForm
from chuangyou.honors.models import Honor
from chuangyou.limits import rates
from chuangyou.limits import rules as limit_rules
from chuangyou.web import client_ip, school_by_code


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The QR opens it with a signed token (?c=); anyone else types the number and the holder's name.
    No verdict is shown before something was asked."""
    school = school_by_code(code)
    token = request.GET.get("c", "")
    form = VerifyForm(request.POST or None)
    asked, honor = bool(token), selectors.verified(school, token) if token else None
    if request.method == "POST" and form.is_valid():
        if not rates.hit(limit_rules.certificate_lookups(), client_ip(request)).allowed:
            messages.error(request, _("查询次数过多，请稍后再试。"))
            return redirect("honors_public:verify", code=code)
        asked = True
        honor = selectors.verified_by_number(school, form.cleaned_data["number"], form.cleaned_data["name"])
    context = {"school": school, "honor": honor, "asked": asked, "form": form}
    return render(request, "honors/verify.html", context)


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

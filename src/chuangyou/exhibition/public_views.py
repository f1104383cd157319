"""The exhibition anyone may open, on a phone, without signing in: photos by activity, the other halls,
a share QR on every page, and the form to ask for one's photo to be taken down."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangyou.exhibition import selectors, services
from chuangyou.exhibition.forms import TakedownForm
from chuangyou.lib.errors import Invalid, ServiceError
from chuangyou.limits import rates
from chuangyou.limits import rules as limit_rules
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.web import client_ip, paginate, school_by_code

ACTIVITIES_PER_PAGE = 10


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


def gallery(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    today = timezone.localdate()
    campaign = selectors.public_campaign(school, _year(request), today)
    context: dict[str, object] = {
        "school": school,
        "campaign": campaign,
        "qr": selectors.share_qr(request.get_full_path()),
    }
    if campaign is not None:
        context["page"] = paginate(request, selectors.gallery(campaign), per_page=ACTIVITIES_PER_PAGE)
        context["links"] = selectors.links(school, campaign, today)
    return render(request, "exhibition/gallery.html", context)


def thumb(request: HttpRequest, code: str, evidence_id: int) -> FileResponse:
    evidence = selectors.shown_photo(school_by_code(code), evidence_id)
    found = getattr(evidence, "thumbnail", None)
    # Approved on the activity's own page: its thumbnail is made on this first showing, once.
    made = found or services.make_thumbnail(actor=SYSTEM, evidence=evidence)
    response = FileResponse(made.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"  # short: a takedown must show soon
    return response


def full(request: HttpRequest, code: str, evidence_id: int) -> FileResponse:
    evidence = selectors.shown_photo(school_by_code(code), evidence_id)
    return FileResponse(evidence.file.open("rb"), content_type="image/jpeg")


@require_http_methods(["GET", "POST"])
def takedown(request: HttpRequest, code: str, evidence_id: int) -> HttpResponse:
    school = school_by_code(code)
    evidence = selectors.shown_photo(school, evidence_id)
    form = TakedownForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not rates.hit(limit_rules.takedowns(), client_ip(request)).allowed:
            form.add_error(None, _("提交过于频繁，请一小时后再试，或直接联系学校。"))
            status = 429
        else:
            try:
                services.request_takedown(
                    actor=actor_for(request.user),  # type: ignore[arg-type]
                    school=school,
                    evidence_id=evidence.pk,
                    **form.cleaned_data,
                )
            except Invalid as exc:
                form.add_error(None, exc.message)
            except ServiceError as exc:  # taken down by someone else meanwhile
                form.add_error(None, exc.message)
            else:
                return redirect("exhibition_public:takedown_done", code)
    context = {
        "school": school,
        "evidence": evidence,
        "form": form,
        "qr": selectors.share_qr(request.path),
    }
    return render(request, "exhibition/takedown.html", context, status=status)


def takedown_done(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    context = {"school": school, "qr": selectors.share_qr(request.path)}
    return render(request, "exhibition/takedown_done.html", context)

"""The bureau's pages: every school side by side, two compared, 对标定位, exports and the 总结."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.nominations import services as nominations_services
from chuangyou.org.models import Bureau
from chuangyou.reports import bureau as views_data
from chuangyou.reports import selectors, services
from chuangyou.reports.facts import facts_for
from chuangyou.reports.selectors import Chart, Row
from chuangyou.reports.views import XLSX, _download
from chuangyou.reports.xlsx import charts_workbook
from chuangyou.web import actor_of, paginate


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else timezone.localdate().year


@login_required
def overview(request: HttpRequest, code: str) -> HttpResponse:
    bureau = get_object_or_404(Bureau, code=code)
    year = _year(request)
    campaigns = selectors.bureau_campaigns(actor_of(request), bureau, year)
    facts = list(facts_for(campaigns).values())
    sort = request.GET.get("sort", "")
    ranked = views_data.ranking(facts, sort)
    table = Chart(
        "schools",
        "各校对比",
        "bar",
        ("学校", *(c.title for c in views_data.COLUMNS)),
        [
            Row(
                f.school_name,
                tuple(c.value(f) for c in views_data.COLUMNS),
                selectors.link("reports:dashboard", _code(campaigns, f.school_id), query=f"year={year}"),
            )
            for f in ranked
        ],
    )
    if request.GET.get("format") == "xlsx":
        return _download(charts_workbook([table]), f"{bureau.name}{year}年度各校对比.xlsx", XLSX)
    chosen = [f for f in facts if _code(campaigns, f.school_id) in request.GET.getlist("school")][:2]
    means = views_data.criterion_means(campaigns) if chosen else {}
    bench = views_data.benchmark(facts, means, chosen[0].school_id) if chosen else None
    compare = [(c.title, [c.value(f) for f in chosen]) for c in views_data.COLUMNS]
    return render(
        request,
        "reports/bureau.html",
        {
            "bureau": bureau,
            "year": year,
            "table": table,
            "columns": views_data.COLUMNS,
            "sort": sort,
            "campaigns": campaigns,
            "chosen": chosen,
            "compare": compare,
            "bench": bench,
            "bench_data": views_data.chart_data(bench, chosen[0].school_name) if chosen else None,
            "bench_rows": list(zip(bench.criteria, bench.school, bench.exemplar, strict=True))
            if bench
            else [],
            "documents": selectors.bureau_documents(actor_of(request), bureau)[:10],
        },
    )


def _code(campaigns: list, school_id: int) -> str:  # type: ignore[type-arg]
    return next(c.school.code for c in campaigns if c.school_id == school_id)


@login_required
@require_POST
def summary(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bureau = get_object_or_404(Bureau, code=code)
    services.request_bureau_summary(actor=actor_of(request), bureau=bureau, year=year)
    return redirect(f"/bureau/{bureau.code}/reports/?year={year}")


@login_required
def download(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    bureau = get_object_or_404(Bureau, code=code)
    document = selectors.bureau_document(actor_of(request), bureau, document_id)
    return FileResponse(document.docx.open("rb"), as_attachment=True, filename=f"{document.title}.docx")


@login_required
def nominations(request: HttpRequest, code: str) -> HttpResponse:
    """Nominations the bureau's schools sent up to bureau-level awards, for the bureau to decide."""
    bureau = get_object_or_404(Bureau, code=code)
    rows = selectors.bureau_nominations(actor_of(request), bureau)
    return render(
        request,
        "reports/bureau_nominations.html",
        {"bureau": bureau, "page": paginate(request, rows)},
    )


@login_required
@require_POST
def decide(request: HttpRequest, code: str, nomination_id: int) -> HttpResponse:
    bureau = get_object_or_404(Bureau, code=code)
    nomination = get_object_or_404(selectors.bureau_nominations(actor_of(request), bureau), pk=nomination_id)
    reason = request.POST.get("reason", "").strip()
    decide_by = (
        nominations_services.select
        if request.POST.get("decision") == "select"
        else nominations_services.decline
    )
    try:
        decide_by(actor=actor_of(request), nomination=nomination, reason=reason)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    return redirect("bureau_reports:nominations", bureau.code)

"""Pages of the school office: the dashboard, a class's view, the documents and their downloads."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import SchoolClass
from chuangyou.org.rules import can_manage_campaign
from chuangyou.reports import selectors, services
from chuangyou.reports.forms import BriefingForm
from chuangyou.reports.models import DocState
from chuangyou.reports.xlsx import charts_workbook
from chuangyou.web import actor_of, school_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    actor = actor_of(request)
    campaign = selectors.campaign_of(actor, school, _year(request))
    if campaign is None:
        return render(request, "reports/dashboard.html", {"school": school, "campaign": None})
    facts = selectors.school_facts(actor, campaign)
    charts = selectors.dashboard_charts(facts, school, campaign.year)
    if request.GET.get("format") == "xlsx":
        return _download(charts_workbook(charts), f"{school.name}{campaign.year}年度统计.xlsx", XLSX)
    return render(
        request,
        "reports/dashboard.html",
        {
            "school": school,
            "campaign": campaign,
            "facts": facts,
            "charts": charts,
            "chart_data": [c.data() for c in charts],
            "can_generate": can_manage_campaign(actor, school),
            "links": {
                "overdue": selectors.link(
                    "campaigns:assignments", code, campaign.year, query="status=overdue"
                ),
                "assignments": selectors.link("campaigns:assignments", code, campaign.year),
                "activities": selectors.link("activities:list", code),
                "volunteers": selectors.link("volunteering:volunteers", code),
                "commitments": selectors.link("commitments:home", code, query=f"year={campaign.year}"),
                "filings": selectors.link("commitments:filings", code),
                "evaluations": selectors.link("evaluations:list", code),
                "resources": selectors.link("campaigns:resources", code, campaign.year),
                "photos": selectors.link("exhibition:photos", code),
                "nominations": selectors.link("nominations:list", code),
                "honors": selectors.link("honors:list", code),
                "ledger": selectors.link("honors:ledger", code),
            },
        },
    )


@login_required
def class_view(request: HttpRequest, code: str, class_id: int) -> HttpResponse:
    school = school_by_code(code)
    school_class = get_object_or_404(
        SchoolClass.objects.select_related("grade", "school"), pk=class_id, school=school
    )
    actor = actor_of(request)
    campaign = selectors.campaign_of(actor, school, _year(request))
    if campaign is None:
        raise NotFound(gettext("%(school)s还没有活动方案。") % {"school": school.name})
    facts, index = selectors.class_facts(actor, campaign, school_class)
    return render(
        request,
        "reports/class.html",
        {"school": school, "campaign": campaign, "line": facts.classes[index], "school_class": school_class},
    )


@login_required
@require_POST
def summary(request: HttpRequest, code: str, year: int) -> HttpResponse:
    school = school_by_code(code)
    actor = actor_of(request)
    campaign = selectors.campaign_of(actor, school, year)
    assert campaign is not None
    services.request_summary(actor=actor, campaign=campaign)
    return redirect("reports:documents", code)


@login_required
def documents(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    rows = list(selectors.documents_of(actor_of(request), school)[:50])
    waiting = any(d.state == DocState.QUEUED for d in rows)
    template = (
        "reports/documents.html#rows" if request.headers.get("HX-Request") else "reports/documents.html"
    )
    context = {"school": school, "documents": rows, "waiting": waiting, "form": BriefingForm()}
    return render(request, template, context)


@login_required
def download(request: HttpRequest, code: str, document_id: int, fmt: str) -> FileResponse:
    school = school_by_code(code)
    document, field = selectors.document_file(actor_of(request), school, document_id, fmt)
    return FileResponse(field.open("rb"), as_attachment=True, filename=f"{document.title}.{fmt}")


@login_required
@require_POST
def briefing(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    form = BriefingForm(request.POST)
    if not form.is_valid():
        raise Invalid(gettext("请填写简报的报头名称和起止日期。"))
    data = form.cleaned_data
    services.request_briefing(
        actor=actor_of(request),
        school=school,
        title=data["title"],
        issuer=school.name,
        period_start=data["period_start"],
        period_end=data["period_end"],
        is_supplement=data["is_supplement"],
        distribution={"报": data["to_report"], "送": data["to_send"], "发": data["to_issue"]},
    )
    return redirect("reports:documents", code)


@login_required
def personal(request: HttpRequest, code: str, student_id: int) -> HttpResponse:
    school = school_by_code(code)
    facts = selectors.personal_summary(actor_of(request), school, student_id, _year(request))
    return render(request, "reports/personal.html", {"school": school, "facts": facts})


@login_required
def mine(request: HttpRequest, code: str) -> HttpResponse:
    """A student's own summary, or a parent's child's (the first child; each has its own address)."""
    actor = actor_of(request)
    own = actor.own_student_id or min(actor.child_student_ids, default=None)
    if own is None:
        raise NotFound(gettext("只有学生和家长有个人活动小结。"))
    return redirect("reports:personal", code, own)

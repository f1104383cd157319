"""Pages of 综合素质评价 on the evaluation engine: build one for a class and term, and the student's own
写实记录 (written, evidence chosen and signed by the student alone). Also what it adds to the engine's
pages (`register`, called from the app's ready()): the raters' evidence and the student's 写实记录 on
我的评议投票."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chuangyou.evaluations import counting, uses
from chuangyou.evaluations.models import Portfolio, Use
from chuangyou.evaluations.use_views import build_page
from chuangyou.lib.errors import NotAllowed, ServiceError
from chuangyou.org.models import School, SchoolClass, Staff
from chuangyou.org.rules import Actor
from chuangyou.records import selectors
from chuangyou.records import services as quality
from chuangyou.records.forms import PortfolioSignForm, QualityForm
from chuangyou.records.lines import DIMENSION_SECTIONS
from chuangyou.web import actor_of, school_by_code


def my_portfolios(actor: Actor, school: School) -> uses.MineSection | None:
    """我的评议投票: the student's own 写实记录 to fill in and sign, or to look at once signed."""
    portfolios = selectors.portfolios_of(actor).filter(school=school)
    if not portfolios:
        return None
    return uses.MineSection("records/my_portfolios.html", {"portfolios": portfolios})


def register() -> None:
    uses.provides_evidence(Use.QUALITY, selectors.quality_evidence)
    uses.provides_mine_section(my_portfolios)


@login_required
def quality_new(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    classes = SchoolClass.objects.filter(school=school).select_related("grade")
    staff = Staff.objects.filter(school=school, user__isnull=False).order_by("name")
    return build_page(
        request,
        code,
        QualityForm,
        {
            "school_class": [(c.pk, str(c)) for c in classes],
            "teachers": [(s.pk, s.name) for s in staff],
        },
        lambda actor, school, d: quality.create_quality_evaluation(
            actor=actor,
            school_class=SchoolClass.objects.select_related("school", "grade").get(
                pk=d["school_class"], school=school
            ),
            term=d["term"],
            teachers=list(Staff.objects.filter(pk__in=d["teachers"], school=school)),
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
        ),
        _("综合素质评价（班级、学期）"),
    )


@login_required
def portfolio(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The student's own 写实记录: per dimension, their words and the record lines they select; then
    they sign. Only the student reaches this page (a teacher may not write it for them)."""
    school, actor = school_by_code(code), actor_of(request)
    found = (
        Portfolio.objects.select_related("evaluation__school", "student")
        .filter(evaluation_id=pk, school=school, student_id=actor.own_student_id or 0)
        .first()
    )
    if found is None:
        raise NotAllowed(_("写实记录须由学生本人填写和签名，老师和家长不能代写。"))
    rubric = counting.rubric_from_json(found.evaluation.rubric_in_force)
    sections = selectors.student_lines(found.student_id)
    sign_form = PortfolioSignForm(request.POST if request.POST.get("action") == "sign" else None)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "sign":
                if sign_form.is_valid():
                    quality.sign_portfolio(
                        actor=actor, portfolio=found, signature=sign_form.cleaned_data["signature"]
                    )
                    messages.success(request, _("已签名确认，写实记录不能再修改。"))
                    return redirect("records:portfolio", code=school.code, pk=pk)
            else:
                entries = {
                    c.key: {
                        "text": request.POST.get(f"text-{c.key}", ""),
                        "lines": request.POST.getlist(f"lines-{c.key}"),
                    }
                    for c in rubric.criteria
                }
                quality.write_portfolio(actor=actor, portfolio=found, entries=entries)
                messages.success(request, _("写实记录已保存。"))
                return redirect("records:portfolio", code=school.code, pk=pk)
        except NotAllowed:
            raise
        except ServiceError as exc:
            error = exc.message
    dimensions = []
    for c in rubric.criteria:
        entry = found.entries.get(c.key, {})
        lines = [line for name in DIMENSION_SECTIONS.get(c.title, ()) for line in sections.get(name, [])]
        dimensions.append(
            {
                "criterion": c,
                "text": entry.get("text", ""),
                "lines": [
                    (selectors.line_key(line), line, selectors.line_key(line) in entry.get("lines", []))
                    for line in lines
                ],
            }
        )
    return render(
        request,
        "records/portfolio.html",
        {
            "school": school,
            "portfolio": found,
            "evaluation": found.evaluation,
            "dimensions": dimensions,
            "sign_form": sign_form,
            "error": error,
        },
    )

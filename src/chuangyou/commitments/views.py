"""The commitments pages: one's own and one's branch's declaration, the secretary's review, the
office list, follow-up of overdue progress, the settings, and the filings the bureau sees.

Every write goes through `commitments.services`, which checks the actor itself.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import rules, selectors, services
from chuangyou.commitments.export import commitments_workbook
from chuangyou.commitments.forms import (
    FulfilmentForm,
    ItemForm,
    ProgressForm,
    ReturnForm,
    RevisionForm,
    SettingsForm,
)
from chuangyou.commitments.models import Commitment, Item, Status
from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Invalid, NotFound, ServiceError
from chuangyou.org.models import PartyBranch, School
from chuangyou.org.rules import Actor, is_staff_of, require
from chuangyou.web import actor_of, paginate, school_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENTER_MESSAGE = gettext_lazy("只有本校教职工可以查看承诺页面。")


def _enter(request: HttpRequest, code: str) -> tuple[School, Actor]:
    school, actor = school_by_code(code), actor_of(request)
    require(is_staff_of(actor, school) or rules.can_read_office(actor, school), ENTER_MESSAGE)
    return school, actor


def _campaign(request: HttpRequest, school: School) -> Campaign:
    year = request.GET.get("year") or request.POST.get("year")
    campaign = selectors.campaign_of(
        school, int(year) if year and year.isdigit() else None, today=timezone.localdate()
    )
    if campaign is None:
        raise NotFound(_("本校还没有活动方案，请先由工作小组制订活动方案。"))
    return campaign


def _commitment(request: HttpRequest, code: str, pk: int) -> tuple[Commitment, Actor]:
    school, actor = school_by_code(code), actor_of(request)
    return selectors.commitment_for(actor, school, pk), actor


def _back(commitment: Commitment) -> HttpResponse:
    return redirect("commitments:detail", code=commitment.school.code, pk=commitment.pk)


@login_required
def home(request: HttpRequest, code: str) -> HttpResponse:
    """Mine, my branch's, what I review, and (for the office) every commitment, filtered."""
    school, actor = _enter(request, code)
    today = timezone.localdate()
    campaign = selectors.campaign_of(
        school, int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None, today=today
    )
    context: dict[str, Any] = {
        "school": school,
        "campaign": campaign,
        "years": selectors.campaign_years(school),
    }
    if campaign is not None:
        status = selectors.status_filter(request.GET.get("status"))
        query = request.GET.get("q", "").strip()[:60]
        branch_ids = actor.secretary_branch_ids()
        my_branches = PartyBranch.objects.filter(school=school, pk__in=branch_ids).order_by("pk")
        branch_commitments = {
            c.owner_branch_id: c
            for c in selectors.commitments_for(actor, campaign).filter(owner_branch__in=my_branches)
        }
        context |= {
            "status": status,
            "query": query,
            "page": paginate(request, selectors.commitments_for(actor, campaign, status=status, query=query)),
            "mine": selectors.own_commitment(actor, campaign),
            "own_staff": rules.own_staff(actor, school),
            "branches": [(b, branch_commitments.get(b.pk)) for b in my_branches],
            "queue": list(selectors.review_queue(actor, campaign)),
            "is_office": rules.can_read_office(actor, school),
            "can_follow_up": rules.can_follow_up(actor, school),
            "can_settings": rules.can_change_settings(actor, school),
            "rules": selectors.settings_of(school),
            "statuses": Status.choices,
        }
    if request.headers.get("HX-Request"):
        return render(request, "commitments/home.html#rows", context)
    return render(request, "commitments/home.html", context)


@login_required
@require_POST
def declare(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _enter(request, code)
    campaign = _campaign(request, school)
    owner = request.POST.get("owner", "")
    try:
        if owner.startswith("branch:") and owner[7:].isdigit():
            branch = PartyBranch.objects.filter(school=school, pk=int(owner[7:])).first()
            if branch is None:
                raise NotFound(_("本校没有这个党支部。"))
            commitment = services.declare(actor=actor, campaign=campaign, branch=branch)
        else:
            staff = rules.own_staff(actor, school)
            if staff is None:
                raise Invalid(_("您不是本校教职工，不能作出个人承诺。"))
            commitment = services.declare(actor=actor, campaign=campaign, staff=staff)
    except ServiceError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("commitments:home", code=code)
    messages.success(request, _("已开始填写承诺，请逐条添加承诺事项。"))
    return _back(commitment)


def _detail_context(commitment: Commitment, actor: Actor, **extra: Any) -> dict[str, Any]:
    can_see_evidence = rules.can_see_evidence(actor, commitment)
    return {
        "school": commitment.school,
        "commitment": commitment,
        "items": selectors.items_of(commitment),
        "reports": list(selectors.reports_of(commitment)) if can_see_evidence else [],
        "settings_row": selectors.settings_of(commitment.school),
        "can_draft": rules.can_draft(actor, commitment),
        "can_review": rules.can_review(actor, commitment),
        "can_fulfil": rules.can_mark_fulfilment(actor, commitment),
        "can_file": commitment.is_branch and rules.can_file(actor, commitment),
        "can_see_evidence": can_see_evidence,
        "today": timezone.localdate(),
        "item_form": extra.pop("item_form", None) or ItemForm(),
        "return_form": extra.pop("return_form", None) or ReturnForm(),
        "progress_form": ProgressForm(),
        "fulfilment_form": FulfilmentForm(),
        **extra,
    }


@login_required
def detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The commitment; a POST here adds an item to a draft."""
    commitment, actor = _commitment(request, code, pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST":
        require(rules.can_draft(actor, commitment), services.DRAFT_MESSAGE)
        if form.is_valid():
            try:
                services.add_item(actor=actor, commitment=commitment, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("已添加一条承诺。"))
                return _back(commitment)
    return render(request, "commitments/detail.html", _detail_context(commitment, actor, item_form=form))


def _item(commitment: Commitment, item_id: int) -> Item:
    return selectors.item_of(commitment, item_id)


@login_required
def item_edit(request: HttpRequest, code: str, pk: int, item_id: int) -> HttpResponse:
    """Edit a draft item; once published, the same page makes a new version and asks why."""
    commitment, actor = _commitment(request, code, pk)
    item = _item(commitment, item_id)
    published = commitment.status == Status.PUBLISHED
    if published:
        require(
            rules.can_draft(actor, commitment) or rules.can_review(actor, commitment), services.DRAFT_MESSAGE
        )
    else:
        require(rules.can_draft(actor, commitment), services.DRAFT_MESSAGE)
    initial = {
        "category": item.category,
        "content": item.content,
        "measures": item.measures,
        "deadline": item.deadline,
    }
    form_class = RevisionForm if published else ItemForm
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if published:
                services.revise_item(actor=actor, item=item, **form.cleaned_data)
            else:
                services.update_item(actor=actor, item=item, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("已保存为新版本。") if published else _("已保存。"))
            return _back(commitment)
    return render(
        request,
        "commitments/item_form.html",
        {
            "school": commitment.school,
            "commitment": commitment,
            "item": item,
            "form": form,
            "published": published,
        },
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, code: str, pk: int, item_id: int) -> HttpResponse:
    commitment, actor = _commitment(request, code, pk)
    services.delete_item(actor=actor, item=_item(commitment, item_id))
    messages.success(request, _("已删除一条承诺。"))
    return _back(commitment)


def _act(request: HttpRequest, commitment: Commitment, done: str, work: Any) -> HttpResponse:
    """Run a state change; a refusal stays a 403 page, a rule broken is shown on the page."""
    try:
        work()
    except ServiceError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(commitment)


@login_required
@require_POST
def submit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    commitment, actor = _commitment(request, code, pk)
    return _act(
        request,
        commitment,
        _("已提交，等待党支部书记审核。"),
        lambda: services.submit(actor=actor, commitment=commitment),
    )


@login_required
@require_POST
def publish(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    commitment, actor = _commitment(request, code, pk)
    return _act(
        request,
        commitment,
        _("已公开，公开承诺栏上可以看到了。"),
        lambda: services.publish(actor=actor, commitment=commitment),
    )


@login_required
@require_POST
def return_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    commitment, actor = _commitment(request, code, pk)
    form = ReturnForm(request.POST)
    require(rules.can_review(actor, commitment), services.REVIEW_MESSAGE)
    if not form.is_valid():
        messages.error(request, _("退回须写明理由。"))
        return _back(commitment)
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        commitment,
        _("已退回，承诺人修改后可再次提交。"),
        lambda: services.return_commitment(actor=actor, commitment=commitment, reason=reason),
    )


@login_required
@require_POST
def file_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    commitment, actor = _commitment(request, code, pk)
    return _act(
        request,
        commitment,
        _("已向教育局申报备案。"),
        lambda: services.file_with_bureau(actor=actor, commitment=commitment),
    )


@login_required
@require_POST
def progress(request: HttpRequest, code: str, pk: int, item_id: int) -> HttpResponse:
    commitment, actor = _commitment(request, code, pk)
    item = _item(commitment, item_id)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_progress(
                actor=actor, item=item, text=form.cleaned_data["text"], files=form.cleaned_data["evidence"]
            )
        except ServiceError as exc:
            if exc.status_code in (403, 404):
                raise
            show_service_error(form, exc)
        else:
            messages.success(request, _("已报告践诺进展。"))
            return _back(commitment)
    else:
        require(rules.can_draft(actor, commitment), services.DRAFT_MESSAGE)
    context = _detail_context(commitment, actor, progress_item=item)
    context["progress_form"] = form
    return render(request, "commitments/detail.html", context, status=422)


@login_required
@require_POST
def fulfilment(request: HttpRequest, code: str, pk: int, item_id: int) -> HttpResponse:
    commitment, actor = _commitment(request, code, pk)
    item = _item(commitment, item_id)
    form = FulfilmentForm(request.POST)
    require(rules.can_mark_fulfilment(actor, commitment), services.FULFIL_MESSAGE)
    if not form.is_valid():
        messages.error(request, _("请选择践诺结果。"))
        return _back(commitment)
    data = form.cleaned_data
    return _act(
        request,
        commitment,
        _("已评定践诺结果。"),
        lambda: services.mark_fulfilment(
            actor=actor, item=item, fulfilled=data["fulfilled"], reason=data["reason"]
        ),
    )


@login_required
def item_history(request: HttpRequest, code: str, pk: int, item_id: int) -> HttpResponse:
    commitment, _actor = _commitment(request, code, pk)
    item = _item(commitment, item_id)
    context = {
        "school": commitment.school,
        "commitment": commitment,
        "item": item,
        "versions": selectors.versions_of(item),
    }
    return render(request, "commitments/history.html", context)


@login_required
def evidence(request: HttpRequest, code: str, evidence_id: int) -> FileResponse:
    """An evidence file, for the owner, the reviewers and the office only: it has no public URL."""
    row = selectors.evidence_for(actor_of(request), school_by_code(code), evidence_id)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=PurePath(row.name).name)


@login_required
def overdue(request: HttpRequest, code: str) -> HttpResponse:
    """Who owes a progress report, and which items are past their deadline."""
    school, actor = _enter(request, code)
    campaign = _campaign(request, school)
    today = timezone.localdate()
    show = "deadline" if request.GET.get("show") == "deadline" else "progress"
    if show == "deadline":
        rows: Any = selectors.items_past_deadline(actor, campaign, today=today)
    else:
        rows = selectors.overdue_progress(actor, campaign, today=today)
    return render(
        request,
        "commitments/overdue.html",
        {
            "school": school,
            "campaign": campaign,
            "show": show,
            "page": paginate(request, rows),
            "interval": selectors.settings_of(school).progress_interval_days,
            "today": today,
        },
    )


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    """The campaign's commitments and items as .xlsx, for the office to print and file."""
    school, actor = _enter(request, code)
    require(rules.can_read_office(actor, school), selectors.READ_MESSAGE)
    campaign = _campaign(request, school)
    body = commitments_workbook(
        selectors.commitments_for(actor, campaign).prefetch_related("items"),
        title=_("%(school)s %(year)s 年度公开承诺") % {"school": school.name, "year": campaign.year},
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="commitments-{school.code}-{campaign.year}.xlsx"'
    return response


@login_required
def settings_view(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _enter(request, code)
    require(rules.can_change_settings(actor, school), services.SETTINGS_MESSAGE)
    current = selectors.settings_of(school)
    initial = {
        "person_min_items": current.person_min_items,
        "person_max_items": current.person_max_items,
        "branch_min_items": current.branch_min_items,
        "progress_interval_days": current.progress_interval_days,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(actor=actor, school=school, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("承诺设置已保存。"))
            return redirect("commitments:settings", code=code)
    return render(request, "commitments/settings.html", {"school": school, "form": form})


@login_required
def filings(request: HttpRequest, code: str) -> HttpResponse:
    """A school's filings; for the bureau, also every school of the bureau with what it filed."""
    school, actor = school_by_code(code), actor_of(request)
    rows = selectors.filings_of(actor, school)
    summary = selectors.bureau_summary(actor, school) if rules.can_see_bureau_filings(actor, school) else []
    return render(
        request,
        "commitments/filings.html",
        {"school": school, "page": paginate(request, rows, per_page=20), "summary": summary},
    )

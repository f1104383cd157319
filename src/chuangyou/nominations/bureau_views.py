"""The bureau admin's pages for bureau-level honors, under /bureau/<bureau code>/nominations/.

Award types and gates, the ranking across the bureau's schools with scoring and select/decline, the
bureau's 公示, its objections, and issuing its honors: the same services and selectors as the bureau
API (`api.routers.nominations.bureau_router`), so the checks and quotas are the same.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.lib.errors import Conflict, Invalid, NotFound, ServiceError
from chuangyou.nominations import selectors, services
from chuangyou.nominations.bureau_forms import (
    BureauAwardTypeForm,
    BureauDecideForm,
    BureauNoticeForm,
    RescoreForm,
)
from chuangyou.nominations.forms import GateForm, StepForm
from chuangyou.nominations.models import AwardType, Gate, Level, Nomination, NominationStatus, Objection
from chuangyou.org.models import Bureau
from chuangyou.org.rules import Actor
from chuangyou.org.selectors import bureau_by_code
from chuangyou.web import actor_of, paginate

FORM_FIELDS = (
    "name", "code", "for_kind", "quota_unit", "quota_kind", "quota_value", "school_send_quota",
    "shortlist_ratio", "number_pattern", "certificate_reason", "is_active",
)  # fmt: skip


def _award(actor: Actor, bureau: Bureau, award_id: int) -> AwardType:
    award = selectors.bureau_awards(actor, bureau).filter(pk=award_id).first()
    if award is None:
        raise NotFound(_("本局没有这个奖项。"))
    return award


def _form_errors(form: Any, exc: ServiceError) -> None:
    errors = getattr(exc, "errors", {}) or {}
    for field, lines in errors.items():
        if field in form.fields:
            form.add_error(field, lines)
    form.add_error(None, exc.message)


def _public_school_code(bureau: Bureau) -> str | None:
    """A bureau notice shows on every school's public pages of the bureau: link through the first."""
    school = bureau.schools.order_by("pk").first()
    return school.code if school is not None else None


# --- award types ----------------------------------------------------------------------------------


@login_required
def award_list(request: HttpRequest, code: str) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    awards = selectors.bureau_awards(actor, bureau)
    context = {"bureau": bureau, "page": paginate(request, awards)}
    return render(request, "nominations/bureau/awards.html", context)


@login_required
def award_edit(request: HttpRequest, code: str, award_id: int | None = None) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    selectors.bureau_awards(actor, bureau)  # the bureau admin only, before anything is shown
    award = _award(actor, bureau, award_id) if award_id is not None else None
    initial = {f: getattr(award, f) for f in FORM_FIELDS} if award else None
    form = BureauAwardTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if award is None:
                award = services.create_bureau_award_type(actor=actor, bureau=bureau, **data)
            else:
                services.update_award_type(actor=actor, award=award, **data)
        except (Invalid, Conflict) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("奖项已保存。"))
            return redirect("bureau_nominations:award", code=code, award_id=award.pk)
    context = {
        "bureau": bureau,
        "award": award,
        "form": form,
        "gate_form": GateForm(),
        "gates": list(award.gates.all()) if award else [],
    }
    return render(request, "nominations/bureau/award_form.html", context)


@login_required
@require_POST
def award_delete(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    award = _award(actor, bureau, award_id)
    try:
        services.delete_award_type(actor=actor, award=award)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect("bureau_nominations:award", code=code, award_id=award.pk)
    messages.success(request, _("奖项已删除。"))
    return redirect("bureau_nominations:awards", code=code)


@login_required
@require_POST
def gate_add(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    award = _award(actor, bureau, award_id)
    form = GateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("评选条件填写有误，请检查。"))
    else:
        try:
            services.add_gate(actor=actor, award=award, kind=form.cleaned_data["kind"], params=form.params())
        except (Invalid, Conflict) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已添加评选条件。"))
    return redirect("bureau_nominations:award", code=code, award_id=award.pk)


@login_required
@require_POST
def gate_remove(request: HttpRequest, code: str, award_id: int, gate_id: int) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    award = _award(actor, bureau, award_id)
    gate = get_object_or_404(Gate.objects.select_related("award_type"), award_type=award, pk=gate_id)
    try:
        services.remove_gate(actor=actor, gate=gate)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除评选条件。"))
    return redirect("bureau_nominations:award", code=code, award_id=award.pk)


# --- the ranking across schools: score, select, decline ---------------------------------------------


def _year(request: HttpRequest, award: AwardType) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    if raw.isdigit():
        return int(raw)
    latest = Nomination.objects.filter(award_type=award).aggregate(y=Max("campaign__year"))["y"]
    return int(latest or timezone.localdate().year)


@login_required
def ranking(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    """各校报送的推荐, ranked across schools. A POST scores, selects or declines one of them; a refusal
    (the bureau quota full, a missing reason) is shown on this page, in the service's words."""
    bureau, actor = bureau_by_code(code), actor_of(request)
    award = _award(actor, bureau, award_id)
    year = _year(request, award)
    error, target = "", None
    if request.method == "POST":
        target = get_object_or_404(
            Nomination.objects.select_related("award_type"),
            pk=request.POST.get("nomination") or 0,
            award_type=award,
            school__bureau=bureau,
            level=Level.BUREAU,
        )
        action = request.POST.get("action", "")
        form: Any = RescoreForm(request.POST) if action == "score" else BureauDecideForm(request.POST)
        if not form.is_valid():
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        else:
            data = form.cleaned_data
            try:
                if action == "score":
                    services.rescore(
                        actor=actor, nomination=target, score=data["score"], reason=data["reason"]
                    )
                elif data["action"] == "select":
                    services.select(actor=actor, nomination=target, reason=data["reason"])
                else:
                    services.decline(actor=actor, nomination=target, reason=data["reason"])
            except (Invalid, Conflict) as exc:
                error = exc.message
            else:
                messages.success(request, _("已记录：%(nominee)s。") % {"nominee": target.nominee_name})
                url = reverse("bureau_nominations:ranking", args=[code, award.pk])
                return redirect(f"{url}?year={year}")
    rows = selectors.bureau_ranking(actor, bureau, award, year)
    chosen = sum(1 for r in rows if r.status == NominationStatus.SELECTED)
    context = {
        "bureau": bureau,
        "award": award,
        "year": year,
        "rows": rows,
        "chosen": chosen,
        "error": error,
        "target": target,
        "frozen_ids": {r.nomination.pk for r in rows if r.nomination.notice_id is not None},
    }
    return render(request, "nominations/bureau/ranking.html", context, status=409 if error else 200)


# --- the bureau's 公示 ----------------------------------------------------------------------------------


def _candidates(actor: Actor, bureau: Bureau) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(
            award_type__in=selectors.bureau_awards(actor, bureau),
            school__bureau=bureau,
            level=Level.BUREAU,
            status=NominationStatus.SELECTED,
            notice__isnull=True,
        )
        .select_related("school", "award_type", "campaign")
        .order_by("award_type_id", "school_id", "pk")
    )


@login_required
def notices(request: HttpRequest, code: str) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    published = selectors.bureau_notices(actor, bureau)
    candidates = _candidates(actor, bureau)
    first = candidates.first()
    form = BureauNoticeForm(
        request.POST or None,
        candidates=candidates,
        initial={
            "year": first.campaign.year if first else timezone.localdate().year,
            "office": _("教育局监督室"),
            "starts_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = list(data.pop("nominations"))
        try:
            notice = services.publish_bureau_notice(actor=actor, bureau=bureau, nominations=chosen, **data)
        except (Invalid, Conflict) as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("公示已发布：%(starts)s 起 %(days)s 个工作日，截止 %(ends)s。")
                % {
                    "starts": format(notice.starts_on, "%Y-%m-%d"),
                    "days": notice.working_days,
                    "ends": format(notice.ends_on, "%Y-%m-%d"),
                },
            )
            return redirect(reverse("bureau_nominations:notices", args=[code]) + f"?new={notice.pk}")
    context = {
        "bureau": bureau,
        "form": form,
        "page": paginate(request, published, per_page=20),
        "public_code": _public_school_code(bureau),
        "new": request.GET.get("new", ""),
        "today": timezone.localdate(),
    }
    return render(request, "nominations/bureau/notices.html", context)


# --- objections on the bureau's notices --------------------------------------------------------------


def _objection(actor: Actor, bureau: Bureau, objection_id: int) -> Objection:
    found = selectors.bureau_objections(actor, bureau).filter(pk=objection_id).first()
    if found is None:
        raise NotFound(_("没有这件异议。"))
    return found


@login_required
def objections(request: HttpRequest, code: str) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    rows = selectors.bureau_objections(actor, bureau)
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    context = {"bureau": bureau, "page": paginate(request, rows), "status": status}
    return render(request, "nominations/bureau/objections.html", context)


@login_required
def objection(request: HttpRequest, code: str, objection_id: int) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    o = _objection(actor, bureau, objection_id)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_objection(actor=actor, objection=o, **form.cleaned_data)
        except (Invalid, Conflict) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已记录办理环节。"))
            return redirect("bureau_nominations:objection", code=code, objection_id=o.pk)
    context = {"bureau": bureau, "o": o, "form": form, "steps": o.steps.all()}
    return render(request, "nominations/bureau/objection.html", context)


@login_required
def objection_evidence(request: HttpRequest, code: str, objection_id: int) -> FileResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    evidence = selectors.objection_evidence(actor, _objection(actor, bureau, objection_id))
    return FileResponse(
        evidence.open("rb"), as_attachment=True, filename=(evidence.name or "evidence").rsplit("/", 1)[-1]
    )


__all__ = [
    "award_delete",
    "award_edit",
    "award_list",
    "gate_add",
    "gate_remove",
    "notices",
    "objection",
    "objection_evidence",
    "objections",
    "ranking",
]

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
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Conflict, Invalid, ServiceError
from chuangyou.nominations import pages, selectors, services
from chuangyou.nominations.bureau_forms import (
    BureauAwardTypeForm,
    BureauDecideForm,
    BureauNoticeForm,
    RescoreForm,
)
from chuangyou.nominations.models import AwardType, Level, Nomination, NominationStatus
from chuangyou.org.models import Bureau
from chuangyou.org.rules import Actor
from chuangyou.org.selectors import bureau_by_code
from chuangyou.web import actor_of, paginate

FORM_FIELDS = (
    "name", "code", "for_kind", "quota_unit", "quota_kind", "quota_value", "school_send_quota",
    "shortlist_ratio", "number_pattern", "certificate_reason", "is_active",
)  # fmt: skip


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
    award = selectors.get_bureau_award(actor, bureau, award_id) if award_id is not None else None
    initial = {f: getattr(award, f) for f in FORM_FIELDS} if award else None
    return pages.award_form(
        request,
        actor=actor,
        award=award,
        form=BureauAwardTypeForm(request.POST or None, initial=initial),
        create=lambda data: services.create_bureau_award_type(actor=actor, bureau=bureau, **data),
        saved_url=lambda saved: reverse("bureau_nominations:award", args=[code, saved.pk]),
        template="nominations/bureau/award_form.html",
        context={"bureau": bureau},
    )


@login_required
@require_POST
def award_delete(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    award = selectors.get_bureau_award(actor, bureau, award_id)
    return pages.delete_award(
        request,
        actor=actor,
        award=award,
        award_url=reverse("bureau_nominations:award", args=[code, award.pk]),
        list_url=reverse("bureau_nominations:awards", args=[code]),
    )


@login_required
@require_POST
def gate_add(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    award = selectors.get_bureau_award(actor, bureau, award_id)
    return pages.add_gate(
        request,
        actor=actor,
        award=award,
        award_url=reverse("bureau_nominations:award", args=[code, award.pk]),
    )


@login_required
@require_POST
def gate_remove(request: HttpRequest, code: str, award_id: int, gate_id: int) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    gate = selectors.get_gate(selectors.get_bureau_award(actor, bureau, award_id), gate_id)
    return pages.remove_gate(
        request, actor=actor, gate=gate, award_url=reverse("bureau_nominations:award", args=[code, award_id])
    )


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
    award = selectors.get_bureau_award(actor, bureau, award_id)
    year = _year(request, award)
    error, target = "", None
    if request.method == "POST":
        raw = request.POST.get("nomination") or ""
        target = selectors.get_bureau_nomination(actor, bureau, award, int(raw) if raw.isdigit() else 0)
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
        except ServiceError as exc:
            show_service_error(form, exc, summary=True)
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
    o = selectors.get_bureau_objection(actor, bureau, objection_id)
    return pages.handle_objection(
        request,
        actor=actor,
        objection=o,
        done_url=reverse("bureau_nominations:objection", args=[code, o.pk]),
        template="nominations/bureau/objection.html",
        context={"bureau": bureau},
    )


@login_required
def objection_evidence(request: HttpRequest, code: str, objection_id: int) -> FileResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    return pages.evidence_download(actor, selectors.get_bureau_objection(actor, bureau, objection_id))


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

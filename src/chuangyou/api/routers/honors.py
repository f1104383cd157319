"""表彰: issuing, certificates, revocation, the prize ledger and budgets, verification and the honor roll.
The same services and checks as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Router, Status
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.honors import (
    BatchIn,
    BatchOut,
    BudgetIn,
    BudgetOut,
    HonorOut,
    LedgerLineOut,
    PaidIn,
    PayableOut,
    RevokeIn,
    RollOut,
    VerifyOut,
)
from chuangyou.campaigns.models import ResourceLine
from chuangyou.honors import certificates, selectors, services
from chuangyou.honors.models import CertificateBatch, Honor, Payable, PrizeBudget
from chuangyou.lib.errors import NotFound
from chuangyou.nominations.selectors import get_notice
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_read_school, require

router = Router(tags=["表彰与奖金"])


# --- issuing and certificates ------------------------------------------------------------------


@router.get("/{code}/honors", response=list[HonorOut], summary="已颁发的荣誉")
@paginate(Pages, page_size=50)
def list_honors(request: HttpRequest, code: str, year: int | None = None) -> Any:
    rows = selectors.honors_for(actor_of(request), school_or_404(code)).select_related("school")
    return rows.filter(year=year) if year else rows


@router.post(
    "/{code}/notices/{notice_id}/issue",
    response={201: list[HonorOut]},
    summary="颁发一份公示中已生效的荣誉（编号连续，奖金计入预算）",
)
def issue(request: HttpRequest, code: str, notice_id: int) -> Status[list[Honor]]:
    # Always today: a caller-chosen date would let an honor be issued before its notice ends.
    school, actor = school_or_404(code), actor_of(request)
    honors = services.issue_notice(actor=actor, notice=get_notice(actor, school, notice_id))
    return Status(
        201,
        list(
            Honor.objects.filter(pk__in=[h.pk for h in honors])
            .select_related("award_type", "school")
            .order_by("award_type_id", "serial")
        ),
    )


@router.get(
    "/{code}/honors/{honor_id}/certificate.pdf",
    url_name="honor_certificate",
    summary="荣誉证书（PDF）",
    response={200: None},
)
def certificate(request: HttpRequest, code: str, honor_id: int) -> HttpResponse:
    school = school_or_404(code)
    honor = selectors.certificate_honor(actor_of(request), school, honor_id)
    pdf = certificates.render([services.certificate_data(honor)], services.seal_for(honor))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{honor.number}.pdf"'
    return response


@router.post("/{code}/honors/{honor_id}/revoke", response=HonorOut, summary="撤销荣誉（须写原因）")
def revoke(request: HttpRequest, code: str, honor_id: int, payload: RevokeIn) -> Honor:
    school, actor = school_or_404(code), actor_of(request)
    services.revoke(actor=actor, honor=selectors.get_honor(actor, school, honor_id), reason=payload.reason)
    return selectors.get_honor(actor, school, honor_id)


@router.post(
    "/{code}/notices/{notice_id}/certificate-batches",
    response={201: BatchOut},
    summary="后台生成一份公示的全部证书（一个 PDF，或逐张打包的 zip）",
)
def request_batch(
    request: HttpRequest, code: str, notice_id: int, payload: BatchIn
) -> Status[CertificateBatch]:
    school, actor = school_or_404(code), actor_of(request)
    batch = services.request_batch(
        actor=actor, notice=get_notice(actor, school, notice_id), as_zip=payload.as_zip
    )
    batch.refresh_from_db()
    return Status(201, batch)


def _batch(actor: Actor, school: School, batch_id: int) -> CertificateBatch:
    require(services.can_issue(actor, school), services.ISSUE_MESSAGE)
    batch = CertificateBatch.objects.filter(school=school, pk=batch_id).first()
    if batch is None:
        raise NotFound(gettext("没有这批证书。"))
    return batch


@router.get("/{code}/certificate-batches/{batch_id}", response=BatchOut, summary="批量证书的进度")
def get_batch(request: HttpRequest, code: str, batch_id: int) -> CertificateBatch:
    return _batch(actor_of(request), school_or_404(code), batch_id)


@router.get("/{code}/certificate-batches/{batch_id}/file", summary="下载批量证书", response={200: None})
def batch_file(request: HttpRequest, code: str, batch_id: int) -> FileResponse:
    batch = _batch(actor_of(request), school_or_404(code), batch_id)
    if not batch.file:
        raise NotFound(gettext("证书还在生成中。"))
    kind = "application/zip" if batch.as_zip else "application/pdf"
    name = batch.file.name.rsplit("/", 1)[-1]
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=name, content_type=kind)


# --- prize money -------------------------------------------------------------------------------


@router.get(
    "/{code}/prize-ledger", response=list[LedgerLineOut], summary="奖金台账：预算、已承诺、已支付、余额"
)
def prize_ledger(request: HttpRequest, code: str) -> list[selectors.LedgerLine]:
    return selectors.ledger(actor_of(request), school_or_404(code))


@router.put(
    "/{code}/prize-budgets/{line_id}",
    response=BudgetOut,
    summary="设定奖金预算（超出方案金额即追加，须领导小组）",
)
def set_budget(request: HttpRequest, code: str, line_id: int, payload: BudgetIn) -> PrizeBudget:
    school = school_or_404(code)
    line = ResourceLine.objects.select_related("school").filter(school=school, pk=line_id).first()
    if line is None:
        raise NotFound(gettext("本校没有这个经费科目。"))
    budget = services.set_budget(actor=actor_of(request), line=line, amount=payload.amount)
    return PrizeBudget.objects.get(pk=budget.pk)


@router.post("/{code}/payables/{payable_id}/paid", response=PayableOut, summary="登记奖金已支付")
def mark_paid(request: HttpRequest, code: str, payable_id: int, payload: PaidIn) -> Payable:
    school = school_or_404(code)
    payable = Payable.objects.filter(school=school, pk=payable_id).first()
    if payable is None:
        raise NotFound(gettext("没有这笔奖金。"))
    return services.mark_paid(actor=actor_of(request), payable=payable, paid_on=payload.paid_on)


@router.get("/{code}/payables", response=list[PayableOut], summary="应付奖金明细")
@paginate(Pages, page_size=100)
def list_payables(request: HttpRequest, code: str) -> Any:
    school = school_or_404(code)
    require(can_read_school(actor_of(request), school), selectors.READ_MESSAGE)
    return Payable.objects.filter(school=school).order_by("pk")


# --- public: verification and the honor roll ---------------------------------------------------


@router.get(
    "/{code}/certificates/verify", response=VerifyOut, auth=None, summary="证书真伪查验（扫码所得的 c 参数）"
)
def verify(request: HttpRequest, code: str, c: str) -> dict[str, Any]:
    honor = selectors.verified(school_or_404(code), c)
    if honor is None:
        return {"verdict": "not_found"}
    verdict = "revoked" if honor.revoked_on else "genuine"
    return {
        "verdict": verdict, "number": honor.number, "name": honor.name, "unit": honor.unit,
        "award": honor.award_type.name, "issued_on": honor.issued_on, "revoked_on": honor.revoked_on,
        "revoked_reason": honor.revoked_reason if honor.revoked_on else None,
    }  # fmt: skip


@router.get(
    "/{code}/honor-roll/{year}", response=RollOut, auth=None, summary="光荣榜（只含已生效、未撤销的荣誉）"
)
def honor_roll(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    school = school_or_404(code)
    awards = [
        {
            "award": name,
            "honors": [
                {"name": h.name, "unit": h.unit, "citation": h.citation, "has_photo": bool(h.photo)}
                for h in honors
            ],
        }
        for name, honors in selectors.roll(school, year)
    ]
    return {"school": school.name, "year": year, "awards": awards}

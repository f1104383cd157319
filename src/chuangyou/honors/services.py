"""Issuing honors (gapless numbers, prize money within budget), revocation, budgets, seal, batches.

Numbers: a counter row per award type and year, locked with select_for_update, hands out serials in
the issuing transaction, so a rolled-back issue gives its numbers back and two issuers never share one.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.accounts.models import User
from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import ResourceLine
from chuangyou.honors import certificates
from chuangyou.honors.models import (
    BatchStatus,
    CertificateBatch,
    CertificateCounter,
    Honor,
    LongTermRecognition,
    LongTermRule,
    Payable,
    PrizeBudget,
    Seal,
)
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.lib.site import site_url
from chuangyou.lib.uploads import Readable, clean_upload
from chuangyou.nominations.models import AwardType, Nomination, NominationStatus, Notice
from chuangyou.nominations.services import is_final
from chuangyou.org.models import Role, School, Student
from chuangyou.org.rules import SYSTEM, Actor, can_manage_campaign, is_in_group, is_school_admin, require

ISSUE_MESSAGE = gettext_lazy("只有领导小组或学校管理员可以颁发和撤销荣誉。")
FINANCE_MESSAGE = gettext_lazy("只有工作小组、领导小组或学校管理员可以管理奖金。")


def can_issue(actor: Actor, school: School) -> bool:
    return is_school_admin(actor, school) or is_in_group(actor, school, Role.LEADING_GROUP)


def can_raise_budget(actor: Actor, school: School) -> bool:
    """Going beyond the budget is the leading group's call, and only theirs."""
    return actor.system or is_in_group(actor, school, Role.LEADING_GROUP)


BUREAU_ISSUE_MESSAGE = gettext_lazy("教育局级荣誉由本局管理员颁发和撤销。")


def can_issue_bureau(actor: Actor, bureau_id: int | None) -> bool:
    return actor.system or (bureau_id is not None and bureau_id in actor.bureau_ids())


def can_issue_honor(actor: Actor, honor: Honor) -> bool:
    """A school's honor: its leaders; a bureau award's honor: the bureau admin who issued it."""
    if honor.award_type.bureau_id is not None:
        return can_issue_bureau(actor, honor.award_type.bureau_id)
    return can_issue(actor, honor.school)


def format_number(award: AwardType, school: School, year: int, serial: int) -> str:
    return award.number_pattern.format(
        year=year, school=school.code, bureau=school.bureau.code, award=award.code, serial=serial
    )


def committed(budget: PrizeBudget) -> Decimal:
    total = budget.payables.filter(cancelled=False).aggregate(s=Sum("amount"))["s"]
    return total or Decimal(0)


@transaction.atomic
def issue_notice(*, actor: Actor, notice: Notice, today: dt.date | None = None) -> list[Honor]:
    """Issue every final, not yet issued honor of a notice in one step: numbers, payables, audit."""
    today = today or timezone.localdate()
    if notice.bureau_id is not None:
        # 教育局公示: the bureau admin issues; each honor is its nominee's school's row, numbered per
        # award and year across the bureau's schools.
        require(can_issue_bureau(actor, notice.bureau_id), BUREAU_ISSUE_MESSAGE)
    else:
        assert notice.school is not None
        require(can_issue(actor, notice.school), ISSUE_MESSAGE)
    person = _person(actor)
    if today <= notice.ends_on:
        raise Conflict(
            gettext("公示期至 %(ends_on)s 结束，公示期满后才能颁发。")
            % {"ends_on": format(notice.ends_on, "%Y-%m-%d")}
        )
    noms = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(notice=notice, status=NominationStatus.SELECTED, honor__isnull=True)
        .select_related("award_type", "notice", "student", "staff", "school__bureau")
        .prefetch_related("objections")
        .order_by("award_type_id", "pk")
    )
    final = [n for n in noms if is_final(n, today)]
    if not final:
        raise Conflict(gettext("没有可以颁发的荣誉：名单已全部颁发，或仍有未办结的异议。"))
    budgets = _require_budget(final)
    year = today.year
    honors = []
    by_award: dict[int, list[Nomination]] = defaultdict(list)
    for n in final:
        by_award[n.award_type_id].append(n)
    for award_id, group in by_award.items():
        award = group[0].award_type
        counter, _ = CertificateCounter.objects.get_or_create(award_type_id=award_id, year=year)
        counter = CertificateCounter.objects.select_for_update(of=("self",)).get(pk=counter.pk)
        for n in group:
            school = n.school
            counter.last += 1
            honor = Honor.objects.create(
                school=school,
                campaign_id=n.campaign_id,
                nomination=n,
                award_type=award,
                student=n.student,
                staff=n.staff,
                name=n.nominee_name,
                unit=n.unit,
                year=year,
                serial=counter.last,
                number=format_number(award, school, year, counter.last),
                issued_on=today,
                issued_by=person,
            )
            if award.prize > 0 and award.budget_line_id is not None:
                Payable.objects.create(
                    school=school, budget=budgets[award.budget_line_id], honor=honor, amount=award.prize
                )
            record(actor, change_for("honor.issue", honor, school_id=school.pk, after=snapshot(honor)))
            honors.append(honor)
        counter.save(update_fields=["last"])
    return honors


def _person(actor: Actor) -> User:
    if actor.user is None:
        raise Invalid(gettext("这一步须由具体的人完成，系统不能代为颁发或确认。"))
    return actor.user


def _require_budget(final: list[Nomination]) -> dict[int, PrizeBudget]:
    """Lock and check each budget line the prizes come from; returns the locked budgets by line id."""
    need: dict[int, Decimal] = defaultdict(Decimal)
    lines: dict[int, ResourceLine] = {}
    for n in final:
        award = n.award_type
        if award.prize <= 0:
            continue
        if award.budget_line is None:
            raise Invalid(
                gettext("「%(award_name)s」设有奖金，但没有指定经费科目，请先在奖项设置中指定。")
                % {"award_name": award.name}
            )
        need[award.budget_line.pk] += award.prize
        lines[award.budget_line.pk] = award.budget_line
    budgets = {}
    for line_id in sorted(need):  # a fixed lock order: two issuers never deadlock
        budget = PrizeBudget.objects.select_for_update(of=("self",)).filter(line_id=line_id).first()
        name = lines[line_id].name
        if budget is None:
            raise Invalid(gettext("经费科目「%(name)s」还没有设定奖金预算，请先设定预算。") % {"name": name})
        budgets[line_id] = budget
        used = committed(budget)
        if used + need[line_id] > budget.amount:
            raise Conflict(
                gettext(
                    "奖金预算不足：「%(name)s」预算 %(budget)s 元，已承诺 %(used)s 元，本次需 %(need)s 元，"
                    "超出 %(over)s 元。请领导小组追加预算后再颁发。"
                )
                % {
                    "name": name,
                    "budget": budget.amount,
                    "used": used,
                    "need": need[line_id],
                    "over": used + need[line_id] - budget.amount,
                }
            )
    return budgets


@transaction.atomic
def revoke(*, actor: Actor, honor: Honor, reason: str, today: dt.date | None = None) -> Honor:
    h = Honor.objects.select_for_update(of=("self",)).select_related("school", "award_type").get(pk=honor.pk)
    require(can_issue_honor(actor, h), BUREAU_ISSUE_MESSAGE if h.award_type.bureau_id else ISSUE_MESSAGE)
    if h.revoked_on is not None:
        raise Conflict(gettext("这项荣誉已经撤销。"))
    if not reason.strip():
        raise Invalid(gettext("撤销须写明原因。"), {"reason": [gettext("必填。")]})
    before = snapshot(h, ["revoked_on", "revoked_reason"])
    h.revoked_on, h.revoked_reason = today or timezone.localdate(), reason.strip()[:300]
    h.save(update_fields=["revoked_on", "revoked_reason"])
    Payable.objects.filter(honor=h, paid_on__isnull=True).update(cancelled=True)
    record(
        actor,
        change_for(
            "honor.revoke",
            h,
            school_id=h.school_id,
            before=before,
            after=snapshot(h, ["revoked_on", "revoked_reason"]),
        ),
    )
    return h


@transaction.atomic
def set_budget(*, actor: Actor, line: ResourceLine, amount: Decimal) -> PrizeBudget:
    """Set the prize budget of a 经费 line up to its planned amount; above it only a leader may go."""
    school = line.school
    require(can_manage_campaign(actor, school), FINANCE_MESSAGE)
    if line.kind != "funds":
        raise Invalid(gettext("只有经费类的资源项可以作为奖金预算。"))
    budget = PrizeBudget.objects.select_for_update(of=("self",)).filter(line=line).first()
    planned = line.amount or Decimal(0)
    if amount > planned and not can_raise_budget(actor, school):
        raise Conflict(
            gettext("奖金预算不能超过方案中该经费项的金额 %(planned)s 元；追加预算须由领导小组决定。")
            % {"planned": planned}
        )
    if amount < 0:
        raise Invalid(gettext("预算不能为负数。"))
    if budget is not None and amount < committed(budget):
        raise Conflict(
            gettext("预算不能低于已承诺的奖金 %(committed)s 元。") % {"committed": committed(budget)}
        )
    before = snapshot(budget) if budget else None
    if budget is None:
        budget = PrizeBudget.objects.create(school=school, line=line, amount=amount)
    else:
        budget.amount = amount
        budget.save(update_fields=["amount"])
    action = "prize_budget.raise" if amount > planned else "prize_budget.set"
    record(actor, change_for(action, budget, school_id=school.pk, before=before, after=snapshot(budget)))
    return budget


@transaction.atomic
def mark_paid(*, actor: Actor, payable: Payable, paid_on: dt.date) -> Payable:
    p = Payable.objects.select_for_update(of=("self",)).select_related("school").get(pk=payable.pk)
    require(can_manage_campaign(actor, p.school), FINANCE_MESSAGE)
    if p.cancelled or p.paid_on is not None:
        raise Conflict(gettext("这笔奖金已支付或已取消。"))
    p.paid_on = paid_on
    p.save(update_fields=["paid_on"])
    record(actor, change_for("payable.paid", p, school_id=p.school_id, after=snapshot(p, ["paid_on"])))
    return p


@transaction.atomic
def upload_seal(*, actor: Actor, school: School, name: str, data: Readable) -> Seal:
    require(is_school_admin(actor, school), gettext("只有学校管理员可以上传公章图片。"))
    clean = clean_upload(
        name=name, data=data, allowed=("png", "jpg", "jpeg"), max_bytes=2 * 1024 * 1024, field="image"
    )
    seal = Seal.objects.filter(school=school).first() or Seal(school=school)
    seal.image.save(clean.name, ContentFile(clean.content), save=False)
    seal.save()
    record(actor, change_for("seal.upload", seal, school_id=school.pk, after=snapshot(seal)))
    return seal


@transaction.atomic
def set_citation(
    *, actor: Actor, honor: Honor, citation: str, photo: tuple[str, object] | None = None
) -> Honor:
    h = Honor.objects.select_for_update(of=("self",)).select_related("school").get(pk=honor.pk)
    require(
        can_manage_campaign(actor, h.school), gettext("只有工作小组、领导小组或学校管理员可以编辑光荣榜。")
    )
    h.citation = citation.strip()[:300]
    if photo is not None:
        clean = clean_upload(name=photo[0], data=photo[1], allowed=("jpg", "jpeg", "png"))  # type: ignore[arg-type]
        h.photo.save(clean.name, ContentFile(clean.content), save=False)
    h.save()
    record(
        actor,
        change_for("honor.citation", h, school_id=h.school_id, after=snapshot(h, ["citation", "photo"])),
    )
    return h


@transaction.atomic
def request_batch(*, actor: Actor, notice: Notice, as_zip: bool) -> CertificateBatch:
    from chuangyou.honors.tasks import build_batch

    if notice.school is None:
        require(can_issue_bureau(actor, notice.bureau_id), BUREAU_ISSUE_MESSAGE)
        raise Conflict(gettext("教育局公示的证书请在各人的证书页下载；批量生成只用于学校的公示。"))
    require(can_issue(actor, notice.school), ISSUE_MESSAGE)
    total = Honor.objects.filter(nomination__notice=notice).count()
    if total == 0:
        raise Conflict(gettext("这份公示的荣誉还没有颁发，没有证书可生成。"))
    batch = CertificateBatch.objects.create(
        school=notice.school,
        notice=notice,
        as_zip=as_zip,
        total=total,
        requested_by=_person(actor),
    )
    record(
        actor,
        change_for("certificate_batch.request", batch, school_id=notice.school_id, after=snapshot(batch)),
    )
    base_url = site_url()  # the task has no request: its QR codes use the address the batch came from
    transaction.on_commit(lambda: build_batch.enqueue(batch.pk, base_url=base_url))
    return batch


RULE_MESSAGE = gettext_lazy("只有工作小组、领导小组或学校管理员可以设置长期荣誉规则。")


@transaction.atomic
def create_long_term_rule(*, actor: Actor, award: AwardType, years: int, title: str) -> LongTermRule:
    """荣誉体系: `years` consecutive years of `award` earn `title`; the system proposes, a person confirms."""
    if award.school is None:
        raise Invalid(gettext("长期荣誉规则只能基于本校的奖项。"))
    require(can_manage_campaign(actor, award.school), RULE_MESSAGE)
    if not 2 <= years <= 12:
        raise Invalid(gettext("连续年数应在 2 到 12 之间。"), {"years": [gettext("年数有误。")]})
    title = title.strip()
    if not title:
        raise Invalid(gettext("请填写称号。"), {"title": [gettext("必填。")]})
    rule = LongTermRule.objects.create(school=award.school, award_type=award, years=years, title=title)
    record(actor, change_for("long_term_rule.create", rule, school_id=rule.school_id, after=snapshot(rule)))
    return rule


@transaction.atomic
def confirm_long_term(*, actor: Actor, rule: LongTermRule, student: Student) -> LongTermRecognition:
    """Confirm a candidate the system proposed. The years are recomputed from the honors, never typed."""
    from chuangyou.honors.selectors import qualifying_years

    require(can_issue(actor, rule.school), ISSUE_MESSAGE)
    if student.school_id != rule.school_id:
        raise NotFound(gettext("没有这名学生。"))
    if LongTermRecognition.objects.filter(rule=rule, student=student).exists():
        raise Conflict(
            gettext("%(student)s 已获得「%(title)s」。") % {"student": student.name, "title": rule.title}
        )
    years = qualifying_years(rule, student.pk)
    if years is None:
        raise Invalid(
            gettext("%(student)s 没有连续 %(years)s 年获得「%(award)s」，不符合「%(title)s」。")
            % {
                "student": student.name,
                "years": rule.years,
                "award": rule.award_type.name,
                "title": rule.title,
            }
        )
    rec = LongTermRecognition.objects.create(
        school_id=rule.school_id, rule=rule, student=student, years_text="、".join(str(y) for y in years),
        confirmed_by=_person(actor), confirmed_on=timezone.localdate(),
    )  # fmt: skip
    record(actor, change_for("long_term.confirm", rec, school_id=rule.school_id, after=snapshot(rec)))
    return rec


def certificate_data(honor: Honor) -> certificates.CertificateData:
    d = honor.issued_on
    return certificates.CertificateData(
        title=honor.award_type.name,
        name=honor.name,
        unit=honor.unit,
        reason=honor.award_type.certificate_reason,
        issuer=issuer_name(honor),
        date_text=f"{d.year}年{d.month}月{d.day}日",
        number=honor.number,
        url=certificates.verify_url(honor.school.code, honor.number),
    )


def issuer_name(honor: Honor) -> str:
    """The certificate's issuer: the bureau for a bureau award, else the school."""
    bureau = honor.award_type.bureau
    return bureau.name if bureau is not None else honor.school.name


def seal_for(honor: Honor) -> bytes:
    """A bureau award's certificate carries the bureau's seal (drawn: bureaus upload none here)."""
    bureau = honor.award_type.bureau
    if bureau is not None:
        return certificates.drawn_seal(bureau.name)
    return seal_png(honor.school)


def seal_png(school: School) -> bytes:
    seal = Seal.objects.filter(school=school).first()
    if seal is not None:
        with seal.image.open("rb") as f:
            return f.read()
    return certificates.drawn_seal(school.name)


def write_batch(*, batch_id: int) -> CertificateBatch:
    """Write a requested batch's file. Run by the task. The outcome (the file, or the failure) is
    audited; the running count of certificates written is progress for the page, not a change."""
    batch = CertificateBatch.objects.select_related("school").get(pk=batch_id)
    CertificateBatch.objects.filter(pk=batch_id).update(status=BatchStatus.RUNNING)
    honors = list(
        Honor.objects.filter(nomination__notice_id=batch.notice_id)
        .select_related("award_type", "school")
        .order_by("award_type_id", "serial")
    )
    try:
        seal = seal_png(batch.school)
        if batch.as_zip:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                for i, honor in enumerate(honors, 1):
                    zf.writestr(f"{honor.number}.pdf", certificates.render([certificate_data(honor)], seal))
                    CertificateBatch.objects.filter(pk=batch_id).update(done=i)
            content, name = out.getvalue(), f"certificates-{batch.notice_id}.zip"
        else:
            items = []
            for i, honor in enumerate(honors, 1):
                items.append(certificate_data(honor))
                CertificateBatch.objects.filter(pk=batch_id).update(done=i)
            content, name = certificates.render(items, seal), f"certificates-{batch.notice_id}.pdf"
    except Exception as exc:
        with transaction.atomic():
            CertificateBatch.objects.filter(pk=batch_id).update(
                status=BatchStatus.FAILED, error=str(exc)[:300]
            )
            batch.refresh_from_db()
            record(SYSTEM, change_for("certificate_batch.fail", batch, school_id=batch.school_id,
                                      after=snapshot(batch, ["status", "done", "error"])))  # fmt: skip
        raise
    with transaction.atomic():
        batch.refresh_from_db()
        batch.file.save(name, ContentFile(content), save=False)
        batch.status, batch.done = BatchStatus.DONE, len(honors)
        batch.save(update_fields=["file", "status", "done"])
        record(SYSTEM, change_for("certificate_batch.complete", batch, school_id=batch.school_id,
                                  after=snapshot(batch, ["status", "done", "file"])))  # fmt: skip
    return batch

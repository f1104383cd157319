"""Reads for honors: the office's list, the prize ledger, the public roll and the verification lookup."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from chuangyou.honors import certificates
from chuangyou.honors.models import Honor, PrizeBudget
from chuangyou.lib.strokes import by_strokes
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_read_school, require

READ_MESSAGE = "您没有权限查看本校的表彰。"
CENT = Decimal("0.01")


def honors_for(actor: Actor, school: School) -> QuerySet[Honor]:
    require(can_read_school(actor, school), READ_MESSAGE)
    return Honor.objects.filter(school=school).select_related("award_type").order_by("-pk")


@dataclass(frozen=True)
class LedgerLine:
    line_id: int
    name: str
    budget: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal


def ledger(actor: Actor, school: School) -> list[LedgerLine]:
    """Per 经费 line: budget, committed (issued, not cancelled), paid, remaining. One query."""
    require(can_read_school(actor, school), READ_MESSAGE)
    live = Q(payables__cancelled=False)
    budgets = (
        PrizeBudget.objects.filter(school=school)
        .select_related("line")
        .annotate(
            committed=Sum("payables__amount", filter=live),
            paid=Sum("payables__amount", filter=live & Q(payables__paid_on__isnull=False)),
        )
        .order_by("line_id")
    )
    rows = []
    for b in budgets:
        # Sums come back as 200 on SQLite and 200.00 on PostgreSQL: the ledger shows yuan and fen.
        done, paid = (Decimal(v or 0).quantize(CENT) for v in (b.committed, b.paid))
        rows.append(LedgerLine(b.line_id, b.line.name, b.amount, done, paid, b.amount - done))
    return rows


def roll(school: School, year: int) -> list[tuple[str, list[Honor]]]:
    """The public 光荣榜: issued (hence final), not revoked; names in 姓氏笔画 order within each award."""
    honors = Honor.objects.filter(school=school, campaign__year=year, revoked_on__isnull=True).select_related(
        "award_type"
    )
    groups: dict[str, list[Honor]] = defaultdict(list)
    for h in honors.order_by("award_type_id"):
        groups[h.award_type.name].append(h)
    return [(name, by_strokes(items, lambda h: h.name)) for name, items in groups.items()]


def verified(school: School, token: str) -> Honor | None:
    """The honor a QR token names, or None for a forged number or an edited token."""
    number = certificates.unsign_number(token)
    if not number:
        return None
    return Honor.objects.select_related("award_type").filter(school=school, number=number).first()

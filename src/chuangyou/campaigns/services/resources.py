"""Resources and budget (经费与物资): the lines of a campaign's plan and their total."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import (
    Campaign,
    ResourceKind,
    ResourceLine,
)
from chuangyou.campaigns.services.shared import (
    _require_manage,
)
from chuangyou.lib.errors import Invalid
from chuangyou.lib.validation import clean_text
from chuangyou.org.rules import Actor

# --- resources and budget ----------------------------------------------------------------------


def _yuan(amount: Decimal | None) -> Decimal | None:
    """An amount in yuan to the fen, as it is stored."""
    return None if amount is None else amount.quantize(Decimal("0.01"))


def _check_resource(kind: str, amount: Decimal | None) -> None:
    if kind not in ResourceKind.values:
        raise Invalid(
            gettext("请选择类别：场地、物资或经费。"), {"kind": [gettext("请选择类别：场地、物资或经费。")]}
        )
    if amount is not None and amount < 0:
        raise Invalid(gettext("金额不能为负数。"), {"amount": [gettext("金额不能为负数。")]})
    if kind == ResourceKind.FUNDS and amount is None:
        raise Invalid(gettext("经费须填写金额。"), {"amount": [gettext("经费须填写金额。")]})


def add_resource(
    *,
    actor: Actor,
    campaign: Campaign,
    kind: str,
    name: str,
    quantity: str = "",
    amount: Decimal | None = None,
    notes: str = "",
) -> ResourceLine:
    _require_manage(actor, campaign.school)
    name = clean_text(name, field="name", label=gettext("名称"), max_length=120)
    _check_resource(kind, amount)
    amount = _yuan(amount)
    with transaction.atomic():
        line = ResourceLine.objects.create(
            school_id=campaign.school_id,
            campaign=campaign,
            kind=kind,
            name=name,
            quantity=quantity.strip(),
            amount=amount,
            notes=notes.strip(),
        )
        record(actor, change_for("resource.create", line, school_id=campaign.school_id, after=snapshot(line)))
    return line


def update_resource(
    *,
    actor: Actor,
    line: ResourceLine,
    kind: str,
    name: str,
    quantity: str,
    amount: Decimal | None,
    notes: str,
) -> ResourceLine:
    _require_manage(actor, line.school)
    name = clean_text(name, field="name", label=gettext("名称"), max_length=120)
    _check_resource(kind, amount)
    amount = _yuan(amount)
    with transaction.atomic():
        locked = ResourceLine.objects.select_for_update().get(pk=line.pk)
        before = snapshot(locked)
        locked.kind, locked.name, locked.quantity = kind, name, quantity.strip()
        locked.amount, locked.notes = amount, notes.strip()
        locked.save(update_fields=["kind", "name", "quantity", "amount", "notes"])
        record(
            actor,
            change_for(
                "resource.update", locked, school_id=locked.school_id, before=before, after=snapshot(locked)
            ),
        )
    return locked


def delete_resource(*, actor: Actor, line: ResourceLine) -> None:
    _require_manage(actor, line.school)
    with transaction.atomic():
        record(actor, change_for("resource.delete", line, school_id=line.school_id, before=snapshot(line)))
        ResourceLine.objects.filter(pk=line.pk).delete()

"""Forms of the bureau's nomination pages. The services check everything; these only shape the input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
from chuangyou.nominations.forms import NoticeForm
from chuangyou.nominations.models import BUREAU_PATTERN, Nomination, NomineeKind, QuotaKind, QuotaUnit

REASON = "在创先争优活动中表现突出，特授予此荣誉，以资鼓励。"


class BureauAwardTypeForm(StyledForm):
    """教育局级奖项: places per school, or across the bureau with a per-school send-up quota."""

    name = forms.CharField(label=_("奖项名称"), max_length=60)
    code = forms.CharField(
        label=_("证书编号中的奖项代码"), max_length=10, help_text=_("如 XJ（县级优秀学生）")
    )
    for_kind = forms.ChoiceField(label=_("表彰对象"), choices=NomineeKind.choices)
    quota_unit = forms.ChoiceField(
        label=_("名额范围"),
        choices=[(QuotaUnit.BUREAU, _("全局（各校合计）")), (QuotaUnit.SCHOOL, _("每校"))],
    )
    quota_kind = forms.ChoiceField(label=_("名额方式"), choices=QuotaKind.choices, initial=QuotaKind.COUNT)
    quota_value = forms.DecimalField(
        label=_("名额（人数或比例）"),
        max_digits=6,
        decimal_places=3,
        help_text=_("人数如 2；比例如 0.2 即 20%（全局名额只能是人数）"),
    )
    school_send_quota = forms.IntegerField(
        label=_("每校报送名额"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("按全局名额评选时必填：每所学校最多报送的人数"),
    )
    shortlist_ratio = forms.DecimalField(
        label=_("差额比例"),
        max_digits=4,
        decimal_places=2,
        initial=Decimal("1.20"),
        help_text=_("如 1.2 即 1:1.2"),
    )
    number_pattern = forms.CharField(
        label=_("证书编号格式"),
        max_length=60,
        initial=BUREAU_PATTERN,
        help_text=_("可用 {year}、{bureau}、{award}、{serial:04d}；按全局连续编号"),
    )
    certificate_reason = forms.CharField(label=_("证书表彰语"), max_length=120, initial=REASON)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class RescoreForm(StyledForm):
    score = forms.DecimalField(label=_("评分"), max_digits=6, decimal_places=2, min_value=Decimal(0))
    reason = forms.CharField(label=_("评分说明"), max_length=200)


class BureauDecideForm(StyledForm):
    action = forms.ChoiceField(
        label=_("决定"), choices=[("select", _("确定入选")), ("decline", _("不予入选"))]
    )
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class BureauNoticeForm(NoticeForm):
    """The school's notice form, plus the year: a bureau notice belongs to the bureau and a year."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    field_order = ["year", "title", "basis", "starts_on", "working_days", "office", "phone", "address"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nominations"]
        field.label_from_instance = _nominee_label  # type: ignore[attr-defined]


def _nominee_label(n: Nomination) -> str:
    return f"{n.nominee_name}（{n.school.name} · {n.unit}）· {n.award_type.name} · {n.campaign.year}"

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangyou.campaigns.models import ResourceLine
from chuangyou.forms import StyledForm
from chuangyou.nominations.models import (
    DEFAULT_PATTERN,
    AwardType,
    ExamKind,
    GateKind,
    Level,
    Nomination,
    NomineeKind,
    ObjectionStatus,
    ProposalSource,
    QuotaKind,
    QuotaUnit,
)
from chuangyou.org.models import Student

TOKEN_SALT = "chuangyou.nominations.objection-form"  # noqa: S105 - a signing salt, not a secret
MIN_FORM_SECONDS = 3  # a person reads and types; a bot posts at once
MAX_FORM_SECONDS = 3600


class NominateForm(StyledForm):
    award = forms.ModelChoiceField(label=_("奖项"), queryset=AwardType.objects.none())
    student = forms.ModelChoiceField(label=_("被推荐学生"), queryset=Student.objects.none())
    story = forms.CharField(
        label=_("事迹材料"),
        widget=forms.Textarea(attrs={"rows": 10, "data-counter": "story-count"}),
        help_text=_("约 1500 字"),
    )

    def __init__(self, *args: Any, awards: Any, students: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards  # type: ignore[attr-defined]
        self.fields["student"].queryset = students  # type: ignore[attr-defined]


class DecideForm(StyledForm):
    action = forms.ChoiceField(
        label=_("决定"),
        choices=[("advance", _("推荐至上一级")), ("select", _("确定入选")), ("decline", _("不予推荐"))],
    )
    reason = forms.CharField(label=_("理由"), max_length=300)


class NoticeForm(StyledForm):
    title = forms.CharField(label=_("公示标题"), max_length=120)
    basis = forms.CharField(label=_("评选依据"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    working_days = forms.IntegerField(label=_("公示期（工作日）"), initial=5, min_value=1, max_value=30)
    office = forms.CharField(label=_("受理部门"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    address = forms.CharField(label=_("地址"), max_length=200)
    nominations = forms.ModelMultipleChoiceField(
        label=_("公示名单"), queryset=Nomination.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["nominations"].widget.attrs["class"] = ""
        # the service refuses a backdated notice; the date picker offers none
        today = timezone.localdate()
        self.fields["starts_on"].widget.attrs["min"] = today.isoformat()
        self.fields["starts_on"].initial = today


def new_token() -> str:
    """A signed, timestamped nonce for one objection form: a replay of it is refused (the view spends it
    through the limiter's first_use), and two forms opened in the same second differ."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(secrets.token_urlsafe(12))


class ObjectionForm(StyledForm):
    nomination = forms.ModelChoiceField(label=_("对谁提出异议"), queryset=Nomination.objects.none())
    anonymous = forms.BooleanField(label=_("匿名提出"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    organization = forms.CharField(
        label=_("单位名称（以单位名义提出时填写）"), max_length=100, required=False
    )
    grounds = forms.CharField(label=_("异议的事实和理由"), widget=forms.Textarea(attrs={"rows": 6}))
    evidence = forms.FileField(label=_("证据（图片或 PDF，可选）"), required=False)
    token = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(label=_("请勿填写"), required=False)  # honeypot, hidden by CSS

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = candidates  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["token"] = new_token()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("提交失败，请刷新页面后重试。"))
        signer = signing.TimestampSigner(salt=TOKEN_SALT)
        try:
            signer.unsign(data.get("token", ""), max_age=MAX_FORM_SECONDS)
        except signing.SignatureExpired as exc:
            raise forms.ValidationError(_("页面打开太久，已失效，请刷新页面后重新填写。")) from exc
        except signing.BadSignature as exc:
            raise forms.ValidationError(_("提交失败，请刷新页面后重试。")) from exc
        try:
            signer.unsign(data.get("token", ""), max_age=MIN_FORM_SECONDS)
        except signing.SignatureExpired:
            return data  # old enough: a person filled it in
        raise forms.ValidationError(_("提交太快了，请核对内容后再提交。"))


class ReplyLookupForm(StyledForm):
    code = forms.CharField(label=_("查询码"), max_length=20)


class StepForm(StyledForm):
    """One handling step: only the moves allowed from the objection's current state are offered."""

    to_status = forms.ChoiceField(label=_("办理环节"))
    note = forms.CharField(label=_("办理记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reply = forms.CharField(
        label=_("给异议人的答复"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deferred_until = forms.DateField(
        label=_("暂缓至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, current: str, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        choices = [(value, ObjectionStatus(value).label) for value in allowed]
        field.choices = choices  # type: ignore[attr-defined]
        message = _("这件异议现在是「%(current)s」，只能转为：%(allowed)s。")
        allowed_labels = "、".join(str(label) for _value, label in choices)
        field.error_messages["invalid_choice"] = message % {
            "current": ObjectionStatus(current).label,
            "allowed": allowed_labels,
        }
        self.fields["reply"].help_text = _("写明后即作为给异议人的答复，异议人凭查询码可以看到。")


class AwardTypeForm(StyledForm):
    """奖项设置. The bureau level is the bureau's to set, so a school's form offers the three below it."""

    name = forms.CharField(label=_("奖项名称"), max_length=60)
    code = forms.CharField(label=_("证书编号中的奖项代码"), max_length=10, help_text=_("如 SH（三好学生）"))
    level = forms.ChoiceField(label=_("评定层级"), choices=[c for c in Level.choices if c[0] != Level.BUREAU])
    for_kind = forms.ChoiceField(label=_("表彰对象"), choices=NomineeKind.choices)
    quota_kind = forms.ChoiceField(label=_("名额方式"), choices=QuotaKind.choices)
    quota_value = forms.DecimalField(
        label=_("名额（人数或比例）"),
        max_digits=6,
        decimal_places=3,
        help_text=_("人数如 2；比例如 0.2 即 20%"),
    )
    quota_unit = forms.ChoiceField(
        label=_("名额范围"), choices=[c for c in QuotaUnit.choices if c[0] != QuotaUnit.BUREAU]
    )
    shortlist_ratio = forms.DecimalField(
        label=_("差额比例"),
        max_digits=4,
        decimal_places=2,
        initial=Decimal("1.20"),
        help_text=_("如 1.2 即 1:1.2"),
    )
    prize = forms.DecimalField(label=_("每人奖金（元）"), max_digits=10, decimal_places=2, initial=Decimal(0))
    budget_line = forms.ModelChoiceField(
        label=_("经费科目"), queryset=ResourceLine.objects.none(), required=False
    )
    number_pattern = forms.CharField(
        label=_("证书编号格式"),
        max_length=60,
        initial=DEFAULT_PATTERN,
        help_text=_("可用 {year}、{school}、{award}、{serial:04d}"),
    )
    certificate_reason = forms.CharField(
        label=_("证书表彰语"), max_length=120, initial="在创先争优活动中表现突出，特授予此荣誉，以资鼓励。"
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    proposal_source = forms.ChoiceField(
        label=_("由系统依据数据提名"),
        choices=[("", _("不提名（由人推荐）")), *ProposalSource.choices],
        required=False,
    )

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines  # type: ignore[attr-defined]


class GateForm(StyledForm):
    kind = forms.ChoiceField(label=_("条件类型"), choices=GateKind.choices)
    value = forms.DecimalField(label=_("N"), min_value=Decimal(0), max_digits=7, decimal_places=1)
    level = forms.ChoiceField(
        label=_("荣誉级别（仅“此前获得荣誉”条件）"),
        choices=Level.choices,
        initial=Level.SCHOOL,
        required=False,
    )

    def params(self) -> dict[str, Any]:
        kind, value = self.cleaned_data["kind"], self.cleaned_data["value"]
        if kind == GateKind.MIN_PRIOR_HONORS:
            return {"count": int(value), "level": self.cleaned_data["level"] or Level.SCHOOL}
        if kind == GateKind.MIN_VOLUNTEER_HOURS:
            return {"hours": str(value.normalize())}
        return {"years": int(value)}


class ExamImportForm(StyledForm):
    year = forms.IntegerField(label=_("活动年度"), min_value=2000, max_value=2100)
    term = forms.CharField(label=_("学期"), max_length=40, help_text=_("例如：2026 秋季学期"))
    kind = forms.ChoiceField(label=_("考试"), choices=ExamKind.choices)
    file = forms.FileField(
        label=_("成绩表（.xlsx）"),
        help_text=_("第一行为列名：学号、姓名、科目、成绩；每行一名学生的一科成绩。"),
    )

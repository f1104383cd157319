"""Forms of the evaluation pages: shapes only; the services check the rules."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.evaluations.models import GroupKind, Source, SubjectType, Visibility
from chuangyou.evaluations.rubrics import LEVEL_SCALES, PRESETS
from chuangyou.forms import StyledForm
from chuangyou.org.models import Role


def _moment() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EvaluationForm(StyledForm):
    title = forms.CharField(label=_("评议名称"), max_length=120)
    subject_type = forms.ChoiceField(label=_("评议对象"), choices=SubjectType.choices)
    preset = forms.ChoiceField(label=_("评价标准模板"), choices=[(k, v[0]) for k, v in PRESETS.items()])
    opens_at = forms.DateTimeField(label=_("投票开始"), widget=_moment())
    closes_at = forms.DateTimeField(label=_("投票截止"), widget=_moment())
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    visibility = forms.ChoiceField(
        label=_("结果查阅范围"),
        choices=[("", _("按评议对象默认（对个人的评议：领导小组；其他：公开）")), *Visibility.choices],
        required=False,
        help_text=_("对教师、党员、学生个人的评议结果不能公开。"),
    )


class VisibilityForm(StyledForm):
    visibility = forms.ChoiceField(label=_("结果查阅范围"), choices=Visibility.choices)


class GroupForm(StyledForm):
    kind = forms.ChoiceField(label=_("评议主体"), choices=GroupKind.choices)
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_digits=6, decimal_places=2, initial=1)
    source = forms.ChoiceField(label=_("成员来源"), choices=Source.choices)
    role = forms.ChoiceField(label=_("角色"), choices=[("", "—"), *Role.choices], required=False)
    school_class = forms.TypedChoiceField(label=_("班级"), coerce=int, required=False, empty_value=None)
    party_branch = forms.TypedChoiceField(label=_("党支部"), coerce=int, required=False, empty_value=None)


def _secret(**attrs: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": "off", **attrs})


class OpenVotingForm(StyledForm):
    """开始投票, with the supervision group's optional passphrase typed twice."""

    passphrase = forms.CharField(
        label=_("监督小组口令（可选）"),
        required=False,
        strip=False,
        max_length=200,
        widget=_secret(),
        help_text=_(
            "由监督小组设定，至少 8 个字符。设置后，截止投票时须输入这个口令或恢复码才能开启选票："
            "掌握服务器密钥和数据库的人没有它也看不到选票内容。不设置则和以前一样。"
        ),
    )
    passphrase_confirm = forms.CharField(
        label=_("再次输入监督小组口令"), required=False, strip=False, max_length=200, widget=_secret()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase", "") != data.get("passphrase_confirm", ""):
            self.add_error("passphrase_confirm", _("两次输入的口令不一致。"))
        return data


class CloseVotingForm(StyledForm):
    """截止投票 of a vote locked with a passphrase: the passphrase, or the recovery code instead."""

    passphrase = forms.CharField(
        label=_("监督小组口令"), required=False, strip=False, max_length=200, widget=_secret()
    )
    recovery_code = forms.CharField(
        label=_("恢复码"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("忘了口令时，填开始投票时打印或抄下的恢复码（不区分大小写，可不写短横线），口令留空。"),
    )


class CodesForm(StyledForm):
    count = forms.IntegerField(label=_("投票码数量"), min_value=1, max_value=2000, initial=10)


class ReceiptForm(StyledForm):
    receipt = forms.CharField(label=_("回执码"), max_length=20)


class CodeForm(StyledForm):
    code = forms.CharField(label=_("投票码"), max_length=20)


class WindowForm(StyledForm):
    """The voting window of an evaluation built in one step."""

    opens_at = forms.DateTimeField(label=_("投票开始"), widget=_moment())
    closes_at = forms.DateTimeField(label=_("投票截止"), widget=_moment())


SCALE_CHOICES = [("points", _("分数")), *((key, label) for key, (label, _levels) in LEVEL_SCALES.items())]


class CriterionForm(StyledForm):
    """One criterion of a draft rubric. Weights are exact: "1", "0.2" or "1/5"."""

    title = forms.CharField(label=_("指标"), max_length=60)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    weight = forms.CharField(label=_("权重"), max_length=12, initial="1")
    scale = forms.ChoiceField(label=_("量表"), choices=SCALE_CHOICES)
    low = forms.IntegerField(label=_("最低分"), required=False, initial=0)
    high = forms.IntegerField(label=_("最高分"), required=False, initial=100)

    def clean_weight(self) -> str:
        raw = self.cleaned_data["weight"].strip()
        try:
            value = Fraction(raw)
        except (ValueError, ZeroDivisionError) as exc:
            raise forms.ValidationError(_("权重须为数字或分数，如 1、0.2、1/5。")) from exc
        if value < 0:
            raise forms.ValidationError(_("权重不能为负数。"))
        return raw


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)

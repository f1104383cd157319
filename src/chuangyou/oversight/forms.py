from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.audit.display import action_label, object_type_label
from chuangyou.forms import StyledForm
from chuangyou.oversight.selectors import AuditFilter


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(StyledForm):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=120)
    action = forms.ChoiceField(label=_("操作"), required=False)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=40)
    q = forms.CharField(label=_("对象名称"), required=False, max_length=200)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)

    def __init__(self, *args: Any, actions: list[str], object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", _("全部操作")),
            *((a, action_label(a)) for a in actions),
        ]
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            ("", _("全部对象")),
            *((t, object_type_label(t)) for t in object_types),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            actor=data["actor"],
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            text=data["q"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )

"""Forms of the volunteer pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
from chuangyou.org.models import Staff
from chuangyou.volunteering.models import VolunteerSettings


class ClaimForm(StyledForm):
    served_on = forms.DateField(
        label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    service = forms.CharField(label=_("服务项目"), max_length=120, help_text=_("如：社区敬老院陪伴老人"))
    organization = forms.CharField(
        label=_("组织单位"), max_length=120, help_text=_("如：校团委、某某社区居委会")
    )
    description = forms.CharField(
        label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    hours = forms.DecimalField(
        label=_("服务时长（小时）"), min_value=Decimal("0"), max_digits=5, decimal_places=2
    )
    organizer = forms.ModelChoiceField(
        label=_("组织者（由其认证时长）"), queryset=Staff.objects.none(), empty_label=_("请选择组织者")
    )
    evidence = forms.FileField(
        label=_("证明照片（可选）"),
        required=False,
        help_text=_("JPG、PNG 或 WEBP，不超过 10 MB；照片中的位置等信息会被去除。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    travel_excluded = forms.BooleanField(label=_("我确认所填时长不含往返路途时间"))

    def __init__(
        self, *args: Any, organizers: QuerySet[Staff], rules: VolunteerSettings, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organizer = self.fields["organizer"]
        assert isinstance(organizer, forms.ModelChoiceField)
        organizer.queryset = organizers
        unit = f"{rules.unit_hours.normalize():f}"
        limit = f"{rules.max_hours_per_activity_day.normalize():f}"
        self.fields["hours"].widget.attrs.update({"step": unit, "min": unit, "max": limit})
        self.fields["hours"].help_text = _(
            "按 %(unit)s 小时为单位；同一项活动每天最多 %(limit)s 小时；不含往返路途时间。"
        ) % {"unit": unit, "limit": limit}


class RejectForm(StyledForm):
    reason = forms.CharField(
        label=_("不通过的理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class SettingsForm(StyledForm):
    unit_hours = forms.DecimalField(label=_("计时单位（小时）"), max_digits=4, decimal_places=2)
    max_hours_per_activity_day = forms.DecimalField(
        label=_("同一项活动每天最多认证（小时）"), max_digits=4, decimal_places=2
    )
    students_need_consent = forms.BooleanField(label=_("学生（未成年人）须经监护人同意"), required=False)
    milestones = forms.CharField(
        label=_("里程碑（小时）"),
        max_length=200,
        help_text=_("用顿号或逗号分隔，如：100、300、600、1000、1500"),
    )

    def clean_milestones(self) -> list[int]:
        text: str = self.cleaned_data["milestones"]
        parts = [p for p in text.replace("、", ",").replace("，", ",").replace(" ", ",").split(",") if p]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("里程碑须是整数小时，用顿号或逗号分隔。"))
        return [int(p) for p in parts]

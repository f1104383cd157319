from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm


class RosterUploadForm(StyledForm):
    file = forms.FileField(
        label=_("名单文件"),
        help_text=_(
            "Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）。学生名单要有“学号”列，教职工名单要有“工号”列。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": _("请选择要上传的文件。")},
    )

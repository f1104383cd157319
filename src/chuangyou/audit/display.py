"""How an audit entry reads to a person: Chinese names for actions and objects, and a field-by-field diff."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangyou.audit.models import AuditEntry

# Actions whose name says more than "verb + object". Every other action reads as its verb (below)
# followed by the recorded object's name, so a new app's actions are readable without a list here.
ACTION_LABELS: dict[str, Promise] = {
    "bureau.create": _("新建教育局"),
    "school.create": _("新建学校"),
    "grade.create": _("新建年级"),
    "class.create": _("新建班级"),
    "branch.create": _("设立党支部"),
    "account.create": _("开设账号"),
    "account.password_reset": _("重置密码"),
    "role.grant": _("分配角色"),
    "role.end": _("结束任职"),
    "student.create": _("添加学生"),
    "guardian.link": _("关联家长"),
    "staff.create": _("添加教职工"),
    "account.password_change": _("修改本人密码"),
    "account.token_create": _("创建 API 令牌"),
    "account.token_revoke": _("撤销 API 令牌"),
    "book.settings": _("修改好书推荐规则"),
    "volunteer.settings": _("修改志愿服务规则"),
    "certificate_batch.request": _("申请批量生成证书"),
    "certificate_batch.complete": _("批量证书生成完成"),
    "certificate_batch.fail": _("批量证书生成失败"),
    "account.password_issued": _("发放初始密码"),
    "activity.evidence": _("上传活动照片或材料"),
    "activity.evidence_delete": _("删除活动照片或材料"),
    "activity.evidence_exhibition": _("审核展示照片"),
    "activity.external_award": _("登记校外竞赛获奖"),
    "activity.external_award_delete": _("删除校外竞赛获奖"),
    "activity.promote": _("候补转为正式报名"),
    "activity.result": _("登记活动成绩"),
    "activity.result_delete": _("删除活动成绩"),
    "activity.result_import": _("导入活动成绩"),
    "activity.result_import_refused": _("活动成绩导入被拒"),
    "activity.sign_up": _("报名参加活动"),
    "assignment.done": _("完成分工任务"),
    "book.recommend": _("推荐好书"),
    "campaign.safety_plan": _("修改安全预案"),
    "commitment_item.fulfilment": _("评定承诺兑现"),
    "evaluation.codes_issue": _("生成投票码"),
    "evaluation.group_add": _("添加评议主体"),
    "evaluation.group_remove": _("移除评议主体"),
    "evaluation.paper_enter": _("录入纸质票"),
    "evaluation.paper_withdraw": _("撤回纸质票录入"),
    "evaluation.portfolio_sign": _("签名确认写实记录"),
    "evaluation.portfolio_write": _("填写写实记录"),
    "evaluation.remind": _("提醒未投票的人"),
    "notifications.channel_configure": _("设置通知渠道"),
    "notifications.contact": _("填写本人联系方式"),
    "notifications.test_send": _("发送测试消息"),
    "evaluation.project_outcomes": _("写回项目评审结果"),
    "evaluation.recount": _("重新计票"),
    "evaluation.recuse": _("回避评议"),
    "evaluation.rubric_update": _("修改评价标准"),
    "evaluation.subject_remove": _("移除评议对象"),
    "evaluation.subjects_add": _("添加评议对象"),
    "evaluation.visibility": _("修改结果查阅范围"),
    "exhibition.takedown_request": _("申请撤下展示照片"),
    "exhibition.thumbnail": _("生成展示缩略图"),
    "holidays.edit": _("修改放假安排"),
    "holidays.enter": _("录入放假安排"),
    "honor.citation": _("修改荣誉事迹"),
    "nomination.edit": _("修改推荐材料"),
    "project.attachment_add": _("添加项目附件"),
    "project.attachment_remove": _("删除项目附件"),
    "project.recusal": _("项目评审回避"),
    "project.review": _("评审创新项目"),
    "report.request": _("申请生成报告"),
    "report.write": _("生成报告"),
    "volunteer.paper_consent": _("登记纸质家长同意书"),
    "objection.accepted": _("受理异议"),
    "objection.verifying": _("核实异议"),
    "objection.upheld": _("异议成立"),
    "objection.rejected": _("异议不成立"),
    "objection.deferred": _("暂缓处理异议"),
    "objection.replied": _("答复异议人"),
    "objection.archived": _("异议归档"),
}


VERBS: dict[str, Promise] = {
    "create": _("新建"), "update": _("修改"), "delete": _("删除"), "add": _("添加"), "remove": _("移除"),
    "submit": _("提交"), "publish": _("发布"), "approve": _("批准"), "reject": _("驳回"),
    "return": _("退回"), "withdraw": _("撤回"), "cancel": _("取消"), "issue": _("颁发"),
    "revoke": _("撤销"), "confirm": _("确认"), "import": _("导入"), "upload": _("上传"),
    "select": _("选定"), "decline": _("不予推荐"), "advance": _("上报"), "score": _("评分"),
    "grade": _("评分"), "rate": _("评分"), "pick": _("评选"), "file": _("备案"), "consent": _("同意"),
    "claim": _("申报"), "open": _("开启"), "close": _("关闭"), "end": _("结束"), "grant": _("授予"),
    "link": _("关联"), "move": _("调整顺序"), "paid": _("支付"), "revise": _("修订"),
    "progress": _("报告进展"), "decide": _("决定"), "complete": _("完成"), "reopen": _("重新打开"),
    "enter": _("录入"), "handle": _("处理"), "nominate": _("推荐"), "raise": _("追加"), "set": _("设置"),
}  # fmt: skip


def action_label(action: str, object_type: str = "") -> str:
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    verb_code = action.rsplit(".", 1)[-1]
    verb = VERBS.get(verb_code) or VERBS.get(verb_code.split("_", 1)[0])
    if verb is None:
        return action
    return f"{verb}{object_type_label(object_type)}" if object_type else str(verb)


def _model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


@dataclass(frozen=True)
class _FieldInfo:
    label: str
    choices: dict[Any, str]


def _fields_of(object_type: str) -> dict[str, _FieldInfo]:
    """Recorded keys are attnames (`school_class_id`): map each to its field's name and choice labels,
    in model order."""
    model = _model_of(object_type)
    if model is None:
        return {}
    fields = {}
    for f in model._meta.concrete_fields:
        label = str(f.verbose_name)
        # A foreign key without its own name reads as the model it points to ("班级", not "school class").
        if f.related_model is not None and label == f.name.replace("_", " "):
            label = str(f.related_model._meta.verbose_name)  # type: ignore[union-attr]
        choices = {value: str(text) for value, text in f.flatchoices}
        fields[f.attname] = _FieldInfo(label=label, choices=choices)
    return fields


def _shown(value: Any, choices: dict[Any, str]) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return gettext("是")
    if value is False:
        return gettext("否")
    if isinstance(value, str | int) and value in choices:
        return choices[value]
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryView:
    entry: AuditEntry
    action_label: str
    object_type_label: str
    changes: list[FieldChange]
    unchanged_count: int


def field_changes(entry: AuditEntry) -> tuple[list[FieldChange], int]:
    """The fields whose value differs between before and after, and (for an edit) how many stayed
    the same. A creation shows every filled field as new; a deletion every field as gone."""
    before = entry.before or {}
    after = entry.after or {}
    fields = _fields_of(entry.object_type)
    # Model order first; PostgreSQL's jsonb does not keep the recorded key order.
    keys = [k for k in fields if k in before or k in after]
    keys += sorted((set(before) | set(after)) - set(keys))
    changes = []
    unchanged = 0
    for key in keys:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            unchanged += 1
            continue
        info = fields.get(key, _FieldInfo(label=key, choices={}))
        shown_before = _shown(old, info.choices) if key in before else "—"
        shown_after = _shown(new, info.choices) if key in after else "—"
        if shown_before == shown_after:  # e.g. a field created empty
            unchanged += 1 if entry.before is not None and entry.after is not None else 0
            continue
        changes.append(FieldChange(key=key, label=info.label, before=shown_before, after=shown_after))
    return changes, unchanged


def describe(entry: AuditEntry) -> EntryView:
    changes, unchanged = field_changes(entry)
    return EntryView(
        entry=entry,
        action_label=action_label(entry.action, entry.object_type),
        object_type_label=object_type_label(entry.object_type),
        changes=changes,
        unchanged_count=unchanged,
    )


def changes_as_text(view: EntryView) -> str:
    """One line per changed field, for the spreadsheet export."""
    return "\n".join(f"{c.label}：{c.before} → {c.after}" for c in view.changes)

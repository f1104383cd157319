from chuangyou.audit.display import FieldChange, action_label, describe
from chuangyou.audit.models import AuditEntry


def entry(object_type: str, before: dict[str, object] | None, after: dict[str, object] | None) -> AuditEntry:
    return AuditEntry(action="role.grant", object_type=object_type, before=before, after=after)


def test_creation_names_fields_choices_and_relations_and_skips_empty_ones() -> None:
    view = describe(
        entry(
            "org.rolemembership",
            None,
            {"role": "head_teacher", "school_class_id": 3, "is_leader": False, "ends_on": None, "user_id": 5},
        )
    )

    assert view.action_label == "分配角色"
    assert view.object_type_label == "角色任职"
    assert view.changes == [
        FieldChange(key="user_id", label="账号", before="—", after="5"),
        FieldChange(key="role", label="角色", before="—", after="班主任"),
        FieldChange(key="school_class_id", label="班级", before="—", after="3"),
        FieldChange(key="is_leader", label="组长", before="—", after="否"),
    ]
    assert view.unchanged_count == 0


def test_edit_lists_only_changed_fields() -> None:
    view = describe(
        entry("org.staff", {"name": "王武", "subject": "语文"}, {"name": "王武", "subject": "数学"})
    )

    assert view.changes == [FieldChange(key="subject", label="任教学科", before="语文", after="数学")]
    assert view.unchanged_count == 1


def test_unknown_types_and_keys_show_as_recorded() -> None:
    view = describe(
        AuditEntry(action="x.y", object_type="gone.model", before={"a": [1]}, after={"a": {"b": "中"}})
    )

    assert (view.action_label, view.object_type_label) == ("x.y", "gone.model")
    assert view.changes == [FieldChange(key="a", label="a", before="[1]", after='{"b": "中"}')]


def test_an_unlisted_action_reads_as_its_verb_and_object() -> None:
    from chuangyou.audit.display import action_label

    assert action_label("honor.issue", "honors.honor").startswith("颁发")
    assert action_label("activity.publish", "activities.activity") == "发布活动"
    assert action_label("role.grant", "org.rolemembership") == "分配角色"  # the explicit name wins
    assert action_label("thing.frobnicate", "activities.activity") == "thing.frobnicate"


def test_the_entries_of_issue_10s_holes_read_as_words_in_both_languages() -> None:
    from django.utils import translation

    from chuangyou.audit.display import action_label

    actions = [
        "account.password_change", "account.token_create", "account.token_revoke", "book.settings",
        "volunteer.settings", "certificate_batch.request", "certificate_batch.complete",
        "certificate_batch.fail",
    ]  # fmt: skip
    assert [action_label(a) for a in actions] == [
        "修改本人密码", "创建 API 令牌", "撤销 API 令牌", "修改好书推荐规则", "修改志愿服务规则",
        "申请批量生成证书", "批量证书生成完成", "批量证书生成失败",
    ]  # fmt: skip
    with translation.override("en"):
        assert action_label("account.token_revoke") == "Revoked an API token"
        assert action_label("certificate_batch.fail") == "Certificate batch failed"


def _recorded_actions() -> set[str]:
    """Every action a service records: the first argument of each change_for(...) in the code."""
    import ast
    from pathlib import Path

    from chuangyou.nominations.models import ObjectionStatus

    root = Path(__file__).resolve().parents[2]
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if isinstance(node, ast.Call) and name == "change_for" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    # the one computed action: f"objection.{to_status}"
    return found | {f"objection.{s}" for s in ObjectionStatus.values if s != "received"}


def test_every_recorded_action_reads_as_words_not_its_code() -> None:
    actions = _recorded_actions()
    assert len(actions) > 100  # the scan found the services' actions
    raw = sorted(a for a in actions if action_label(a) == a)
    assert raw == []

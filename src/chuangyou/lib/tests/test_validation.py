import pytest

from chuangyou.lib.errors import Invalid
from chuangyou.lib.validation import clean_text


def test_trims_and_keeps_inner_spaces() -> None:
    assert clean_text("  读书  笔记 ", field="title", label="标题") == "读书  笔记"


def test_collapses_spaces_when_asked() -> None:
    assert clean_text(" 平凡的\n  世界 ", field="title", label="书名", collapse_spaces=True) == "平凡的 世界"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_refuses_empty_required_text_on_its_field(value: str | None) -> None:
    with pytest.raises(Invalid) as exc:
        clean_text(value, field="theme", label="主题")
    assert exc.value.message == "请填写主题。"
    assert exc.value.errors == {"theme": ["请填写主题。"]}


def test_optional_text_may_be_empty() -> None:
    assert clean_text("  ", field="note", label="备注", required=False) == ""


def test_refuses_text_over_the_limit() -> None:
    assert clean_text("一二三", field="name", label="名称", max_length=3) == "一二三"
    with pytest.raises(Invalid) as exc:
        clean_text("一二三四", field="name", label="名称", max_length=3)
    assert exc.value.message == "名称不能超过 3 个字。"
    assert exc.value.errors == {"name": ["名称不能超过 3 个字。"]}

from chuangyou.lib.strokes import by_strokes, stroke_count, stroke_key


def test_counts_come_from_unihan() -> None:
    assert [stroke_count(c) for c in "王李张马欧丁"] == [4, 7, 7, 3, 8, 2]
    assert stroke_count("a") is None


def test_names_sort_by_surname_strokes_not_pinyin() -> None:
    names = ["赵敏", "王芳", "丁一", "马明", "欧阳修", "李雷"]
    # Pinyin order would be 丁 李 马 欧阳 王 赵; strokes: 丁2 马3 王4 李7 欧8 赵9.
    assert by_strokes(names, str) == ["丁一", "马明", "王芳", "李雷", "欧阳修", "赵敏"]


def test_equal_surname_strokes_compare_the_next_character() -> None:
    assert stroke_key("王一") < stroke_key("王二") < stroke_key("王十三")


def test_equal_counts_fall_back_to_code_point() -> None:
    # 张 and 李 both have 7 strokes; the published code-point order decides (张 U+5F20 < 李 U+674E).
    assert by_strokes(["李雷", "张伟"], str) == ["张伟", "李雷"]

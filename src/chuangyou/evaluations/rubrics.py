"""Rating scales and the ready-made rubrics, as data. An evaluation copies one and may then edit it;
voting freezes the copy. The 五个好 and 五个模范 texts come word for word from the seed (demo/plan_2012)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chuangyou.demo.plan_2012 import FIVE_GOODS, FIVE_MODELS

# Four-level scales and their points; the first level is the top band.
LEVEL_SCALES: dict[str, tuple[str | Promise, list[tuple[str, int]]]] = {
    "competent": (
        _("优秀/称职/基本称职/不称职"),
        [("优秀", 100), ("称职", 80), ("基本称职", 60), ("不称职", 40)],
    ),
    "qualified": (
        _("优秀/合格/基本合格/不合格"),
        [("优秀", 100), ("合格", 80), ("基本合格", 60), ("不合格", 40)],
    ),
    "good": (_("好/较好/一般/差"), [("好", 100), ("较好", 80), ("一般", 60), ("差", 40)]),
    "satisfaction": (
        _("满意/比较满意/基本满意/不满意"),
        [("满意", 100), ("比较满意", 80), ("基本满意", 60), ("不满意", 40)],
    ),
    "abcd": ("A/B/C/D", [("A", 100), ("B", 80), ("C", 60), ("D", 40)]),
}


def levels(name: str) -> dict[str, Any]:
    return {"kind": "levels", "levels": [list(pair) for pair in LEVEL_SCALES[name][1]]}


def points(low: int, high: int) -> dict[str, Any]:
    return {"kind": "points", "low": low, "high": high}


def _criteria(texts: tuple[tuple[str, str], ...], scale: dict[str, Any], weight: str) -> list[dict[str, Any]]:
    return [
        {"key": f"c{i}", "title": title, "description": text, "weight": weight, "scale": scale}
        for i, (title, text) in enumerate(texts, start=1)
    ]


# The 五个好 rated 好/较好/一般/差, each a fifth of 100.
FIVE_GOODS_RUBRIC = {
    "name": "五个好（五星级基层党组织）",
    "criteria": _criteria(FIVE_GOODS, levels("good"), "1/5"),
}
FIVE_MODELS_RUBRIC = {
    "name": "五个模范（师德标兵）",
    "criteria": _criteria(FIVE_MODELS, levels("good"), "1/5"),
}
# 五星创评: the 五个好 at 20 points each plus innovation at 10, 110 in all.
FIVE_STAR_RUBRIC = {
    "name": "五星创评（110分）",
    "criteria": [
        *_criteria(FIVE_GOODS, points(0, 20), "1"),
        {
            "key": "c6",
            "title": "创新项目",
            "description": "围绕中心工作开展创新项目，有特色、有成效。",
            "weight": "1",
            "scale": points(0, 10),
        },
    ],
}
PARTY_MEMBER_RUBRIC = {
    "name": "民主评议党员",
    "criteria": [
        {
            "key": "c1",
            "title": "综合评价",
            "description": "对照党员标准，评议党员的思想、工作、作风和作用发挥。",
            "weight": "1",
            "scale": levels("qualified"),
        }
    ],
}
QUALITY_DIMENSIONS = (
    ("思想品德", "爱党爱国、理想信念、诚实守信、仁爱友善、责任义务、遵纪守法。"),
    ("学业水平", "各门课程基础知识、基本技能的掌握情况以及运用知识解决问题的能力。"),
    ("身心健康", "健康生活方式、体育锻炼习惯、身体机能、运动技能和心理素质。"),
    ("艺术素养", "对艺术的审美感受、理解、鉴赏和表现的能力。"),
    ("社会实践", "在社会生活中动手操作、体验经历，参加志愿服务和社会实践的情况。"),
)
# Which sections of the participation record (records.lines.SECTIONS) are evidence for which
# dimension. Activities span every kind (sport, art, practice…), so they stand beside three.
DIMENSION_SECTIONS: dict[str, tuple[str, ...]] = {
    "思想品德": ("志愿服务", "公开承诺"),
    "学业水平": ("成绩与获奖", "每周一练", "好书推荐", "创新项目"),
    "身心健康": ("活动",),
    "艺术素养": ("活动",),
    "社会实践": ("活动", "志愿服务", "创新项目"),
}
QUALITY_RUBRIC = {
    "name": "综合素质评价",
    "criteria": _criteria(QUALITY_DIMENSIONS, levels("abcd"), "1/5"),
}


# The 创新项目 panel's score sheet: 100 points over four criteria.
PROJECT_CRITERIA = (
    ("创新性", "选题新颖，思路或方法有独到之处。", 30),
    ("可行性", "计划周密，条件具备，进度安排合理。", 30),
    ("预期成效", "成果明确，对学习和校园生活有实际作用。", 25),
    ("经费合理性", "预算与内容相符，勤俭节约。", 15),
)
PROJECT_RUBRIC = {
    "name": "创新项目评审（100分）",
    "criteria": [
        {"key": f"c{i}", "title": title, "description": text, "weight": "1", "scale": points(0, most)}
        for i, (title, text, most) in enumerate(PROJECT_CRITERIA, start=1)
    ],
}
# 评诺: how well one promise was kept, on the satisfaction scale (满意率 is what gets reported).
COMMITMENT_RUBRIC = {
    "name": "评诺（践诺满意度）",
    "criteria": [
        {
            "key": "c1",
            "title": "践诺情况",
            "description": "对照承诺内容和措施，评价兑现情况。",
            "weight": "1",
            "scale": levels("satisfaction"),
        }
    ],
}


def preset_rules(key: str) -> dict[str, Any]:
    """The counting rules that come with each ready-made rubric (editable until voting opens)."""
    base: dict[str, Any] = {
        "trim_above": 5,
        "quorum": "1/2",
        "void_same_score": True,
        "top_band_percent": 90,
        "top_band_max": None,
        "level_bands": [],
        "level_caps": [],
        "star_bands": [],
        "consensus_gap": 25,
        "burst_size": 10,
    }
    if key == "five_star":
        base["star_bands"] = [["90", 5, True], ["80", 4, False], ["70", 3, False], ["60", 2, False]]
    elif key == "party_member":
        base["level_bands"] = [["90", "优秀"], ["70", "合格"], ["55", "基本合格"], ["0", "不合格"]]
        base["level_caps"] = [["优秀", "1/3"]]
    elif key == "quality":
        base["level_bands"] = [["90", "A"], ["75", "B"], ["60", "C"], ["0", "D"]]
        base["level_caps"] = [["A", "3/10"]]
        # A teacher may rightly give a whole class the same grade on a dimension; the cap still holds.
        base["void_same_score"] = False
    elif key == "commitment":
        # Satisfied with every item is a fair answer in an appraisal of kept promises, not a void ballot.
        base["void_same_score"] = False
        base["level_bands"] = [["90", "满意"], ["75", "比较满意"], ["60", "基本满意"], ["0", "不满意"]]
    elif key in {"five_goods", "five_models"}:
        base["level_bands"] = [["90", "优秀"], ["75", "良好"], ["60", "合格"], ["0", "不合格"]]
    return base


PRESETS: dict[str, tuple[str | Promise, dict[str, Any]]] = {
    "five_goods": (_("五个好（党支部）"), FIVE_GOODS_RUBRIC),
    "five_models": (_("五个模范（师德标兵）"), FIVE_MODELS_RUBRIC),
    "five_star": (_("五星创评 110 分（星级）"), FIVE_STAR_RUBRIC),
    "party_member": (_("民主评议党员（优秀不超过1/3）"), PARTY_MEMBER_RUBRIC),
    "quality": (_("综合素质评价（A不超过30%）"), QUALITY_RUBRIC),
    "project": (_("创新项目评审（100分）"), PROJECT_RUBRIC),
    "commitment": (_("评诺（践诺满意度）"), COMMITMENT_RUBRIC),
}

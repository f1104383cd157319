"""Rating scales and the ready-made rubrics, as data. An evaluation copies one and may then edit it;
voting freezes the copy. The 五个好 and 五个模范 texts are word for word those of the seed plan
(seed 000, 2012)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# "五个好": the five requirements of a five-star party branch (五星级基层党组织).
FIVE_GOODS = (
    (
        "领导班子好",
        "深入学习实践科学发展观，团结协作，勇于开拓，求真务实，勤政廉洁，有较强的战斗力和凝聚力，班子健全团结；"
        "班子整体具有较高的谋划教育发展、推进教育改革、勇于创新的能力和科学决策、依法管理和民主管理的能力；"
        "贯彻党的群众路线，认真研究和解决师生反映的突出问题，工作措施符合实际，成效显著，得到党员和师生的拥护。",
    ),
    (
        "党员队伍好",
        "党员整体素质较高，有较强的党性意识，能够充分发挥先锋模范作用；按照党章和发展党员工作的规定，"
        "坚持经常性的、有计划发展党员，建立“在党员中培养优秀教师”和“在优秀教师中培养党员”的“双培养”制度，"
        "措施得力，成效明显。",
    ),
    (
        "工作机制好",
        "紧紧围绕科学发展观和本校实际，切实履行党组织职责，做到规章制度完善、管理措施到位、工作运行有序、"
        "党建工作成绩突出。",
    ),
    (
        "工作业绩好",
        "学校各项工作成绩显著，围绕中心、服务大局的成效明显；思想政治工作深入细致，形成了积极向上的良好氛围；"
        "能够做到高质量地完成各项教育教学任务。",
    ),
    (
        "师生反映好",
        "尊重师生，爱护师生，诚心诚意为师生办实事；工作措施符合师生意愿，工作作风和工作实绩得到师生满意，"
        "党组织得到师生拥护，党员在师生、群众中有良好形象。",
    ),
)

# "五个模范": the five requirements of a model teacher (师德标兵).
FIVE_MODELS = (
    (
        "自觉学习的模范",
        "认真学习实践科学发展观，学习新知识、新理论，不断提升自身党性修养和业务素质。",
    ),
    (
        "师德修养的模范",
        "自觉加强师德修养，模范遵守《中小学教师职业道德规范》，以身作则，言传身教，为人师表，"
        "以良好的思想和道德影响培养学生；大力提倡潜心钻研，实事求是，严谨笃学，成为热爱学习、终身学习和锐意创新的楷模。",
    ),
    (
        "教书育人的模范",
        "树立先进教育理念，自觉遵循教育规律，积极推进教育创新，全面实施素质教育，不断提高教育质量；"
        "牢固树立育人为本、德育为先的思想，全面关心学生成长，热爱学生，尊重学生，严格要求学生，因材施教，循循善诱，"
        "形成相互激励、教学相长的师生关系，促进学生全面发展，教育教学成绩突出，社会满意度高。",
    ),
    ("服务学生的模范", "关心学生，尊重学生，积极为学生解难题。"),
    (
        "遵纪守法的模范",
        "认真贯彻执行《党章》和党组织的决议决定，对党忠诚；遵纪守法，维护稳定，坚决同不良社会风气、"
        "邪教等违纪违法行为做斗争。",
    ),
)

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

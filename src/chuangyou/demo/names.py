"""Realistic, deterministic Chinese names for the demo: common surnames by frequency, given names of
one or two characters drawn from those parents commonly choose."""

from __future__ import annotations

import random

# The most common surnames, most frequent first; weights fall off so 王/李/张 dominate as in life.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
_SURNAME_WEIGHTS = [1.0 / (i + 8) for i in range(len(SURNAMES))]

BOY_CHARS = "浩宇轩然子涵博文杰俊豪鹏飞明阳晨睿泽辰昊天一航铭楠嘉佳志强伟磊鑫健宏亮东斌帆凯毅昊诚锦"
GIRL_CHARS = "欣怡梓涵思雨雅婷佳琪诗语嘉悦紫萱晓雪梦瑶可馨子琳婉清心妍若彤淑敏静慧丽娜芳颖霞蕾洁琳"


def person_name(rng: random.Random, gender: str) -> str:
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS, k=1)[0]
    pool = BOY_CHARS if gender == "M" else GIRL_CHARS
    given_length = 1 if rng.random() < 0.25 else 2
    given = "".join(rng.choice(pool) for _ in range(given_length))
    return surname + given


def same_surname_parent(rng: random.Random, child_name: str) -> tuple[str, str]:
    """A father sharing the child's surname, or a mother with her own: (name, gender)."""
    if rng.random() < 0.55:
        return child_name[0] + rng.choice(BOY_CHARS) + rng.choice(BOY_CHARS), "M"
    return person_name(rng, "F"), "F"

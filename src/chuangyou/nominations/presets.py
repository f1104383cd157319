"""Ready-made award types from the seeds and DOMAIN.md. A school installs them, then edits or removes any."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chuangyou.nominations.models import GateKind, Level, NomineeKind, ProposalSource, QuotaKind, QuotaUnit


@dataclass(frozen=True)
class Preset:
    name: str
    code: str
    for_kind: str
    quota_kind: str
    quota_value: Decimal
    quota_unit: str
    prize: Decimal = Decimal(0)
    level: str = Level.SCHOOL
    gates: tuple[tuple[str, dict[str, Any]], ...] = field(default=())
    source: str = ""  # a ProposalSource: the system proposes nominees from this data


S, T, P = NomineeKind.STUDENT, NomineeKind.TEACHER, NomineeKind.PARTY_MEMBER
N, R = QuotaKind.COUNT, QuotaKind.SHARE
C, G, W = QuotaUnit.CLASS, QuotaUnit.GRADE, QuotaUnit.SCHOOL

PRESETS = (
    Preset("三好学生", "SH", S, R, Decimal("0.2"), C, Decimal(100)),  # ≤ 20% of a class
    Preset("优秀学生干部", "GB", S, N, Decimal(2), C, Decimal(100)),  # 2 per class
    Preset("学科第一名", "XK", S, N, Decimal(10), C, level=Level.GRADE, source=ProposalSource.EXAM_FIRSTS),
    # 好书推荐奖: 5 a month, so 60 over the year.
    Preset("好书推荐奖", "HS", S, N, Decimal(60), W, source=ProposalSource.BOOK_PICKS),
    Preset(
        "志愿服务之星", "ZY", S, N, Decimal(3), G, Decimal(100),
        gates=((GateKind.MIN_VOLUNTEER_HOURS, {"hours": 20}),), source=ProposalSource.VOLUNTEER_HOURS,
    ),
    Preset("创新项目奖", "CX", S, N, Decimal(5), W, Decimal(200), source=ProposalSource.FUNDED_PROJECTS),
    # 学科竞赛奖: 全国中学生数学竞赛, 信息学奥赛 … 一/二/三等奖 recorded as results or external awards.
    Preset("学科竞赛奖", "JS", S, N, Decimal(30), W, source=ProposalSource.COMPETITION_PRIZES),
    Preset("学习方法创新奖", "XF", S, N, Decimal(1), C),
    Preset("优秀学习小组", "XZ", NomineeKind.TEAM, N, Decimal(1), C),
    Preset("综合素质优秀", "ZS", S, R, Decimal("0.3"), G),  # grade A ≤ 30%
    Preset(
        "优秀共产党员", "DY", P, N, Decimal(2), W, Decimal(300),
        gates=((GateKind.NOT_WITHIN_YEARS, {"years": 3}), (GateKind.NO_UPHELD_OBJECTION, {"years": 3})),
    ),
    Preset(
        "师德标兵", "SD", T, N, Decimal(3), W, Decimal(300),
        gates=((GateKind.NOT_WITHIN_YEARS, {"years": 3}),),
    ),
    Preset("五星级党支部", "WX", NomineeKind.BRANCH, N, Decimal(1), W),
    Preset("优秀班级", "BJ", NomineeKind.CLASS, N, Decimal(2), G),
)  # fmt: skip

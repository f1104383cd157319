"""What the campaign services share: who may change the plan, and how the default phases share a year."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_manage_campaign, require

MANAGE_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以修改活动方案。")

# How each default phase shares the year: a short mobilization, a long competition, then
# benchmarking and the summary. The last phase takes what is left.
DEFAULT_PHASE_SHARES = (0.1, 0.5, 0.2)
# Below this many days left in the year, a plan made today still gets the whole year's dates.
MIN_DAYS_FOR_REST_OF_YEAR = 60


def _require_manage(actor: Actor, school: School) -> None:
    require(can_manage_campaign(actor, school), MANAGE_MESSAGE)

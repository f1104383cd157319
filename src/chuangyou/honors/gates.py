"""The nomination gates that read honors already won: at least N earlier honors at a level, and not the
same award within N years. Registered with `nominations.gates` when the app starts (see apps.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from chuangyou.honors.models import Honor
from chuangyou.nominations.gates import Nominee, person_filter, register
from chuangyou.nominations.models import LEVEL_ORDER, AwardType, GateKind, Level


@register(GateKind.MIN_PRIOR_HONORS)
def min_prior_honors(
    params: dict[str, Any], award: AwardType, nominee: Nominee, year: int
) -> tuple[bool, str]:
    count, level = int(params.get("count", 1)), params.get("level", Level.SCHOOL)
    levels = LEVEL_ORDER[LEVEL_ORDER.index(Level(level)) :]
    had = Honor.objects.filter(
        **person_filter(nominee), revoked_on__isnull=True, year__lt=year, award_type__level__in=levels
    ).count()
    label = Level(level).label
    if had >= count:
        return True, gettext("此前已获得%(label)s级及以上荣誉 %(had)s 项（要求至少 %(count)s 项）。") % {
            "label": label,
            "had": had,
            "count": count,
        }
    return False, gettext("此前获得%(label)s级及以上荣誉 %(had)s 项，要求至少 %(count)s 项。") % {
        "label": label,
        "had": had,
        "count": count,
    }


@register(GateKind.NOT_WITHIN_YEARS)
def not_within_years(
    params: dict[str, Any], award: AwardType, nominee: Nominee, year: int
) -> tuple[bool, str]:
    years = int(params.get("years", 3))
    last = (
        Honor.objects.filter(
            **person_filter(nominee), award_type=award, revoked_on__isnull=True, year__gt=year - years
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if last is None:
        return True, gettext("近 %(years)s 年内未获得「%(award_name)s」。") % {
            "years": years,
            "award_name": award.name,
        }
    return False, gettext("%(last)s 年已获得「%(award_name)s」，%(years)s 年内不能重复获得。") % {
        "last": last,
        "award_name": award.name,
        "years": years,
    }

"""Writes to the campaign plan. Pages, the API and commands call these; one module per part of the plan:
`plan` (the campaign and its phases), `assignments` (分工), `resources` (经费与物资) and `safety` (安全预案).

Every function checks `can_manage_campaign` before it writes, runs in one transaction, and records the
change in the audit log. Phase writes lock the campaign row, so two editors cannot interleave phases.
"""

from chuangyou.campaigns.services.assignments import (
    complete_assignment,
    create_assignment,
    delete_assignment,
    reopen_assignment,
    update_assignment,
)
from chuangyou.campaigns.services.plan import (
    FIRST_PLAN_YEAR,
    PhasePlan,
    add_phase,
    check_phase_plan,
    create_campaign,
    default_phase_dates,
    delete_campaign,
    delete_phase,
    max_span_days,
    move_phase,
    plausible_window,
    update_campaign,
    update_phase,
)
from chuangyou.campaigns.services.resources import (
    add_resource,
    delete_resource,
    update_resource,
)
from chuangyou.campaigns.services.safety import (
    SAFETY_PLAN_MAX_BYTES,
    check_safety_file,
    update_safety_plan,
)
from chuangyou.campaigns.services.shared import (
    DEFAULT_PHASE_SHARES,
    MANAGE_MESSAGE,
    MIN_DAYS_FOR_REST_OF_YEAR,
)

__all__ = [
    "DEFAULT_PHASE_SHARES",
    "FIRST_PLAN_YEAR",
    "MANAGE_MESSAGE",
    "MIN_DAYS_FOR_REST_OF_YEAR",
    "SAFETY_PLAN_MAX_BYTES",
    "PhasePlan",
    "add_phase",
    "add_resource",
    "check_phase_plan",
    "check_safety_file",
    "complete_assignment",
    "create_assignment",
    "create_campaign",
    "default_phase_dates",
    "delete_assignment",
    "delete_campaign",
    "delete_phase",
    "delete_resource",
    "max_span_days",
    "move_phase",
    "plausible_window",
    "reopen_assignment",
    "update_assignment",
    "update_campaign",
    "update_phase",
    "update_resource",
    "update_safety_plan",
]

"""Writes for award types, nominations, notices and objections. Pages, the API and commands call these.

One module per thing a user sees: `awards` (award types and gates), `nominating` (nominations level by
level, with `quotas`), `notices` (公示), `objections` (异议) and `exam_import`. Callers use the names below.
"""

from chuangyou.nominations.services.awards import (
    AWARD_FIELDS,
    BUREAU_MANAGE_MESSAGE,
    GATE_PARAMS,
    MANAGE_MESSAGE,
    add_gate,
    create_award_type,
    create_bureau_award_type,
    delete_award_type,
    install_presets,
    remove_gate,
    update_award_type,
)
from chuangyou.nominations.services.exam_import import EXAM_MESSAGE, import_exam_scores
from chuangyou.nominations.services.nominating import (
    DECIDE_MESSAGE,
    STORY_MAX,
    advance,
    decline,
    edit_nomination,
    nominate,
    nominate_from_proposal,
    require_not_frozen,
    rescore,
    select,
)
from chuangyou.nominations.services.notices import (
    BUREAU_NOTICE_MESSAGE,
    publish_bureau_notice,
    publish_notice,
)
from chuangyou.nominations.services.objections import (
    ANONYMOUS_MIN_CHARS,
    PUBLIC,
    STEPS,
    file_objection,
    handle_objection,
    is_final,
    next_steps,
    objection_by_code,
)
from chuangyou.nominations.services.quotas import QuotaCheck, quota_check

__all__ = [
    "ANONYMOUS_MIN_CHARS",
    "AWARD_FIELDS",
    "BUREAU_MANAGE_MESSAGE",
    "BUREAU_NOTICE_MESSAGE",
    "DECIDE_MESSAGE",
    "EXAM_MESSAGE",
    "GATE_PARAMS",
    "MANAGE_MESSAGE",
    "PUBLIC",
    "STEPS",
    "STORY_MAX",
    "QuotaCheck",
    "add_gate",
    "advance",
    "create_award_type",
    "create_bureau_award_type",
    "decline",
    "delete_award_type",
    "edit_nomination",
    "file_objection",
    "handle_objection",
    "import_exam_scores",
    "install_presets",
    "is_final",
    "next_steps",
    "nominate",
    "nominate_from_proposal",
    "objection_by_code",
    "publish_bureau_notice",
    "publish_notice",
    "quota_check",
    "remove_gate",
    "require_not_frozen",
    "rescore",
    "select",
    "update_award_type",
]

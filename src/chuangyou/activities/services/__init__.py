"""Writes for activities. Pages, the API and commands call these; one module per thing a user sees:
`activity` (the activity itself), `signup` (eligibility, sign-up, teams, the waitlist, withdrawal),
`results` (results and external prizes) and `evidence`.

Every sign-up and withdrawal locks the activity row first, so counting the confirmed places and
taking one is a single step: no overbooking, and waitlist positions stay 1, 2, 3… On SQLite the
IMMEDIATE transaction already serializes writers; on PostgreSQL `select_for_update` does.
"""

from chuangyou.activities.services.activity import (
    ActivityInput,
    cancel_activity,
    create_activity,
    delete_activity,
    publish_activity,
    update_activity,
)
from chuangyou.activities.services.evidence import (
    add_evidence,
    delete_evidence,
    set_exhibition_approved,
)
from chuangyou.activities.services.results import (
    delete_external_award,
    delete_result,
    import_results,
    record_external_award,
    record_result,
)
from chuangyou.activities.services.shared import (
    CERTIFICATE_TYPES,
    EVIDENCE_TYPES,
    SAFETY_TYPES,
    Person,
)
from chuangyou.activities.services.signup import (
    BulkOutcome,
    Scope,
    Taken,
    bulk_sign_up,
    eligibility_problem,
    register_team,
    sign_up,
    withdraw,
)

__all__ = [
    "CERTIFICATE_TYPES",
    "EVIDENCE_TYPES",
    "SAFETY_TYPES",
    "ActivityInput",
    "BulkOutcome",
    "Person",
    "Scope",
    "Taken",
    "add_evidence",
    "bulk_sign_up",
    "cancel_activity",
    "create_activity",
    "delete_activity",
    "delete_evidence",
    "delete_external_award",
    "delete_result",
    "eligibility_problem",
    "import_results",
    "publish_activity",
    "record_external_award",
    "record_result",
    "register_team",
    "set_exhibition_approved",
    "sign_up",
    "update_activity",
    "withdraw",
]

"""Writes for evaluations (the 评议 engine). Pages, the API, commands and the uses built on the engine
call these; one module per stage a user sees:

- `building`: the rubric, visibility, subjects and rater groups, before voting opens;
- `voting`: opening (the frozen rubric, the voter roll, the sealed ballots), codes, casting;
- `closing`: closing, paper ballots, the count, publishing and the recount;
- `shared`: codes, receipts and the checks every write starts with.

Ballot content never enters the audit log.
"""

from chuangyou.evaluations.services.building import (
    SubjectSpec,
    add_group,
    add_subjects,
    create_evaluation,
    create_once,
    remove_group,
    remove_subject,
    remove_subjects,
    roster_subjects,
    set_visibility,
    staff_user_ids,
    update_rubric,
)
from chuangyou.evaluations.services.closing import (
    PaperStatus,
    Recount,
    close_voting,
    compute_result,
    enter_paper,
    paper_status,
    publish,
    recount,
    result_digest,
    withdraw_paper,
)
from chuangyou.evaluations.services.shared import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MANAGE_MESSAGE,
    MAX_CODES,
    RECEIPT_LENGTH,
    SUPERVISE_MESSAGE,
    code_digest,
    format_receipt,
    normalize_code,
    receipt_digest,
)
from chuangyou.evaluations.services.voting import (
    PASSPHRASE_MAX,
    PASSPHRASE_MIN,
    LockedOpening,
    WouldBeVoid,
    allowed_subjects,
    cast_ballot,
    clean_content,
    entitlement_for_code,
    issue_codes,
    open_voting,
    open_voting_with_passphrase,
    receipt_counted,
    remind_voters,
    void_explanation,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MANAGE_MESSAGE",
    "MAX_CODES",
    "PASSPHRASE_MAX",
    "PASSPHRASE_MIN",
    "RECEIPT_LENGTH",
    "SUPERVISE_MESSAGE",
    "LockedOpening",
    "PaperStatus",
    "Recount",
    "SubjectSpec",
    "WouldBeVoid",
    "add_group",
    "add_subjects",
    "allowed_subjects",
    "cast_ballot",
    "clean_content",
    "close_voting",
    "code_digest",
    "compute_result",
    "create_evaluation",
    "create_once",
    "enter_paper",
    "entitlement_for_code",
    "format_receipt",
    "issue_codes",
    "normalize_code",
    "open_voting",
    "open_voting_with_passphrase",
    "paper_status",
    "publish",
    "receipt_counted",
    "receipt_digest",
    "recount",
    "remind_voters",
    "remove_group",
    "remove_subject",
    "remove_subjects",
    "result_digest",
    "roster_subjects",
    "set_visibility",
    "staff_user_ids",
    "update_rubric",
    "void_explanation",
    "withdraw_paper",
]

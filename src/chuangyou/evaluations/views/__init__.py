"""Evaluation pages: the office (`office`: build, open, close, publish), `paper` ballots, voting by
account (`ballots`), and after the close (`results`: supervision, the count anyone can check, the
result with its explanation, 对标定位). Writes go through `evaluations.services`, which check
permissions themselves.
"""

from chuangyou.evaluations.views.ballots import (
    ballot_rows,
    handle_ballot,
    marks_from_post,
    my_ballots,
    vote,
)
from chuangyou.evaluations.views.office import (
    close_voting,
    codes_pdf,
    evaluation_create,
    evaluation_detail,
    evaluation_list,
    group_add,
    group_remove,
    open_voting,
    publish,
    rubric_edit,
    set_visibility,
    subject_add,
    subject_remove,
    subjects_from_roster,
    subjects_pick,
    subjects_remove,
    turnout,
)
from chuangyou.evaluations.views.paper import (
    paper,
    paper_withdraw,
)
from chuangyou.evaluations.views.results import (
    ballots_xlsx,
    benchmark,
    count_file,
    count_file_names,
    count_file_response,
    count_file_urls,
    recount,
    result,
    result_page,
    supervise,
)

__all__ = [
    "ballot_rows",
    "ballots_xlsx",
    "benchmark",
    "close_voting",
    "codes_pdf",
    "count_file",
    "count_file_names",
    "count_file_response",
    "count_file_urls",
    "evaluation_create",
    "evaluation_detail",
    "evaluation_list",
    "group_add",
    "group_remove",
    "handle_ballot",
    "marks_from_post",
    "my_ballots",
    "open_voting",
    "paper",
    "paper_withdraw",
    "publish",
    "recount",
    "result",
    "result_page",
    "rubric_edit",
    "set_visibility",
    "subject_add",
    "subject_remove",
    "subjects_from_roster",
    "subjects_pick",
    "subjects_remove",
    "supervise",
    "turnout",
    "vote",
]

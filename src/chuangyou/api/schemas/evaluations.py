"""评议评价: the input and output schemas of `chuangyou.api.routers.evaluations`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from chuangyou.api.types import Digits, Moment
from chuangyou.evaluations.models import Evaluation


class EvaluationIn(Schema):
    title: str
    subject_type: str
    preset: str = ""
    opens_at: Moment
    closes_at: Moment
    description: str = ""
    rubric: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None


class SubjectOut(Schema):
    id: int
    kind: str
    object_id: int | None
    name: str
    has_project: bool
    not_rated: bool


class GroupOut(Schema):
    id: int
    kind: str
    name: str
    weight: Decimal
    source: str
    role: str
    school_class_id: int | None
    party_branch_id: int | None


class EvaluationOut(Schema):
    id: int
    title: str
    subject_type: str
    description: str
    preset: str
    state: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    rubric: dict[str, Any]
    rules: dict[str, Any]
    published_on: dt.date | None


class EvaluationDetailOut(EvaluationOut):
    subjects: list[SubjectOut]
    groups: list[GroupOut]

    @staticmethod
    def resolve_subjects(obj: Evaluation) -> list[Any]:
        return list(obj.subjects.all())

    @staticmethod
    def resolve_groups(obj: Evaluation) -> list[Any]:
        return list(obj.groups.all())


class OpenIn(Schema):
    passphrase: str = Field(
        "", description="监督小组口令（可选，8–200 个字符）：设了它，截止时须给出它或恢复码"
    )


class OpenedOut(EvaluationDetailOut):
    recovery_code: str | None = Field(
        None, description="只在设了口令时、只在这一次应答中给出的恢复码（四个一组）；系统不保存，请打印封存"
    )


class CloseIn(Schema):
    passphrase: str = Field("", description="开始投票时设了口令的：监督小组口令")
    recovery_code: str = Field("", description="或者恢复码（不区分大小写，短横线可有可无）；二者只填一项")


class SubjectIn(Schema):
    name: str
    object_id: int | None = None
    has_project: bool = False
    not_rated: bool = False
    conflicted_user_ids: list[int] = []


class SubjectsIn(Schema):
    from_roster: bool = False
    school_class_id: int | None = None
    subjects: list[SubjectIn] = []


class GroupIn(Schema):
    kind: str
    name: str = ""
    source: str
    weight: Annotated[Decimal, Digits(6, 2)] = Decimal(1)
    role: str = ""
    school_class_id: int | None = None
    party_branch_id: int | None = None


class CodesIn(Schema):
    count: int


class CodesOut(Schema):
    codes: list[str]
    ballot_urls: list[str]
    slips_pdf_base64: str


class BallotIn(Schema):
    marks: dict[str, dict[str, str | float | int | None]]
    # A ballot the published rules would void is refused (422, with the reason) unless this is true.
    accept_void: bool = False


class CodeBallotIn(BallotIn):
    code: str


class ReceiptOut(Schema):
    receipt: str


class ReceiptCheckIn(Schema):
    receipt: str


class CountedOut(Schema):
    counted: bool


class TurnoutOut(Schema):
    name: str
    entitled: int
    voted: int
    percent: int


class PaperIn(Schema):
    group_id: int
    issued: int
    returned: int
    void: int
    blank: int
    tallies: dict[str, dict[str, dict[str, int]]]


class PaperOut(Schema):
    id: int
    group_id: int
    round: int
    entered_by_id: int
    issued: int
    returned: int
    void: int
    blank: int
    tallies: dict[str, Any]


class RecountOut(Schema):
    matches: bool | None
    differences: list[str]
    result: dict[str, Any]


class BallotRowOut(Schema):
    id: str
    group: str
    day: dt.date
    content: dict[str, Any]


class PresetOut(Schema):
    key: str
    name: str
    rubric: dict[str, Any]


class RubricIn(Schema):
    name: str = ""
    criteria: list[dict[str, Any]]


class GroupFiguresOut(Schema):
    name: str
    weight: str
    entitled: int = Field(description="应投（含发出的纸质票）")
    codes_issued: int
    returned: int
    void: int
    blank: int
    valid: int
    paper_issued: int | None = Field(description="纸质票发出数；没有纸质票时为 null")
    paper_returned: int | None
    quorum_met: bool


class CountOut(Schema):
    ballot_count: int = Field(description="选票文件中的网上选票张数")
    ballots_sha256: str
    csv_sha256: str
    published_sha256: str | None = Field(description="公布时写入审计日志的选票文件摘要")
    public_key: str = Field(description="学校的 Ed25519 公钥（hex）")
    fingerprint: str
    groups: list[GroupFiguresOut]
    rubric: dict[str, Any] = Field(description="冻结的评价标准，与选票文件中的相同")
    rules: dict[str, Any] = Field(description="计票规则，与选票文件中的相同")


class WindowIn(Schema):
    opens_at: Moment
    closes_at: Moment


class ProjectReviewIn(WindowIn):
    call_id: int


class CommitmentAppraisalIn(WindowIn):
    campaign_id: int
    branch_id: int
    members_weight: Annotated[Decimal, Digits(6, 2)] = Decimal(1)
    public_weight: Annotated[Decimal, Digits(6, 2)] = Decimal(1)
    organization_weight: Annotated[Decimal, Digits(6, 2)] = Decimal(1)


class QualityIn(WindowIn):
    school_class_id: int
    term: str
    teacher_ids: list[int] = []


class ProjectOutcomeOut(Schema):
    proposal_id: int
    title: str
    status: str
    rank: int | None
    total: Decimal | None
    suggest_funded: bool
    suggest_amount: Decimal | None


class ProjectDecisionIn(Schema):
    proposal_id: int
    funded: bool
    amount: Annotated[Decimal, Digits(12, 2)] | None = None


class ProjectDecisionsIn(Schema):
    decisions: list[ProjectDecisionIn]
    reason: str = ""


class PortfolioOut(Schema):
    evaluation_id: int
    entries: dict[str, Any]
    signed_on: dt.date | None
    signature: str


class PortfolioIn(Schema):
    entries: dict[str, dict[str, Any]]


class SignatureIn(Schema):
    signature: str


class ResultBenchmarkRowOut(Schema):
    title: str
    mine: str | None = Field(description="本对象在该项的得分（各评议主体加权平均）")
    best: str | None = Field(description="对标对象在该项的得分")
    gap: str | None = Field(description="差距：对标对象减本对象")


class ResultBenchmarkOut(Schema):
    subject: str
    exemplar: str
    exemplar_key: str
    rows: list[ResultBenchmarkRowOut]
    gaps: list[ResultBenchmarkRowOut] = Field(description="落后的各项，差距大的在前")
    choices: list[tuple[str, str]] = Field(description="可选的对标对象（编号、名称）")

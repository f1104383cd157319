"""The API's choice lists are static `Literal`s (ninja and mypy need a type, and an Enum would rename the
OpenAPI schemas), copied from the models' TextChoices. Each copy is checked here against its model, so a
choice added, renamed or dropped in a model and not in the API fails the suite."""

import typing
from types import ModuleType

import pytest

from chuangyou.api.schemas import commitments, nominations, projects, roster
from chuangyou.commitments.models import Fulfilment
from chuangyou.commitments.models import Status as CommitmentStatus
from chuangyou.nominations.models import (
    ExamKind,
    GateKind,
    Level,
    NomineeKind,
    ObjectionStatus,
    ProposalSource,
    QuotaKind,
    QuotaUnit,
)
from chuangyou.projects.models import DECIDED
from chuangyou.roster.models import Kind as RosterKind

# (schemas module, alias, the values it must hold). routers/evaluations.py defines no choice aliases.
CHOICES = [
    (nominations, "LevelName", set(Level.values)),
    (nominations, "ForKind", set(NomineeKind.values)),
    (nominations, "GateKindName", set(GateKind.values)),
    (nominations, "SourceName", set(ProposalSource.values)),
    # A step moves an objection on from where it was filed; none leads back to "received".
    (nominations, "StepName", set(ObjectionStatus.values) - {ObjectionStatus.RECEIVED}),
    (nominations, "QuotaKindName", set(QuotaKind.values)),
    # A school's award counts its places per class, grade or school; only a bureau's award has "bureau".
    (nominations, "SchoolQuotaUnit", set(QuotaUnit.values) - {QuotaUnit.BUREAU}),
    (nominations, "BureauQuotaUnit", {QuotaUnit.SCHOOL, QuotaUnit.BUREAU}),
    (nominations, "ExamKindName", set(ExamKind.values)),
    (commitments, "FulfilmentName", set(Fulfilment.values)),
    (commitments, "CommitmentStatusName", set(CommitmentStatus.values)),
    (projects, "DecisionName", set(DECIDED)),
    (roster, "RosterKindName", set(RosterKind.values)),
]


@pytest.mark.parametrize(("module", "alias", "choices"), CHOICES, ids=[alias for _, alias, _ in CHOICES])
def test_alias_copies_the_model_choices(module: ModuleType, alias: str, choices: set[str]) -> None:
    assert set(typing.get_args(getattr(module, alias))) == choices

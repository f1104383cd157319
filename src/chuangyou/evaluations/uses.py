"""Where the uses built on the engine plug into its pages, without the engine importing them.

The engine (this app) sits below the apps that use it (projects, commitments, records…), so its pages
cannot ask them anything directly. Instead a use registers, from its AppConfig.ready():

- an **evidence** provider for its kind of evaluation: what a rater sees beside each subject and
  criterion on the ballot (综合素质评价 shows each student's record and signed 写实记录);
- a section of **我的评议投票** (the voter's own page): for example the student's own 写实记录 to fill in.

Both only read. The org app's 工作台 works the same way (`org/todos.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chuangyou.evaluations.models import Evaluation, Subject
from chuangyou.org.models import School
from chuangyou.org.rules import Actor

# subject id → criterion key → what the template shows (the provider's own dataclass)
Evidence = dict[int, dict[str, Any]]
EvidenceProvider = Callable[[Evaluation, Sequence[Subject]], Evidence]


@dataclass(frozen=True)
class MineSection:
    """A block on 我的评议投票: a template (under templates/), included with `data` set to `context`."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


MineProvider = Callable[[Actor, School], MineSection | None]

_EVIDENCE: dict[str, EvidenceProvider] = {}
_MINE: list[MineProvider] = []


def provides_evidence(use: str, provider: EvidenceProvider) -> None:
    _EVIDENCE[use] = provider


def provides_mine_section(provider: MineProvider) -> None:
    if provider not in _MINE:
        _MINE.append(provider)


def evidence_for(evaluation: Evaluation, subjects: Sequence[Subject]) -> Evidence:
    """What the raters of `evaluation` see beside each subject; empty for most evaluations."""
    provider = _EVIDENCE.get(evaluation.use)
    return provider(evaluation, subjects) if provider is not None else {}


def mine_sections(actor: Actor, school: School) -> list[MineSection]:
    return [section for provider in _MINE if (section := provider(actor, school)) is not None]

"""Briefings and summaries asked for at the same moment: none fails, every briefing gets its own number.

The briefing used to lock the school row FOR UPDATE and then the audit head, while every other writer
takes the audit head and then, inserting audit entries that reference the school, a KEY SHARE lock on
the school row: the reverse order, and on PostgreSQL a deadlock (28 of 60 requests failed)."""

from __future__ import annotations

import datetime as dt

import pytest

from chuangyou.org.rules import actor_for
from chuangyou.reports import documents, services
from chuangyou.reports.models import Briefing, DocKind, DocState, Document
from chuangyou.reports.tests.scenario import make_campaign
from chuangyou.testing import PINNED_TODAY, build_world, race

COUNT = 24


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_briefings_and_summaries_at_once_never_deadlock(monkeypatch: pytest.MonkeyPatch) -> None:
    world = build_world()  # seats from a month before the pinned day
    campaign = make_campaign(world)
    wang = actor_for(world.wang)
    # The documents' content is not what races: leave LibreOffice and the facts out.
    monkeypatch.setattr(documents, "build", lambda document: (b"docx", b"pdf"))

    def work(i: int) -> None:
        if i % 2:
            services.request_summary(actor=wang, campaign=campaign)
        else:
            services.request_briefing(
                actor=wang,
                school=world.school,
                title="创先争优工作简报",
                issuer="示例县第一中学办公室",
                period_start=dt.date(2026, 11, 1),
                period_end=dt.date(2026, 11, 20),
                distribution={"发": "各处室"},
                issued_on=PINNED_TODAY,
            )

    errors = race(COUNT, work)

    assert errors == []
    numbers = sorted(Briefing.objects.filter(school=world.school).values_list("number", flat=True))
    assert numbers == list(range(1, COUNT // 2 + 1))
    written = Document.objects.filter(school=world.school, state=DocState.DONE)
    assert written.filter(kind=DocKind.SUMMARY).count() == COUNT // 2
    assert written.filter(kind=DocKind.BRIEFING).count() == COUNT // 2
